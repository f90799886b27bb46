"""Conditional orders: a presale that executes when stock arrives, one that lapses and refunds,
cancelling withdraws the pre-funding, wakes only on what an order waits on, per-message errors."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.conditional.engine import CANCELED, EXECUTED, FAILED, LAPSED, WAITING
from stateset_chain.conditional.errors import (
    ConditionsNotMet,
    InvalidCondition,
    InvalidExpiry,
    NoConditions,
    NotAuthorized,
    NotWaiting,
)
from stateset_chain.conditional.state import STOCK, ConditionalKeeper
from stateset_chain.timefmt import timestamp
from tests.conditional.helpers import CONDITIONAL_ESCROW, CondChain, conditional_msg
from tests.orders.helpers import CUSTOMER, DAY, MERCHANT, START_NS, STRANGER, UNIT, item

from stateset.conditional.v1 import events_pb2 as ev
from stateset.conditional.v1 import tx_pb2 as tx
from stateset.conditional.v1.conditional_pb2 import (
    BalanceAtLeast,
    Condition,
    OrderReached,
    SkuInStock,
    TimeAfter,
)
from stateset.inventory.v1 import tx_pb2 as inv_tx
from stateset.orders.v1.orders_pb2 import OrderStatus

NS = 10**9


def in_stock(sku="PRESALE", quantity=1):
    return Condition(sku_in_stock=SkuInStock(merchant=MERCHANT, sku=sku, quantity=quantity))


def test_a_presale_executes_and_is_paid_when_stock_arrives():
    chain = CondChain()
    chain.set_stock("PRESALE", 0)
    before = chain.balance(CUSTOMER)
    response = chain.deliver(conditional_msg([in_stock()], items=[item(sku="PRESALE", price="50")]))
    assert response.escrowed == 50 * UNIT
    assert chain.balance(CONDITIONAL_ESCROW) == 50 * UNIT
    chain.advance()
    assert chain.cond.must_get(chain.store, response.id).status == WAITING
    chain.check_invariants()
    chain.set_stock("PRESALE", 10)  # the stock write wakes it
    chain.advance()
    c = chain.cond.must_get(chain.store, response.id)
    assert c.status == EXECUTED
    order = chain.order(c.order_id)
    assert order.status == OrderStatus.ORDER_STATUS_PAID
    assert chain.balance(CUSTOMER) == before - 50 * UNIT
    assert chain.balance(CONDITIONAL_ESCROW) == 0
    assert chain.stock("PRESALE").reserved == 1
    [executed] = chain.typed(ev.ConditionalOrderExecuted)
    assert executed.order_id == c.order_id
    chain.check_invariants()


def test_a_conditional_order_lapses_at_expiry_and_refunds():
    chain = CondChain()
    chain.set_stock("PRESALE", 0)
    before = chain.balance(CUSTOMER)
    cid = chain.deliver(
        conditional_msg([in_stock()], expires_in_s=DAY, items=[item(sku="PRESALE")])
    ).id
    chain.advance(DAY)
    c = chain.cond.must_get(chain.store, cid)
    assert c.status == LAPSED
    assert chain.balance(CUSTOMER) == before
    [lapsed] = chain.typed(ev.ConditionalOrderLapsed)
    assert lapsed.refunded == 10 * UNIT
    chain.set_stock("PRESALE", 5)
    chain.advance()
    assert chain.cond.must_get(chain.store, cid).status == LAPSED
    chain.check_invariants()


def test_cancel_withdraws_the_prefunding():
    chain = CondChain()
    before = chain.balance(CUSTOMER)
    cid = chain.deliver(conditional_msg([in_stock()])).id
    with pytest.raises(NotAuthorized):
        chain.deliver(tx.MsgCancelConditionalOrder(creator=STRANGER, id=cid))
    response = chain.deliver(tx.MsgCancelConditionalOrder(creator=CUSTOMER, id=cid))
    assert response.refunded == 10 * UNIT
    assert chain.balance(CUSTOMER) == before
    assert chain.cond.must_get(chain.store, cid).status == CANCELED
    with pytest.raises(NotWaiting):
        chain.deliver(tx.MsgCancelConditionalOrder(creator=CUSTOMER, id=cid))
    chain.check_invariants()


def test_time_and_order_status_conditions():
    chain = CondChain()
    first = chain.paid_order()
    cond = [
        Condition(
            order_reached=OrderReached(order_id=first, status=OrderStatus.ORDER_STATUS_SHIPPED)
        ),
        Condition(time_after=TimeAfter(time=timestamp(START_NS + 2 * DAY * NS))),
    ]
    cid = chain.deliver(conditional_msg(cond, prefund=False)).id
    from tests.orders.helpers import ship_msg

    from stateset.orders.v1 import tx_pb2 as otx

    chain.deliver(otx.MsgFulfillOrder(signer=MERCHANT, order_id=first))
    chain.deliver(ship_msg(first))
    chain.advance()
    assert chain.cond.must_get(chain.store, cid).status == WAITING  # time not reached
    chain.advance(2 * DAY)
    c = chain.cond.must_get(chain.store, cid)
    assert c.status == EXECUTED
    assert chain.order(c.order_id).status == OrderStatus.ORDER_STATUS_CREATED  # not pre-funded


def test_a_balance_condition_is_polled():
    chain = CondChain()
    cond = [
        Condition(
            balance_at_least=BalanceAtLeast(
                address=STRANGER, denom="ussusd", amount=2_000_000 * UNIT
            )
        )
    ]
    cid = chain.deliver(conditional_msg(cond, prefund=False)).id
    chain.advance()
    assert chain.cond.must_get(chain.store, cid).status == WAITING
    from stateset_chain.coins import Coin

    chain.bank.send(chain.ctx(), MERCHANT, STRANGER, [Coin("ussusd", 1_000_000 * UNIT)])
    chain.advance(60)
    assert chain.cond.must_get(chain.store, cid).status == EXECUTED


def test_a_stock_write_wakes_only_the_orders_waiting_on_that_sku():
    chain = CondChain()
    chain.set_stock("A", 0)
    chain.set_stock("B", 0)
    a = [chain.deliver(conditional_msg([in_stock("A")], prefund=False)).id for _ in range(3)]
    b = chain.deliver(conditional_msg([in_stock("B")], prefund=False)).id
    chain.advance()
    assert list(ConditionalKeeper.woken.iterate(chain.store)) == []
    chain.deliver(inv_tx.MsgAdjustInventory(merchant=MERCHANT, sku="B", delta=1, reason="in"))
    # the tx only marks the SKU changed; the end-block wakes its waiters
    assert list(ConditionalKeeper.changed.iterate(chain.store)) == [(STOCK, MERCHANT, "B")]
    assert list(ConditionalKeeper.woken.iterate(chain.store)) == []
    chain.advance()
    assert chain.cond.must_get(chain.store, b).status == EXECUTED
    assert {chain.cond.must_get(chain.store, x).status for x in a} == {WAITING}


def test_an_execution_the_orders_module_refuses_fails_and_refunds():
    chain = CondChain()
    chain.set_stock("A", 0)
    cid = chain.deliver(conditional_msg([in_stock("A")], items=[item(sku="B", quantity=1)])).id
    chain.set_stock("B", 0)  # the order's own SKU is now tracked and empty
    chain.set_stock("A", 1)
    chain.advance()
    c = chain.cond.must_get(chain.store, cid)
    assert c.status == FAILED and c.failure.startswith("inventory/2")
    assert chain.balance(CONDITIONAL_ESCROW) == 0
    chain.check_invariants()


def test_manual_execution_needs_every_condition():
    chain = CondChain()
    chain.set_stock("A", 0)
    cid = chain.deliver(conditional_msg([in_stock("A")], auto=False)).id
    with pytest.raises(ConditionsNotMet):
        chain.deliver(tx.MsgExecuteConditionalOrder(creator=CUSTOMER, id=cid))
    chain.set_stock("A", 1)
    chain.advance()
    assert chain.cond.must_get(chain.store, cid).status == WAITING  # not auto
    response = chain.deliver(tx.MsgExecuteConditionalOrder(creator=CUSTOMER, id=cid))
    assert chain.order(response.order_id).status == OrderStatus.ORDER_STATUS_PAID
    chain.check_invariants()


@pytest.mark.parametrize(
    ("msg", "error"),
    [
        (conditional_msg([]), NoConditions),
        (conditional_msg([Condition()]), InvalidCondition),
        (conditional_msg([in_stock(quantity=0)]), InvalidCondition),
        (conditional_msg([in_stock()], expires_in_s=0), InvalidExpiry),
    ],
)
def test_create_refuses(msg, error):
    chain = CondChain()
    with pytest.raises(error):
        chain.deliver(msg)


def test_sku_in_stock_holds_when_one_location_can_serve_the_quantity():
    chain = CondChain()
    chain.set_stock("PRESALE", 2)
    chain.deliver(inv_tx.MsgSetInventory(merchant=MERCHANT, sku="PRESALE", quantity=2,
                                         location="east"))
    cid = chain.deliver(conditional_msg([in_stock(quantity=3)],
                                        items=[item(sku="PRESALE", quantity=3)])).id
    chain.advance()
    assert chain.cond.must_get(chain.store, cid).status == WAITING  # 2 + 2, but never 3 at one
    chain.deliver(inv_tx.MsgAdjustInventory(merchant=MERCHANT, sku="PRESALE", delta=1,
                                            reason="in", location="east"))
    chain.advance()
    c = chain.cond.must_get(chain.store, cid)
    assert c.status == EXECUTED
    [line] = chain.inventory.reservation(chain.store, c.order_id).lines
    assert (line.location, line.quantity) == ("east", 3)
    chain.check_invariants()
