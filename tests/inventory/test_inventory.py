"""Inventory: set and adjust stock; orders reserve tracked SKUs, cancel/refund release, shipping
commits, a return restocks at the merchant's choice; untracked SKUs behave as before."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.errors import InvalidAddress
from stateset_chain.inventory.errors import (
    InsufficientStock,
    InvalidAdjustment,
    InvalidSku,
    MissingReason,
    NotAuthorized,
    NothingToRestock,
    OrderNotReturned,
    UntrackedSku,
)
from tests.inventory.helpers import StockChain
from tests.orders.helpers import CUSTOMER, MERCHANT, item, ship_msg

from stateset.inventory.v1 import events_pb2 as ev
from stateset.inventory.v1 import query_pb2 as q
from stateset.inventory.v1 import tx_pb2 as tx
from stateset.orders.v1 import tx_pb2 as otx


def counts(chain, sku="SKU-1"):
    s = chain.stock(sku)
    return (s.available, s.reserved, s.shipped)


def test_creating_an_order_reserves_and_refuses_when_short():
    chain = StockChain()
    chain.set_stock("SKU-1", 5)
    oid = chain.create(items=[item(quantity=2), item(quantity=1)])
    assert counts(chain) == (2, 3, 0)
    [reserved] = chain.typed(ev.StockReserved)
    assert reserved.order_id == oid
    with pytest.raises(InsufficientStock):
        chain.create(items=[item(quantity=3)])
    assert counts(chain) == (2, 3, 0)
    chain.check_invariants()


def test_untracked_skus_are_not_reserved():
    chain = StockChain()
    chain.create(items=[item(sku="OTHER", quantity=1_000)])
    assert chain.inventory.stock(chain.store, MERCHANT, "OTHER") is None


def test_cancel_releases_and_shipping_commits():
    chain = StockChain()
    chain.set_stock("SKU-1", 10)
    cancelled = chain.create(items=[item(quantity=4)])
    chain.deliver(otx.MsgCancelOrder(signer=CUSTOMER, order_id=cancelled))
    assert counts(chain) == (10, 0, 0)
    assert chain.typed(ev.StockReleased)
    shipped = chain.to_status("SHIPPED", items=[item(quantity=3)])
    assert counts(chain) == (7, 0, 3)
    assert chain.inventory.reservation(chain.store, shipped).state == 2
    chain.check_invariants()


def test_a_refund_before_shipping_releases():
    chain = StockChain()
    chain.set_stock("SKU-1", 10)
    oid = chain.paid_order(items=[item(quantity=4)])
    chain.deliver(otx.MsgRefundOrder(signer=MERCHANT, order_id=oid, reason="oos"))
    assert counts(chain) == (10, 0, 0)
    chain.check_invariants()


def test_a_returned_order_is_restocked_only_if_the_merchant_chooses():
    chain = StockChain()
    chain.set_stock("SKU-1", 10)
    oid = chain.to_status("RETURNED", items=[item(quantity=2)])
    assert counts(chain) == (8, 0, 2)
    with pytest.raises(NotAuthorized):
        chain.deliver(tx.MsgRestockReturn(merchant=CUSTOMER, order_id=oid))
    chain.deliver(tx.MsgRestockReturn(merchant=MERCHANT, order_id=oid))
    s = chain.stock("SKU-1")
    assert (s.available, s.shipped, s.adjusted) == (10, 2, 2)
    with pytest.raises(NothingToRestock):
        chain.deliver(tx.MsgRestockReturn(merchant=MERCHANT, order_id=oid))
    chain.check_invariants()


def test_restock_needs_a_returned_order():
    chain = StockChain()
    chain.set_stock("SKU-1", 10)
    oid = chain.to_status("SHIPPED")
    with pytest.raises(OrderNotReturned):
        chain.deliver(tx.MsgRestockReturn(merchant=MERCHANT, order_id=oid))


def test_adjust_with_a_reason_and_its_guards():
    chain = StockChain()
    with pytest.raises(UntrackedSku):
        chain.deliver(tx.MsgAdjustInventory(merchant=MERCHANT, sku="SKU-1", delta=1, reason="x"))
    chain.set_stock("SKU-1", 3)
    chain.deliver(tx.MsgAdjustInventory(merchant=MERCHANT, sku="SKU-1", delta=-2, reason="damaged"))
    [adjusted] = chain.typed(ev.InventoryAdjusted)
    assert (adjusted.delta, adjusted.reason, adjusted.stock.available) == (-2, "damaged", 1)
    with pytest.raises(InsufficientStock):
        chain.deliver(tx.MsgAdjustInventory(merchant=MERCHANT, sku="SKU-1", delta=-2, reason="x"))
    with pytest.raises(MissingReason):
        chain.deliver(tx.MsgAdjustInventory(merchant=MERCHANT, sku="SKU-1", delta=1))
    with pytest.raises(InvalidAdjustment):
        chain.deliver(tx.MsgAdjustInventory(merchant=MERCHANT, sku="SKU-1", delta=0, reason="x"))
    with pytest.raises(InvalidSku):
        chain.deliver(tx.MsgSetInventory(merchant=MERCHANT, sku="", quantity=1))
    chain.check_invariants()


def test_set_recounts_while_orders_keep_their_reservations():
    chain = StockChain()
    chain.set_stock("SKU-1", 5)
    chain.create(items=[item(quantity=2)])
    chain.set_stock("SKU-1", 7)
    s = chain.stock("SKU-1")
    assert (s.available, s.reserved, s.set) == (7, 2, 9)
    chain.check_invariants()


def test_stock_and_low_stock_queries():
    chain = StockChain()
    chain.set_stock("A", 1, threshold=2)
    chain.set_stock("B", 50, threshold=2)
    chain.set_stock("C", 0, threshold=0)
    [stock_q, low_q, _] = chain.inv_module.queries
    got = stock_q.handler(chain.ctx(), q.QueryStockRequest(merchant=MERCHANT, sku="B"))
    assert got.stock.available == 50
    low = low_q.handler(chain.ctx(), q.QueryLowStockRequest(merchant=MERCHANT))
    assert [s.sku for s in low.stocks] == ["A", "C"]
    page = low_q.handler(chain.ctx(), q.QueryLowStockRequest(merchant=MERCHANT, limit=1))
    assert [s.sku for s in page.stocks] == ["A"] and page.next_sku == "A"
    rest = low_q.handler(
        chain.ctx(), q.QueryLowStockRequest(merchant=MERCHANT, start_after_sku="A", limit=1)
    )
    assert [s.sku for s in rest.stocks] == ["C"]
    with pytest.raises(InvalidAddress):
        stock_q.handler(chain.ctx(), q.QueryStockRequest(merchant="nope", sku="B"))
    with pytest.raises(InvalidAddress):
        low_q.handler(chain.ctx(), q.QueryLowStockRequest(merchant=MERCHANT.upper()))


def test_ship_of_an_order_reserved_before_a_recount_keeps_the_books_balanced():
    chain = StockChain()
    chain.set_stock("SKU-1", 5)
    oid = chain.paid_order(items=[item(quantity=2)])
    chain.set_stock("SKU-1", 1)
    chain.deliver(otx.MsgFulfillOrder(signer=MERCHANT, order_id=oid))
    chain.deliver(ship_msg(oid))
    assert counts(chain) == (1, 0, 2)
    chain.check_invariants()
