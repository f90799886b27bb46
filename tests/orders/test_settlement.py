"""End-block settlement: due entries only, in key order, bounded per block, paid out exactly."""

from __future__ import annotations

from google.protobuf import json_format

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import BlockInfo
from stateset_chain.orders import settlement
from stateset_chain.orders.keys import ORDERS_PREFIX, SETTLEMENT_QUEUE_PREFIX
from stateset_chain.orders.money import split_settlement
from stateset_chain.orders.state import OrdersKeeper
from stateset_chain.store.kv import Branch, KVStore
from tests.orders.helpers import (
    AUTHORITY,
    DAY,
    ESCROW,
    MERCHANT,
    PLATFORM,
    RETURN_WINDOW,
    SUPPLIER,
    TEST_PARAMS,
    UNIT,
    Chain,
    item,
)

from stateset.orders.v1 import events_pb2
from stateset.orders.v1 import tx_pb2 as tx
from stateset.orders.v1.orders_pb2 import PaymentStatus, RevenueSplit
from stateset.orders.v1.params_pb2 import Params


def test_nothing_settles_before_the_return_window_ends():
    chain = Chain()
    oid = chain.to_status("DELIVERED", items=[item(price="100")])
    chain.advance(RETURN_WINDOW - 1)
    assert chain.event_types() == [] and not chain.order(oid).settled
    merchant, platform = chain.balance(MERCHANT), chain.balance(PLATFORM)
    chain.advance(1)
    order = chain.order(oid)
    assert order.settled and order.payment_status == PaymentStatus.PAYMENT_STATUS_SETTLED
    assert chain.balance(MERCHANT) == merchant + 97_500_000
    assert chain.balance(PLATFORM) == platform + 2_500_000
    assert chain.balance(ESCROW) == 0
    [event] = chain.typed(events_pb2.OrderSettled)
    s = event.settlement
    assert (s.amount, s.merchant, s.merchant_amount, s.platform, s.platform_amount) == (
        100 * UNIT,
        MERCHANT,
        97_500_000,
        PLATFORM,
        2_500_000,
    )
    assert s.supplier == "" and s.supplier_amount == 0
    assert order.settlement == s and order.amount_settled == 100 * UNIT
    assert list(OrdersKeeper.settlement_queue.iterate(chain.store)) == []
    chain.advance(RETURN_WINDOW)
    assert chain.event_types() == []
    chain.check_invariants()


def test_platform_fee_rounds_down_and_the_merchant_gets_the_dust():
    chain = Chain()
    oid = chain.to_status("DELIVERED", items=[item(price="0.000039")])
    chain.advance(RETURN_WINDOW)
    s = chain.order(oid).settlement
    assert (s.merchant_amount, s.platform_amount) == (39, 0)  # 2.5% of 39 = 0.975


def test_revenue_split_pays_three_parties_exactly():
    chain = Chain()
    split = RevenueSplit(supplier=SUPPLIER, merchant_bps=6667, supplier_bps=3332, platform_bps=1)
    oid = chain.to_status(
        "DELIVERED", creator=MERCHANT, split=split, items=[item(price="33.333333")]
    )
    chain.advance(RETURN_WINDOW)
    s = chain.order(oid).settlement
    expected = split_settlement(33_333_333, 250, supplier_bps=3332, platform_bps=1)
    assert (s.merchant_amount, s.supplier_amount, s.platform_amount) == (
        expected.merchant,
        expected.supplier,
        expected.platform,
    )
    assert s.merchant_amount + s.supplier_amount + s.platform_amount == 33_333_333
    assert (s.supplier_amount, s.platform_amount) == (11_106_666, 3_333)
    assert chain.balance(SUPPLIER) == 11_106_666
    chain.check_invariants()


def test_the_drain_limit_bounds_each_block_and_order_is_due_time_then_id():
    params = dict(TEST_PARAMS, settlement_drain_limit=2)
    chain = Chain(params=params)
    first = chain.to_status("DELIVERED")
    chain.advance(DAY)
    later = sorted(chain.to_status("DELIVERED") for _ in range(3))
    chain.advance(RETURN_WINDOW)  # all four are due now
    assert [e.order_id for e in chain.typed(events_pb2.OrderSettled)] == [first, later[0]]
    chain.advance(1)
    assert [e.order_id for e in chain.typed(events_pb2.OrderSettled)] == later[1:]
    chain.advance(1)
    assert chain.typed(events_pb2.OrderSettled) == []
    chain.check_invariants()


def test_a_new_return_window_applies_to_later_deliveries_only():
    chain = Chain()
    early = chain.to_status("DELIVERED")
    p = json_format.ParseDict(TEST_PARAMS, Params())
    p.return_window_seconds = 1
    chain.deliver(tx.MsgUpdateParams(authority=AUTHORITY, params=p))
    late = chain.to_status("DELIVERED")
    chain.advance(1)
    assert [e.order_id for e in chain.typed(events_pb2.OrderSettled)] == [late]
    assert not chain.order(early).settled


class RecordingKV(KVStore):
    """Records every key read or iterated over."""

    def __init__(self, parent: KVStore) -> None:
        self.parent = parent
        self.seen: list[bytes] = []

    def get(self, key):
        self.seen.append(key)
        return self.parent.get(key)

    def set(self, key, value):
        self.parent.set(key, value)

    def delete(self, key):
        self.parent.delete(key)

    def iterate(self, start=None, end=None, reverse=False):
        for k, v in self.parent.iterate(start, end, reverse):
            self.seen.append(k)
            yield k, v


def test_end_block_reads_only_due_queue_entries_and_their_orders():
    """41 orders exist, 21 of them delivered; one is due: end-block reads one queue entry and
    one order, never the others."""
    chain = Chain()
    due = chain.to_status("DELIVERED")
    chain.advance(DAY)
    for _ in range(20):
        chain.to_status("DELIVERED")
        chain.paid_order()
    chain.block = BlockInfo(
        chain.block.height + 1, chain.block.time_ns + (RETURN_WINDOW - DAY) * 10**9, "test"
    )
    store = RecordingKV(Branch(chain.store))
    settlement.end_block(chain.keeper, chain.ctx(store))
    assert len([k for k in store.seen if k.startswith(SETTLEMENT_QUEUE_PREFIX)]) == 1
    assert {k for k in store.seen if k.startswith(ORDERS_PREFIX)} == {
        ORDERS_PREFIX + bytes([len(due)]) + due.encode()
    }
