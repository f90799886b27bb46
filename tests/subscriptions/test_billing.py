"""End-block billing: each period's order is created and paid through the orders lifecycle,
under a periodic allowance; failed charges are retried (dunning)."""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.coins import Coin
from stateset_chain.subscriptions import lifecycle
from stateset_chain.timefmt import timestamp_ns
from tests.orders.helpers import CUSTOMER, DAY, ESCROW, START_NS, STRANGER, UNIT, item
from tests.subscriptions.helpers import SubChain

from stateset.orders.v1.orders_pb2 import OrderStatus, ShippingAddress
from stateset.subscriptions.v1 import events_pb2 as ev
from stateset.subscriptions.v1.subscriptions_pb2 import Interval

NS = 10**9


def test_first_cycle_is_billed_at_the_end_of_the_creating_block():
    chain = SubChain()
    sid = chain.subscribe(items=[item(price="10")])
    assert chain.sub(sid).status == lifecycle.INCOMPLETE
    chain.advance(0)
    sub = chain.sub(sid)
    assert sub.status == lifecycle.ACTIVE
    assert sub.cycles_billed == 1
    [billed] = chain.typed(ev.SubscriptionCycleBilled)
    order = chain.order(billed.order_id)
    assert order.status == OrderStatus.ORDER_STATUS_PAID
    assert (order.subscription_id, order.subscription_cycle) == (sid, 1)
    assert chain.balance(ESCROW) == 10 * UNIT
    assert timestamp_ns(sub.next_attempt) == timestamp_ns(sub.start) + 31 * DAY * NS  # Feb 1
    assert sub.allowance.period_can_spend == 0
    chain.check_invariants()


def test_nothing_is_charged_before_the_period_starts():
    chain = SubChain()
    sid = chain.subscribe(interval=Interval.INTERVAL_WEEKLY)
    chain.advance(0)
    before = chain.balance(CUSTOMER)
    chain.advance(7 * DAY - 10)
    assert chain.balance(CUSTOMER) == before
    assert chain.sub(sid).cycles_billed == 1
    chain.advance(10)
    assert chain.sub(sid).cycles_billed == 2
    assert chain.balance(CUSTOMER) == before - 10 * UNIT


def test_a_trial_delays_the_first_charge_by_its_days():
    chain = SubChain()
    sid = chain.subscribe(trial_days=14)
    assert chain.sub(sid).status == lifecycle.TRIALING
    chain.advance(13 * DAY)
    assert chain.sub(sid).cycles_billed == 0
    chain.advance(DAY)
    assert chain.sub(sid).status == lifecycle.ACTIVE
    assert chain.sub(sid).cycles_billed == 1


def test_monthly_periods_clamp_to_the_month_end_without_drifting():
    chain = SubChain()
    start = START_NS + 30 * DAY * NS  # 2025-01-31
    sid = chain.subscribe(start_ns=start)
    from stateset_chain.subscriptions.schedule import boundary
    from stateset_chain.timefmt import format_iso8601

    sub = chain.sub(sid)
    assert [format_iso8601(boundary(sub, k))[:10] for k in range(4)] == [
        "2025-01-31",
        "2025-02-28",
        "2025-03-31",
        "2025-04-30",
    ]


def test_a_failed_charge_is_retried_and_a_paid_retry_recovers():
    chain = SubChain(holdings={CUSTOMER: {"ussusd": 15 * UNIT}, STRANGER: {"ussusd": 10 * UNIT}})
    sid = chain.subscribe(interval=Interval.INTERVAL_DAYS, interval_days=30)
    chain.advance(0)  # cycle 1 paid, 5 left
    chain.advance(30 * DAY)
    sub = chain.sub(sid)
    assert sub.status == lifecycle.PAST_DUE
    [failed] = chain.typed(ev.SubscriptionChargeFailed)
    assert failed.attempt == 1 and failed.reason.startswith("sdk/5")
    assert timestamp_ns(failed.next_retry) == chain.block.time_ns + DAY * NS
    assert chain.keeper.order_count(chain.store) == 1  # the failed cycle left no order
    chain.bank.send(chain.ctx(), STRANGER, CUSTOMER, [Coin("ussusd", 10 * UNIT)])
    chain.advance(DAY)
    sub = chain.sub(sid)
    assert sub.status == lifecycle.ACTIVE
    assert sub.cycles_billed == 2
    assert "SubscriptionStatusChanged" in chain.sub_events()
    chain.check_invariants()


def test_dunning_ends_in_canceled_after_the_last_retry():
    chain = SubChain(holdings={CUSTOMER: {"ussusd": 10 * UNIT}})
    sid = chain.subscribe(interval=Interval.INTERVAL_WEEKLY)
    chain.advance(0)
    chain.advance(7 * DAY)  # fails: attempt 1
    chain.advance(DAY)  # retry 1
    assert chain.sub(sid).status == lifecycle.PAST_DUE
    chain.advance(DAY)  # retry 2 = max_retries: gives up
    sub = chain.sub(sid)
    assert sub.status == lifecycle.CANCELED
    assert sub.cancel_reason == "dunning_exhausted"
    assert not sub.HasField("next_attempt")
    [canceled] = chain.typed(ev.SubscriptionCanceled)
    assert canceled.reason == "dunning_exhausted"
    chain.check_invariants()


def test_an_unpaid_first_charge_stays_incomplete_then_expires():
    chain = SubChain(holdings={CUSTOMER: {}})
    sid = chain.subscribe()
    chain.advance(0)
    assert chain.sub(sid).status == lifecycle.INCOMPLETE
    chain.advance(DAY)
    chain.advance(DAY)
    assert chain.sub(sid).status == lifecycle.CANCELED


def test_a_fixed_number_of_cycles_completes_the_subscription():
    chain = SubChain()
    sid = chain.subscribe(interval=Interval.INTERVAL_DAILY, max_cycles=2)
    for _ in range(3):
        chain.advance(DAY)
    sub = chain.sub(sid)
    assert sub.cycles_billed == 2
    assert (sub.status, sub.cancel_reason) == (lifecycle.CANCELED, "completed")


def test_an_end_date_stops_billing_at_the_period_after_it():
    chain = SubChain()
    sid = chain.subscribe(
        interval=Interval.INTERVAL_DAILY, start_ns=START_NS, end_ns=START_NS + 2 * DAY * NS
    )
    for _ in range(4):
        chain.advance(DAY)
    sub = chain.sub(sid)
    assert sub.cycles_billed == 2
    assert sub.cancel_reason == "completed"


def test_a_tax_rise_above_the_allowance_fails_the_charge_until_re_authorized():
    chain = SubChain()
    sid = chain.subscribe(
        interval=Interval.INTERVAL_DAILY, shipping_address=ShippingAddress(country="US")
    )
    chain.advance(0)
    params = chain.keeper.params(chain.store)
    for rate in params.tax_rates:
        if rate.country == "US" and not rate.region:
            rate.rate_bps = 1000
    chain.keeper.set_params(chain.store, params)
    chain.advance(DAY)
    [failed] = chain.typed(ev.SubscriptionChargeFailed)
    assert failed.reason.startswith("subscriptions/14")
    from stateset.subscriptions.v1 import tx_pb2 as tx

    sub = chain.sub(sid)
    chain.deliver(
        tx.MsgUpdateSubscription(signer=CUSTOMER, subscription_id=sid, items=list(sub.items))
    )
    chain.advance(DAY)
    assert chain.sub(sid).status == lifecycle.ACTIVE
    assert chain.sub(sid).allowance.period_spend_limit == 11 * UNIT


def test_the_drain_bound_carries_due_cycles_over_to_the_next_block():
    chain = SubChain(
        sub_params={
            "max_cycles_per_block": 2,
            "retry_delay_seconds": "86400",
            "max_retries": 1,
            "max_items": 10,
        }
    )
    ids = [chain.subscribe() for _ in range(5)]
    chain.advance(0)
    assert sum(chain.sub(s).cycles_billed for s in ids) == 2
    chain.advance(1)
    chain.advance(1)
    assert all(chain.sub(s).cycles_billed == 1 for s in ids)
    chain.check_invariants()
