"""Fraud rules: each rule fires on its own, the score and the hold at payment, who may release,
the sliding velocity window, and the score as a deterministic function of state (Hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import stateset_chain.pb  # noqa: F401
from stateset_chain.compliance import fraud, windows
from stateset_chain.orders.errors import NotAuthorized
from stateset_chain.orders.lifecycle import CANCELLED, HELD, PAID
from tests.compliance.helpers import AUTHORITY, CUSTOMER, MERCHANT, STRANGER, UNIT, CChain

from stateset.compliance.v1 import events_pb2 as cev
from stateset.compliance.v1.compliance_pb2 import (
    CustomerProfile,
    FraudRules,
    FraudStage,
    MismatchRule,
    NewAccountRule,
    SingleOrderRule,
    VelocityRule,
)
from stateset.orders.v1 import events_pb2 as oev
from stateset.orders.v1 import tx_pb2 as tx
from stateset.orders.v1.orders_pb2 import Order, ShippingAddress

HOUR = 3600
PAY = FraudStage.FRAUD_STAGE_PAY


def velocity(max_orders=0, max_amount=0, weight=6000, window=24 * HOUR, bucket=HOUR) -> dict:
    return {"velocity": {"max_orders": max_orders, "max_amount": str(max_amount),
                         "window_seconds": str(window), "bucket_seconds": str(bucket),
                         "orders_weight_bps": weight, "amount_weight_bps": weight}}


def fired(c: CChain, oid: str) -> list[str]:
    return [r.rule for r in c.order(oid).fraud.fired]


def test_defaults_score_nothing_and_hold_nothing():
    c = CChain()
    oid = c.paid_order()
    order = c.order(oid)
    assert order.status == PAID and order.fraud.score_bps == 0 and not order.fraud.fired
    assert order.fraud.stage == PAY and order.fraud.hold_threshold_bps == 10_000


def test_velocity_orders_fires_above_n_and_holds_at_payment():
    c = CChain()
    c.fraud_params(**velocity(max_orders=2), hold_threshold_bps=5000)
    a, b = c.paid_order(), c.paid_order()
    assert c.order(a).status == c.order(b).status == PAID
    third = c.create()
    assert fired(c, third) == ["velocity_orders"]  # at CREATE already: 3 > 2
    assert c.order(third).status != HELD  # only a payment holds
    escrow_before = c.balance(c.keeper.escrow_address)
    c.pay(third)
    order = c.order(third)
    assert order.status == HELD and order.hold_reason == "fraud_review"
    assert order.fraud.held and order.fraud.score_bps == 6000
    assert c.balance(c.keeper.escrow_address) == escrow_before + order.total
    (held,) = c.typed(oev.OrderHeld)
    assert held.reason == "fraud_review: score 6000 > 5000 bps"
    scored = c.typed(cev.FraudAssessed)
    assert [s.assessment.stage for s in scored] == [PAY] and scored[0].order_id == third
    c.check_invariants()


def test_velocity_amount_counts_totals_in_the_window():
    c = CChain()
    c.fraud_params(**velocity(max_amount=25 * UNIT))
    a = c.create()  # 10
    b = c.create()  # 20
    d = c.create()  # 30 > 25
    assert fired(c, a) == fired(c, b) == [] and fired(c, d) == ["velocity_amount"]


def test_the_window_slides_by_buckets():
    c = CChain()
    c.fraud_params(**velocity(max_orders=1, window=3 * HOUR, bucket=HOUR))
    c.create()
    c.advance(2 * HOUR)
    assert fired(c, c.create()) == ["velocity_orders"]  # both within 3 buckets
    c.advance(2 * HOUR)  # the first order's bucket left the window
    assert fired(c, c.create()) == ["velocity_orders"]  # the second's is still in it
    c.advance(3 * HOUR)
    assert fired(c, c.create()) == []


def test_stale_buckets_are_deleted_so_a_customer_holds_at_most_window_buckets():
    c = CChain()
    c.fraud_params(**velocity(max_orders=100, window=4 * HOUR, bucket=HOUR))
    for _ in range(20):
        c.create()
        c.advance(HOUR)
    stored = list(c.compliance.velocity.iterate(c.store, prefix=(CUSTOMER,)))
    assert len(stored) <= 4


def test_single_order_threshold():
    c = CChain()
    c.fraud_params(single_order={"amount": str(15 * UNIT), "weight_bps": 3000})
    assert fired(c, c.create()) == []  # 10
    oid = c.create(items=[c_item("20")])
    assert fired(c, oid) == ["single_order"] and c.order(oid).fraud.score_bps == 3000


def c_item(price: str):
    from tests.orders.helpers import item

    return item(price=price)


def test_new_account_age_and_history():
    c = CChain()
    c.fraud_params(new_account={"min_age_blocks": "10", "min_settled_orders": 1,
                                "age_weight_bps": 1000, "history_weight_bps": 2000})
    oid = c.create()
    assert fired(c, oid) == ["new_account_age", "new_account_history"]
    assert c.order(oid).fraud.score_bps == 3000
    for _ in range(10):
        c.advance(1)
    assert fired(c, c.create()) == ["new_account_history"]
    assert c.compliance.profiles.get(c.store, CUSTOMER).first_seen_height == 1


def test_a_settlement_counts_in_the_customers_history():
    from tests.orders.helpers import RETURN_WINDOW

    c = CChain()
    c.fraud_params(new_account={"min_settled_orders": 1, "history_weight_bps": 2000})
    c.to_status("DELIVERED")
    c.advance(RETURN_WINDOW + 1)
    assert c.compliance.profiles.get(c.store, CUSTOMER).settled_orders == 1
    assert fired(c, c.create()) == []


def test_country_mismatch():
    c = CChain()
    c.fraud_params(mismatch={"weight_bps": 2500})
    assert fired(c, c.create(country="US", billing_country="us")) == []
    assert fired(c, c.create(country="US")) == []  # nothing declared
    oid = c.create(country="US", billing_country="NG")
    assert fired(c, oid) == ["country_mismatch"]
    assert c.order(oid).fraud.fired[0].detail == "billing NG != shipping US"


def test_the_score_is_capped_at_10000():
    rules = FraudRules(
        single_order=SingleOrderRule(amount=1, weight_bps=9000),
        mismatch=MismatchRule(weight_bps=9000),
    )
    order = Order(total=5, billing_country="DE", shipping_address=ShippingAddress(country="US"))
    hits = fraud.fired_rules(rules, order, 1, 0, 0, None)
    assert fraud.score(hits) == 10_000


def held_order(c: CChain) -> str:
    c.fraud_params(**velocity(max_orders=1), hold_threshold_bps=0)
    c.paid_order()
    oid = c.create()
    c.pay(oid)
    assert c.order(oid).status == HELD
    return oid


def test_only_the_merchant_or_the_authority_releases_a_fraud_hold():
    c = CChain()
    oid = held_order(c)
    for who in (CUSTOMER, STRANGER):
        with pytest.raises(NotAuthorized):
            c.deliver(tx.MsgReleaseOrder(signer=who, order_id=oid, reason="me"))
    c.deliver(tx.MsgReleaseOrder(signer=MERCHANT, order_id=oid, reason="known customer"))
    order = c.order(oid)
    assert order.status == PAID and order.hold_reason == "" and order.held_by == ""
    assert order.fraud.held  # the decision stays on the order
    c2 = CChain()
    oid2 = held_order(c2)
    c2.deliver(tx.MsgReleaseOrder(signer=AUTHORITY, order_id=oid2, reason="reviewed"))
    assert c2.order(oid2).status == PAID


def test_the_merchant_or_the_authority_cancels_a_fraud_hold_refunding_the_customer():
    c = CChain()
    oid = held_order(c)
    with pytest.raises(NotAuthorized):
        c.deliver(tx.MsgCancelOrder(signer=CUSTOMER, order_id=oid, reason="me"))
    before = c.balance(CUSTOMER)
    c.deliver(tx.MsgCancelOrder(signer=MERCHANT, order_id=oid, reason="fraud"))
    assert c.order(oid).status == CANCELLED
    assert c.balance(CUSTOMER) == before + c.order(oid).total
    c.check_invariants()


# -- determinism: the score is a function of the state, against a brute force ----------------

events_st = st.lists(
    st.tuples(st.integers(0, 3 * HOUR), st.integers(1, 50), st.booleans()), min_size=1,
    max_size=12,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events=events_st, max_orders=st.integers(0, 4), max_amount=st.integers(0, 120),
       window_buckets=st.integers(1, 6), bucket=st.sampled_from([600, 1800, 3600]))
def test_create_scores_equal_a_brute_force_over_every_order_and_replays_identically(
    events, max_orders, max_amount, window_buckets, bucket
):
    """Two chains fed the same orders compute the same scores; each equals the rules applied
    to every earlier order of the customer kept in a plain list (no buckets)."""
    rules = {"velocity": {"max_orders": max_orders, "max_amount": str(max_amount * UNIT),
                          "window_seconds": str(window_buckets * bucket),
                          "bucket_seconds": str(bucket),
                          "orders_weight_bps": 4000, "amount_weight_bps": 3000},
             "mismatch": {"weight_bps": 1500}}
    chains = [CChain(), CChain()]
    for c in chains:
        c.fraud_params(**rules)
    history: list[tuple[int, int]] = []  # (time s, total) of the customer's orders
    params = chains[0].compliance.params(chains[0].store).fraud
    for gap, dollars, mismatch in events:
        scores = []
        for c in chains:
            c.advance(gap)
            oid = c.create(items=[c_item(str(dollars))], country="US",
                           billing_country="DE" if mismatch else "")
            scores.append((c.order(oid).fraud.score_bps, fired(c, oid)))
        assert scores[0] == scores[1]
        t = chains[0].block.time_seconds
        history.append((t, chains[0].order(oid).total))  # with its tax
        span = windows.velocity_buckets(t, params.velocity.window_seconds, bucket)
        start = span.start * bucket
        in_window = [a for when, a in history if when >= start]
        order = chains[0].order(oid)
        expected = fraud.fired_rules(
            params, order, chains[0].block.height, len(in_window), sum(in_window),
            CustomerProfile(first_seen_height=2),
        )
        assert scores[0] == (fraud.score(expected), [r.rule for r in expected])


def test_fired_rules_is_pure():
    rules = FraudRules(velocity=VelocityRule(max_orders=1, orders_weight_bps=5,
                                             window_seconds=60, bucket_seconds=60),
                       new_account=NewAccountRule(min_age_blocks=5, age_weight_bps=7))
    order = Order(total=10)
    once = fraud.fired_rules(rules, order, 3, 2, 10, CustomerProfile(first_seen_height=1))
    again = fraud.fired_rules(rules, order, 3, 2, 10, CustomerProfile(first_seen_height=1))
    assert once == again and [r.rule for r in once] == ["velocity_orders", "new_account_age"]
