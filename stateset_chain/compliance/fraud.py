"""The fraud score: which rules fire for an order, and their weights summed.

    score_bps = min(10000, Σ weight_bps of the fired rules)

Rules (module params ``fraud``; a rule whose limit is 0 never fires):

    velocity_orders      the customer's orders in the velocity window > max_orders
    velocity_amount      their totals (base units, every denom: all are 6-decimal USD
                         stablecoins) in the window > max_amount
    single_order         the order's total > single_order.amount

An order priced in a fiat currency (orders SPEC "Fiat currencies") is measured by its USD
stablecoin amount, ``usd_amount``: its total in its denom at the locked rate, or before the lock
the quote at creation (the rate of the creating block).
    new_account_age      block height - the customer's first-seen height < min_age_blocks
    new_account_history  the customer's settled orders < min_settled_orders
    country_mismatch     billing_country is set, the shipping country is set, and they differ

The order being scored counts in its own window: at CREATE it is recorded first (its bucket gets
+1 order and +total; a customer seen for the first time gets its profile, first seen now), at PAY
(the payment that covers the total) nothing is recorded and the same rules are read again at the
payment's block time. At PAY a score above ``hold_threshold_bps`` holds the order
(``FraudAssessment.held``; the orders module moves it PAID -> HELD with reason fraud_review).

A score is a function of the params, the order, the block (height, time) and three counters:
the customer's velocity buckets in the window (at most 64 keys, read by one prefix walk, stale
buckets deleted as they are passed), its profile; so it costs the same at any history size.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import stateset_chain.pb  # noqa: F401
from stateset_chain.compliance import windows
from stateset_chain.context import Context
from stateset_chain.store.kv import KVStore
from stateset_chain.store.memo import ReadAhead

from stateset.compliance.v1 import events_pb2 as events
from stateset.compliance.v1.compliance_pb2 import (
    CustomerProfile,
    FiredRule,
    FraudAssessment,
    FraudRules,
    FraudStage,
    VelocityBucket,
)
from stateset.orders.v1.orders_pb2 import Order

if TYPE_CHECKING:
    from stateset_chain.compliance.state import ComplianceKeeper

CREATE = FraudStage.FRAUD_STAGE_CREATE
PAY = FraudStage.FRAUD_STAGE_PAY
MAX_SCORE = 10_000


def window_counts(
    keeper: ComplianceKeeper, store: KVStore, customer: str, t_seconds: int, rules: FraudRules,
    prune: bool = False,
) -> tuple[int, int]:
    """(orders, amount) of ``customer`` in the velocity window ending at ``t_seconds``.

    Buckets are keyed by their start time in seconds (``bucket * bucket_seconds``), so a change
    of bucket size keeps old counts in place in time. With ``prune`` the buckets before the
    window are deleted."""
    v = rules.velocity
    span = windows.velocity_buckets(t_seconds, v.window_seconds, v.bucket_seconds)
    start = span.start * v.bucket_seconds
    orders = amount = 0
    stale = []
    for (_, begins), counts in keeper.velocity.iterate(store, prefix=(customer,)):
        if begins < start:
            stale.append(begins)
            continue
        orders += counts.orders
        amount += counts.amount
    if prune:
        for begins in stale:
            keeper.velocity.delete(store, (customer, begins))
    return orders, amount


def bucket_start(t_seconds: int, rules: FraudRules) -> int:
    """The start (seconds) of the velocity bucket that holds block time ``t_seconds``."""
    b = rules.velocity.bucket_seconds
    return (t_seconds // b) * b


def usd_amount(order: Order) -> int:
    """The order's amount in USD stablecoin base units: ``stablecoin_total`` for a fiat-priced
    order (set on every one: the lock, or the creation quote), else its total."""
    return order.stablecoin_total or order.total


def record_order(keeper: ComplianceKeeper, ctx: Context, order: Order, rules: FraudRules) -> None:
    """Count a new order in its customer's current bucket and profile."""
    key = (order.customer, bucket_start(ctx.block.time_seconds, rules))
    counts = keeper.velocity.get(ctx.store, key) or VelocityBucket()
    counts.orders += 1
    counts.amount += usd_amount(order)
    keeper.velocity.set(ctx.store, key, counts)
    if keeper.profiles.get(ctx.store, order.customer) is None:
        keeper.profiles.set(
            ctx.store, order.customer, CustomerProfile(first_seen_height=ctx.block.height)
        )


def reads(
    keeper: ComplianceKeeper, store: KVStore, customer: str, t_seconds: int, create: bool
) -> ReadAhead:
    """What ``assess`` of ``customer``'s order at block time ``t_seconds`` reads of the committed
    state: the customer's velocity buckets (``window_counts``' range), its profile and at CREATE
    the bucket ``record_order`` adds to (a block reads them ahead: store/memo.py)."""
    keys = [keeper.profiles.store_key(customer)]
    if create:
        rules = keeper.params(store).fraud
        keys.append(keeper.velocity.store_key((customer, bucket_start(t_seconds, rules))))
    start, end = keeper.velocity.prefix_range((customer,))
    return ReadAhead(keys, [(start, end)] if end is not None else [])


def fired_rules(
    rules: FraudRules, order: Order, height: int, orders_in_window: int, amount_in_window: int,
    profile: CustomerProfile | None,
) -> list[FiredRule]:
    """The rules that fire, in the order of the table above: a pure function of its inputs."""
    out: list[FiredRule] = []
    v = rules.velocity
    if v.max_orders and orders_in_window > v.max_orders:
        out.append(FiredRule(
            rule="velocity_orders", weight_bps=v.orders_weight_bps,
            detail=f"{orders_in_window} orders > {v.max_orders} in {v.window_seconds}s",
        ))
    if v.max_amount and amount_in_window > v.max_amount:
        out.append(FiredRule(
            rule="velocity_amount", weight_bps=v.amount_weight_bps,
            detail=f"{amount_in_window} > {v.max_amount} in {v.window_seconds}s",
        ))
    s = rules.single_order
    amount = usd_amount(order)
    if s.amount and amount > s.amount:
        out.append(FiredRule(
            rule="single_order", weight_bps=s.weight_bps, detail=f"{amount} > {s.amount}"
        ))
    n = rules.new_account
    first_seen = profile.first_seen_height if profile is not None else height
    settled = profile.settled_orders if profile is not None else 0
    if n.min_age_blocks and height - first_seen < n.min_age_blocks:
        out.append(FiredRule(
            rule="new_account_age", weight_bps=n.age_weight_bps,
            detail=f"first seen {height - first_seen} blocks ago < {n.min_age_blocks}",
        ))
    if n.min_settled_orders and settled < n.min_settled_orders:
        out.append(FiredRule(
            rule="new_account_history", weight_bps=n.history_weight_bps,
            detail=f"{settled} settled orders < {n.min_settled_orders}",
        ))
    ship = order.shipping_address.country
    if order.billing_country and ship and order.billing_country != ship:
        out.append(FiredRule(
            rule="country_mismatch", weight_bps=rules.mismatch.weight_bps,
            detail=f"billing {order.billing_country} != shipping {ship}",
        ))
    return out


def score(fired: list[FiredRule]) -> int:
    return min(MAX_SCORE, sum(r.weight_bps for r in fired))


def assess(keeper: ComplianceKeeper, ctx: Context, order: Order, stage: int) -> FraudAssessment:
    """Score ``order`` at ``stage`` (recording it first at CREATE), set ``order.fraud`` and emit
    FraudAssessed. The caller holds the order when ``held`` is set."""
    rules = keeper.params(ctx.store).fraud
    if stage == CREATE:
        record_order(keeper, ctx, order, rules)
    orders_n, amount = window_counts(
        keeper, ctx.store, order.customer, ctx.block.time_seconds, rules, prune=stage == CREATE
    )
    profile = keeper.profiles.get(ctx.store, order.customer)
    fired = fired_rules(rules, order, ctx.block.height, orders_n, amount, profile)
    total = score(fired)
    result = FraudAssessment(
        stage=stage,
        score_bps=total,
        fired=fired,
        hold_threshold_bps=rules.hold_threshold_bps,
        held=stage == PAY and total > rules.hold_threshold_bps,
        height=ctx.block.height,
    )
    order.fraud.CopyFrom(result)
    ctx.events.emit(
        events.FraudAssessed(order_id=order.id, customer=order.customer, assessment=result)
    )
    return result


def record_settled(keeper: ComplianceKeeper, ctx: Context, order: Order) -> None:
    """One more settled order for the customer (the new-account rule's history)."""
    profile = keeper.profiles.get(ctx.store, order.customer) or CustomerProfile(
        first_seen_height=ctx.block.height
    )
    profile.settled_orders += 1
    keeper.profiles.set(ctx.store, order.customer, profile)
