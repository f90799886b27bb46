"""Stock per location: MsgSetInventory / MsgAdjustInventory name a location ("" = the default
one); an order reserves each SKU from the default location if it holds the whole quantity, else
from the first named location (key order) that does; release, shipping and restocking go back
to the location the reservation came from; the invariant holds per (SKU, location); the queries
read one location, every location of a SKU, and low stock across locations page by page."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.inventory.errors import InsufficientStock, InvalidLocation, UntrackedSku
from tests.inventory.helpers import StockChain
from tests.orders.helpers import CUSTOMER, MERCHANT, item

from stateset.inventory.v1 import query_pb2 as q
from stateset.inventory.v1 import tx_pb2 as tx
from stateset.orders.v1 import tx_pb2 as otx


def put(chain: StockChain, sku: str, quantity: int, location: str = "", threshold: int = 0):
    chain.deliver(tx.MsgSetInventory(merchant=MERCHANT, sku=sku, quantity=quantity,
                                     location=location, low_stock_threshold=threshold))


def at(chain: StockChain, sku: str, location: str = ""):
    found = chain.inventory.stock(chain.store, MERCHANT, sku, location)
    assert found is not None
    return found


def query(chain: StockChain, name: str, req):
    route = next(r for r in chain.inv_module.queries if r.path.endswith("/" + name))
    return route.handler(chain.ctx(), req)


def test_each_location_keeps_its_own_count():
    chain = StockChain()
    put(chain, "A", 5)
    put(chain, "A", 7, "east")
    chain.deliver(tx.MsgAdjustInventory(merchant=MERCHANT, sku="A", delta=-2, reason="lost",
                                        location="east"))
    assert (at(chain, "A").available, at(chain, "A", "east").available) == (5, 5)
    assert at(chain, "A", "east").location == "east"
    with pytest.raises(UntrackedSku):  # never set at that location
        chain.deliver(tx.MsgAdjustInventory(merchant=MERCHANT, sku="A", delta=1, reason="x",
                                            location="west"))
    chain.check_invariants()


def test_the_default_location_serves_first_then_the_first_named_one_that_holds_the_quantity():
    chain = StockChain()
    put(chain, "A", 1)
    put(chain, "A", 2, "east")
    put(chain, "A", 10, "west")
    first = chain.create(items=[item(sku="A", quantity=1)])  # the default holds it
    second = chain.create(items=[item(sku="A", quantity=3)])  # neither default nor east does
    third = chain.create(items=[item(sku="A", quantity=1), item(sku="A", quantity=1)])  # 2: east
    where = {oid: [(line.location, line.quantity) for line in
                   chain.inventory.reservation(chain.store, oid).lines]
             for oid in (first, second, third)}
    assert where == {first: [("", 1)], second: [("west", 3)], third: [("east", 2)]}
    assert [s.available for s in chain.inventory.stocks_at(chain.store, MERCHANT, "A")] == [0, 0, 7]
    with pytest.raises(InsufficientStock):  # 8 is more than any one location holds
        chain.create(items=[item(sku="A", quantity=8)])
    chain.check_invariants()


def test_release_ship_and_restock_go_back_to_the_reserving_location():
    chain = StockChain()
    put(chain, "A", 0)
    put(chain, "A", 5, "east")
    cancelled = chain.create(items=[item(sku="A", quantity=2)])
    chain.deliver(otx.MsgCancelOrder(signer=CUSTOMER, order_id=cancelled, reason="no"))
    assert (at(chain, "A", "east").available, at(chain, "A", "east").reserved) == (5, 0)
    returned = chain.to_status("RETURNED", items=[item(sku="A", quantity=3)])
    assert (at(chain, "A", "east").available, at(chain, "A", "east").shipped) == (2, 3)
    chain.deliver(tx.MsgRestockReturn(merchant=MERCHANT, order_id=returned))
    east = at(chain, "A", "east")
    assert (east.available, east.shipped, east.adjusted) == (5, 3, 3)
    assert at(chain, "A").available == 0  # the default location never moved
    chain.check_invariants()


def test_queries_per_location_and_low_stock_across_locations():
    chain = StockChain()
    put(chain, "A", 1, threshold=2)
    put(chain, "A", 9, "east", threshold=2)
    put(chain, "A", 0, "west", threshold=2)
    put(chain, "B", 0, "east")
    put(chain, "C", 3)
    got = query(chain, "Stock", q.QueryStockRequest(merchant=MERCHANT, sku="A", location="east"))
    assert got.stock.available == 9
    with pytest.raises(UntrackedSku):
        query(chain, "Stock", q.QueryStockRequest(merchant=MERCHANT, sku="C", location="east"))
    every = query(chain, "StockLocations", q.QueryStockLocationsRequest(merchant=MERCHANT, sku="A"))
    assert [(s.location, s.available) for s in every.stocks] == [("", 1), ("east", 9), ("west", 0)]
    low, pages = [], 0
    req = q.QueryLowStockRequest(merchant=MERCHANT, limit=1)
    while True:
        page = query(chain, "LowStock", req)
        pages += 1
        low += [(s.sku, s.location) for s in page.stocks]
        if not page.next_sku:
            break
        req = q.QueryLowStockRequest(merchant=MERCHANT, limit=1, start_after_sku=page.next_sku,
                                     start_after_location=page.next_location)
    assert low == [("A", ""), ("A", "west"), ("B", "east")]
    assert pages <= 4


@pytest.mark.parametrize("location", ["x" * 65, "line\nbreak"])
def test_a_bad_location_is_refused(location):
    chain = StockChain()
    with pytest.raises(InvalidLocation):
        put(chain, "A", 1, location)
