"""Per message: MsgCreate/Pause/Resume/Cancel/UpdateSubscription, their errors and events."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.errors import InvalidAddress
from stateset_chain.orders.errors import CustomerIsMerchant, NoItems, UnknownShippingMethod
from stateset_chain.subscriptions import lifecycle
from stateset_chain.subscriptions.errors import (
    AlreadyCanceling,
    EndBeforeStart,
    InvalidInterval,
    InvalidSubscriptionId,
    InvalidTransition,
    NotAuthorized,
    StartInPast,
    SubscriptionNotFound,
    TooManyItems,
    TrialTooLong,
)
from stateset_chain.timefmt import timestamp_ns
from tests.orders.helpers import CUSTOMER, DAY, MERCHANT, START_NS, STRANGER, UNIT, item
from tests.subscriptions.helpers import SubChain, create_sub_msg

from stateset.orders.v1.orders_pb2 import ShippingAddress
from stateset.subscriptions.v1 import events_pb2 as ev
from stateset.subscriptions.v1 import tx_pb2 as tx
from stateset.subscriptions.v1.subscriptions_pb2 import Interval

NS = 10**9
FAKE_ID = "sub_0000000000"


def pause(sid, signer=CUSTOMER):
    return tx.MsgPauseSubscription(signer=signer, subscription_id=sid)


def resume(sid, signer=CUSTOMER):
    return tx.MsgResumeSubscription(signer=signer, subscription_id=sid)


def cancel(sid, signer=CUSTOMER, at_period_end=False):
    return tx.MsgCancelSubscription(signer=signer, subscription_id=sid, at_period_end=at_period_end)


# -- create -------------------------------------------------------------------------------


def test_create_quotes_the_allowance_at_todays_rates_and_queues_the_first_period():
    chain = SubChain()
    msg = create_sub_msg(
        items=[item(price="20", quantity=2)],
        shipping_address=ShippingAddress(country="us", region="ca"),
        shipping_method="standard",
    )
    response = chain.deliver(msg)
    assert response.cycle_total == 40 * UNIT + 2_900_000 + 5 * UNIT
    sub = chain.sub(response.subscription_id)
    assert sub.shipping_address.country == "US"
    assert sub.allowance.period_spend_limit == response.cycle_total
    assert sub.allowance.period_can_spend == 0
    assert timestamp_ns(sub.next_attempt) == START_NS
    [created] = chain.typed(ev.SubscriptionCreated)
    assert created.subscription_id == sub.id and sub.id.startswith("sub_")
    assert chain.keeper.order_count(chain.store) == 0  # the quote left no order
    chain.check_invariants()


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"customer": "nope"}, InvalidAddress),
        ({"merchant": CUSTOMER}, CustomerIsMerchant),
        ({"items": []}, NoItems),
        ({"interval": 0}, InvalidInterval),
        ({"interval": Interval.INTERVAL_DAYS}, InvalidInterval),
        ({"interval": Interval.INTERVAL_WEEKLY, "interval_days": 3}, InvalidInterval),
        ({"trial_days": 731}, TrialTooLong),
        ({"start_ns": START_NS, "end_ns": START_NS}, EndBeforeStart),
        ({"start_ns": START_NS - NS}, StartInPast),
        ({"items": [item()] * 11}, TooManyItems),
        ({"shipping_method": "teleport"}, UnknownShippingMethod),
    ],
)
def test_create_refuses_bad_terms(fields, error):
    chain = SubChain()
    with pytest.raises(error):
        chain.deliver(create_sub_msg(**fields))
    assert chain.subs.get(chain.store, FAKE_ID) is None


def test_create_is_signed_by_the_customer():
    chain = SubChain()
    assert chain.signers(create_sub_msg()) == [CUSTOMER]


# -- pause / resume -------------------------------------------------------------------------


def test_pause_leaves_the_queue_and_resume_skips_the_missed_periods():
    chain = SubChain()
    sid = chain.subscribe(interval=Interval.INTERVAL_WEEKLY)
    chain.advance(0)
    chain.deliver(pause(sid, MERCHANT))
    assert chain.sub(sid).status == lifecycle.PAUSED
    assert not chain.sub(sid).HasField("next_attempt")
    chain.advance(30 * DAY)
    assert chain.sub(sid).cycles_billed == 1
    response = chain.deliver(resume(sid))
    sub = chain.sub(sid)
    assert sub.status == lifecycle.ACTIVE
    assert timestamp_ns(response.next_attempt) == START_NS + 35 * DAY * NS  # week 5, not week 1
    chain.advance_to(timestamp_ns(response.next_attempt))
    assert chain.sub(sid).cycles_billed == 2  # one charge, no catch-up burst
    chain.check_invariants()


def test_pause_and_resume_guards():
    chain = SubChain()
    sid = chain.subscribe()
    with pytest.raises(NotAuthorized):
        chain.deliver(pause(sid, STRANGER))
    with pytest.raises(InvalidTransition):
        chain.deliver(pause(sid))  # INCOMPLETE cannot pause
    with pytest.raises(InvalidTransition):
        chain.deliver(resume(sid))
    with pytest.raises(SubscriptionNotFound):
        chain.deliver(pause(FAKE_ID))
    with pytest.raises(InvalidSubscriptionId):
        chain.deliver(pause("ord_0000000000"))


# -- cancel -------------------------------------------------------------------------------


def test_cancel_now_stops_billing_at_once():
    chain = SubChain()
    sid = chain.subscribe()
    chain.advance(0)
    response = chain.deliver(cancel(sid, MERCHANT))
    assert response.status == lifecycle.CANCELED
    [canceled] = chain.typed(ev.SubscriptionCanceled)
    assert (canceled.signer, canceled.reason) == (MERCHANT, "merchant")
    chain.advance(60 * DAY)
    assert chain.sub(sid).cycles_billed == 1
    with pytest.raises(InvalidTransition):
        chain.deliver(cancel(sid))
    chain.check_invariants()


def test_cancel_at_period_end_bills_nothing_more_and_ends_at_the_boundary():
    chain = SubChain()
    sid = chain.subscribe(interval=Interval.INTERVAL_WEEKLY)
    chain.advance(0)
    chain.deliver(cancel(sid, at_period_end=True))
    assert chain.sub(sid).status == lifecycle.ACTIVE
    with pytest.raises(AlreadyCanceling):
        chain.deliver(cancel(sid, at_period_end=True))
    chain.advance(7 * DAY)
    sub = chain.sub(sid)
    assert (sub.status, sub.cancel_reason, sub.cycles_billed) == (
        lifecycle.CANCELED,
        "period_end",
        1,
    )


# -- update -------------------------------------------------------------------------------


def test_update_takes_effect_at_the_next_period():
    chain = SubChain()
    sid = chain.subscribe(interval=Interval.INTERVAL_WEEKLY)
    chain.advance(0)
    response = chain.deliver(
        tx.MsgUpdateSubscription(signer=CUSTOMER, subscription_id=sid, items=[item(quantity=3)])
    )
    assert response.cycle_total == 30 * UNIT
    assert chain.sub(sid).allowance.period_spend_limit == 10 * UNIT  # this period unchanged
    chain.advance(7 * DAY)
    sub = chain.sub(sid)
    assert sub.items[0].quantity == 3 and not sub.pending_items
    [billed] = chain.typed(ev.SubscriptionCycleBilled)
    assert billed.amount == 30 * UNIT
    chain.check_invariants()


def test_only_the_customer_updates():
    chain = SubChain()
    sid = chain.subscribe()
    with pytest.raises(NotAuthorized):
        chain.deliver(
            tx.MsgUpdateSubscription(signer=MERCHANT, subscription_id=sid, items=[item()])
        )
    with pytest.raises(NoItems):
        chain.deliver(tx.MsgUpdateSubscription(signer=CUSTOMER, subscription_id=sid))


def test_a_seconds_interval_must_be_at_least_the_params_minimum():
    chain = SubChain()
    with pytest.raises(InvalidInterval):
        chain.deliver(create_sub_msg(interval=Interval.INTERVAL_SECONDS, interval_seconds=3600))
    with pytest.raises(InvalidInterval):
        chain.deliver(create_sub_msg(interval=Interval.INTERVAL_DAILY, interval_seconds=3600))
    sid = chain.subscribe(interval=Interval.INTERVAL_SECONDS, interval_seconds=2 * DAY)
    chain.advance(0)
    chain.advance(2 * DAY)
    assert chain.sub(sid).cycles_billed == 2
