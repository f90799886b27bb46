"""MsgCreateSubscription: the customer pre-authorizes one charge per billing period.

signer    customer
validate  customer, merchant canonical; the cycle's order passes MsgCreateOrder's validation
          (items, currency, shipping country/region, sealed personal data; customer != merchant)
                                                              -> sdk InvalidAddress, orders errors
          interval set; interval_days in 1..3650 iff INTERVAL_DAYS;
          interval_seconds >= 1 iff INTERVAL_SECONDS                -> InvalidInterval
          trial_days <= 730                                         -> TrialTooLong
          end (if set) after start + trial                          -> EndBeforeStart
guard     start (if set) >= block time                              -> StartInPast
          interval_seconds >= min_interval_seconds                  -> InvalidInterval
          items <= max_items                                        -> TooManyItems
          the cycle's order passes MsgCreateOrder's guards now (shipping method known, merchant
          can be settled to, sealed to current keys, total in range) -> orders errors
change    allowance: period_spend_limit = the order total at today's prices, tax and shipping
          rates; can_spend 0 until the first period begins; status TRIALING (trial) or
          INCOMPLETE; queued at start + trial days
emit      SubscriptionCreated
"""

from __future__ import annotations

from typing import Any

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.subscriptions import billing, schedule
from stateset_chain.subscriptions.errors import (
    EndBeforeStart,
    InvalidInterval,
    StartInPast,
    TooManyItems,
    TrialTooLong,
)
from stateset_chain.subscriptions.lifecycle import INCOMPLETE, TRIALING
from stateset_chain.subscriptions.msgs.common import require_address
from stateset_chain.timefmt import timestamp, timestamp_ns

from stateset.subscriptions.v1 import events_pb2 as events
from stateset.subscriptions.v1 import tx_pb2 as tx
from stateset.subscriptions.v1.subscriptions_pb2 import Allowance, Interval, Subscription

MSG = tx.MsgCreateSubscription
MAX_INTERVAL_DAYS = 3650


def signers(msg: tx.MsgCreateSubscription) -> list[str]:
    return [msg.customer]


def draft(msg: tx.MsgCreateSubscription, currency: str) -> Subscription:
    """The subscription's fixed terms, as the message gives them (``currency``: its currency as
    an order stores it, ``OrdersKeeper.order_currency``)."""
    sub = Subscription(
        customer=msg.customer,
        merchant=msg.merchant,
        items=list(msg.items),
        currency=currency,
        interval=msg.interval,
        interval_days=msg.interval_days,
        interval_seconds=msg.interval_seconds,
        max_cycles=msg.max_cycles,
        trial_days=msg.trial_days,
        shipping_method=msg.shipping_method,
    )
    if msg.HasField("shipping_address"):
        sub.shipping_address.CopyFrom(msg.shipping_address)
        sub.shipping_address.country = msg.shipping_address.country.upper()
        sub.shipping_address.region = msg.shipping_address.region.upper()
    if msg.HasField("personal_data"):
        sub.personal_data.CopyFrom(msg.personal_data)
    if msg.HasField("start"):
        sub.start.CopyFrom(msg.start)
    if msg.HasField("end"):
        sub.end.CopyFrom(msg.end)
    return sub


def validate_interval(interval: int, days: int, seconds: int) -> None:
    if interval not in Interval.values() or interval == Interval.INTERVAL_UNSPECIFIED:
        raise InvalidInterval(
            f"interval {interval}; use daily, weekly, monthly, yearly, days or seconds"
        )
    if interval == Interval.INTERVAL_DAYS and not 1 <= days <= MAX_INTERVAL_DAYS:
        raise InvalidInterval(f"interval_days {days} is not in 1..{MAX_INTERVAL_DAYS}")
    if interval != Interval.INTERVAL_DAYS and days:
        raise InvalidInterval("interval_days is only for INTERVAL_DAYS")
    if interval == Interval.INTERVAL_SECONDS and not 1 <= seconds <= MAX_INTERVAL_DAYS * 86_400:
        raise InvalidInterval(f"interval_seconds {seconds}")
    if interval != Interval.INTERVAL_SECONDS and seconds:
        raise InvalidInterval("interval_seconds is only for INTERVAL_SECONDS")


def validate(keeper, msg: tx.MsgCreateSubscription) -> Any:
    """What MsgCreateOrder's validation (``keeper.orders``, stateless) parsed of a cycle's order,
    for the quote."""
    require_address(msg.customer, "customer")
    require_address(msg.merchant, "merchant")
    sub = draft(msg, keeper.orders.order_currency(msg.currency))
    parsed = keeper.orders.validate_order(billing.order_msg(sub))
    validate_interval(msg.interval, msg.interval_days, msg.interval_seconds)
    if msg.trial_days > schedule.MAX_TRIAL_DAYS:
        raise TrialTooLong(f"{msg.trial_days} days")
    if msg.HasField("start") and msg.HasField("end"):
        if timestamp_ns(msg.end) <= schedule.anchor_ns(sub):
            raise EndBeforeStart("end must be after start + trial days")
    return parsed


def handle(
    keeper, ctx: Context, msg: tx.MsgCreateSubscription, parsed: Any
) -> tx.MsgCreateSubscriptionResponse:
    params = keeper.params(ctx.store)
    now = ctx.block.time_ns
    if msg.HasField("start") and timestamp_ns(msg.start) < now:
        raise StartInPast(f"start {timestamp_ns(msg.start)} < block time {now}")
    if (
        msg.interval == Interval.INTERVAL_SECONDS
        and msg.interval_seconds < params.min_interval_seconds
    ):
        raise InvalidInterval(
            f"interval_seconds {msg.interval_seconds} < min_interval_seconds "
            f"{params.min_interval_seconds}"
        )
    if len(msg.items) > params.max_items:
        raise TooManyItems(f"{len(msg.items)} items, the limit is {params.max_items}")
    sub = draft(msg, parsed.currency)
    if not msg.HasField("start"):
        sub.start.CopyFrom(timestamp(now))
    if sub.HasField("end") and timestamp_ns(sub.end) <= schedule.anchor_ns(sub):
        raise EndBeforeStart("end must be after start + trial days")
    total = billing.quote(keeper, ctx, billing.order_msg(sub), parsed)
    denom = parsed.denom

    seq, sub_id = keeper.next_id(ctx.store)
    sub.id = sub_id
    sub.sequence = seq
    sub.status = TRIALING if sub.trial_days else INCOMPLETE
    sub.created_at.CopyFrom(timestamp(now))
    anchor = schedule.anchor_ns(sub)
    sub.allowance.CopyFrom(
        Allowance(
            denom=denom,
            period_spend_limit=total,
            period_can_spend=0,
            period_reset=timestamp(anchor),
        )
    )
    keeper.insert(ctx.store, sub)
    keeper.schedule(ctx.store, sub, anchor)
    keeper.save(ctx.store, sub)
    ctx.events.emit(
        events.SubscriptionCreated(
            subscription_id=sub_id,
            customer=sub.customer,
            merchant=sub.merchant,
            status=sub.status,
            cycle_total=total,
            denom=denom,
            first_attempt=sub.next_attempt,
        )
    )
    return tx.MsgCreateSubscriptionResponse(
        subscription_id=sub_id, cycle_total=total, denom=denom, status=sub.status
    )
