"""Scenarios over a year: a monthly subscription billed 13 times with one failed charge
recovered, and one whose dunning ends in CANCELED. Money is conserved throughout."""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.coins import Coin
from stateset_chain.subscriptions import lifecycle
from stateset_chain.subscriptions.schedule import boundary
from tests.orders.helpers import CUSTOMER, DAY, ESCROW, STRANGER, UNIT, item
from tests.subscriptions.helpers import SubChain

from stateset.orders.v1.orders_pb2 import OrderStatus
from stateset.subscriptions.v1 import events_pb2 as ev
from stateset.subscriptions.v1 import query_pb2 as q

PRICE = 25 * UNIT


def test_a_monthly_subscription_bills_13_cycles_and_recovers_from_a_failed_charge():
    # enough for 5 cycles; cycle 6 fails until the customer is topped up a day later
    chain = SubChain(holdings={CUSTOMER: {"ussusd": 5 * PRICE}, STRANGER: {"ussusd": 8 * PRICE}})
    sid = chain.subscribe(items=[item(price="25")])
    failures = 0
    for k in range(13):
        sub = chain.sub(sid)
        chain.advance_to(boundary(sub, k))
        if chain.typed(ev.SubscriptionChargeFailed):
            failures += 1
            assert chain.sub(sid).status == lifecycle.PAST_DUE
            chain.bank.send(chain.ctx(), STRANGER, CUSTOMER, [Coin("ussusd", 8 * PRICE)])
            chain.advance(DAY)
            assert chain.sub(sid).status == lifecycle.ACTIVE
        chain.check_invariants()
    sub = chain.sub(sid)
    assert failures == 1
    assert sub.cycles_billed == 13
    assert chain.balance(CUSTOMER) == 0
    assert chain.balance(ESCROW) == 13 * PRICE
    response = chain.sub_module.queries[0].handler(chain.ctx(), q.QuerySubscriptionRequest(id=sid))
    assert [c.cycle.number for c in response.cycles] == list(range(1, 14))
    assert {c.order_status for c in response.cycles} == {OrderStatus.ORDER_STATUS_PAID}
    assert [c.cycle.attempts for c in response.cycles].count(2) == 1


def test_a_monthly_subscription_whose_customer_runs_dry_ends_canceled():
    chain = SubChain(holdings={CUSTOMER: {"ussusd": 3 * PRICE}})
    sid = chain.subscribe(items=[item(price="25")])
    for k in range(4):
        chain.advance_to(boundary(chain.sub(sid), k))
    assert chain.sub(sid).status == lifecycle.PAST_DUE
    chain.advance(DAY)
    chain.advance(DAY)
    sub = chain.sub(sid)
    assert (sub.status, sub.cancel_reason, sub.cycles_billed) == (
        lifecycle.CANCELED,
        "dunning_exhausted",
        3,
    )
    chain.advance(60 * DAY)
    assert chain.sub(sid).cycles_billed == 3
    assert chain.balance(CUSTOMER) + chain.balance(ESCROW) == 3 * PRICE
    chain.check_invariants()
