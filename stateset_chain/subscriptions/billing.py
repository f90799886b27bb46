"""End-block billing: the due queue, each cycle's order, and dunning.

Every subscription that can still be charged has one entry ``(next_attempt, id)`` in the due
queue. At the end of each block, ``end_block`` takes the entries due at or before the block time,
earliest first, at most ``max_cycles_per_block`` of them (the rest carry over to the next block),
and processes each one:

1. a cancellation scheduled for the period end, or a period past ``end`` / ``max_cycles``:
   the subscription becomes CANCELED (reason ``period_end`` or ``completed``), nothing is charged;
2. otherwise the allowance is topped up if its period has begun (schedule.py), and the cycle is
   charged on a store branch: MsgCreateOrder's handler creates the order (creator and customer:
   the subscription's customer), the order records ``subscription_id`` and ``subscription_cycle``,
   its total must fit the period's allowance (``AllowanceExceeded``), and MsgPayOrder's code pays
   it in full from the customer's balance. The branch is written only if all of it succeeds, so a
   failed charge leaves no order behind.
3. paid: a Cycle record, ``SubscriptionCycleBilled``, the status becomes ACTIVE, and the next
   period is queued (after a recovery, periods that began meanwhile are skipped, not billed);
4. refused because the sealed personal data is sealed to a key its recipient has since rotated
   (privacy StaleEncryptionKey / UnknownEncryptionKey): not a failed charge (the customer's
   money is not the problem and no retry can fix it): the subscription becomes RESEAL_REQUIRED
   (``SubscriptionResealRequired``), out of the queue, until the customer re-seals the data
   to the current keys (MsgResealSubscription) or either party cancels;
5. refused (any other error, e.g. sdk InsufficientFunds): ``SubscriptionChargeFailed``; ACTIVE
   and TRIALING become PAST_DUE (INCOMPLETE stays INCOMPLETE); a retry is queued
   ``retry_delay_seconds`` later, up to ``max_retries`` retries; after the last one the
   subscription becomes CANCELED (reason ``dunning_exhausted``).

Work per block is O(entries drained x log n): only due entries are read.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.coins import Coin
from stateset_chain.context import Context
from stateset_chain.errors import ChainError
from stateset_chain.events import EventManager
from stateset_chain.privacy.errors import StaleEncryptionKey, UnknownEncryptionKey
from stateset_chain.store.kv import Branch
from stateset_chain.subscriptions import lifecycle, schedule
from stateset_chain.subscriptions.errors import AllowanceExceeded
from stateset_chain.subscriptions.lifecycle import (
    ACTIVE,
    CANCELED,
    INCOMPLETE,
    PAST_DUE,
    RESEAL_REQUIRED,
)
from stateset_chain.timefmt import timestamp

from stateset.orders.v1 import tx_pb2 as orders_tx
from stateset.subscriptions.v1 import events_pb2 as events
from stateset.subscriptions.v1.subscriptions_pb2 import Cycle, Params, Subscription

NS = 1_000_000_000
PAYMENT_METHOD = "subscription"


def order_msg(sub: Subscription, items=None) -> orders_tx.MsgCreateOrder:
    """The MsgCreateOrder a cycle of ``sub`` is (the customer creates it, by its signed consent)."""
    msg = orders_tx.MsgCreateOrder(
        creator=sub.customer,
        customer=sub.customer,
        merchant=sub.merchant,
        items=list(sub.items if items is None else items),
        currency=sub.currency,
        shipping_method=sub.shipping_method,
        source="subscription",
    )
    if sub.HasField("shipping_address"):
        msg.shipping_address.CopyFrom(sub.shipping_address)
    if sub.HasField("personal_data"):
        msg.personal_data.CopyFrom(sub.personal_data)
    return msg


def quote(keeper, ctx: Context, msg: orders_tx.MsgCreateOrder, parsed) -> int:
    """The total the orders module would charge for ``msg`` now, with all its guards, on a branch
    that is thrown away. ``parsed``: what the orders' validation of ``msg`` returned."""
    scratch = Context(Branch(ctx.store), ctx.block, ctx.gas, EventManager())
    return keeper.orders.create_order(scratch, msg, parsed, reserve_stock=False).total


def end_block(keeper, ctx: Context) -> None:
    params = keeper.params(ctx.store)
    for _, sub_id in keeper.due(ctx.store, ctx.block.time_ns, params.max_cycles_per_block):
        sub = keeper.must_get(ctx.store, sub_id)
        keeper.unschedule(ctx.store, sub)
        process(keeper, ctx, sub, params)
        keeper.save(ctx.store, sub)


def process(keeper, ctx: Context, sub: Subscription, params: Params) -> None:
    now = ctx.block.time_ns
    if sub.cancel_at_period_end:
        end(keeper, ctx, sub, "period_end", "")
        return
    if schedule.ends_before(sub, sub.next_period):
        end(keeper, ctx, sub, "completed", "")
        return
    schedule.try_reset_allowance(sub, now)
    attempt = sub.failed_attempts + 1
    try:
        cycle = charge(keeper, ctx, sub, attempt)
    except (StaleEncryptionKey, UnknownEncryptionKey) as e:
        reseal_required(keeper, ctx, sub, f"{e.codespace}/{e.code}: {e.log}")
        return
    except ChainError as e:
        charge_failed(keeper, ctx, sub, params, f"{e.codespace}/{e.code}: {e.log}")
        return
    billed(keeper, ctx, sub, cycle)


def reseal_required(keeper, ctx: Context, sub: Subscription, reason: str) -> None:
    """Out of the queue until the customer re-seals (MsgResealSubscription); failed_attempts
    and the allowance are kept as they are, so billing resumes where it stopped."""
    sub.reseal_from = sub.status
    lifecycle.transition(keeper, ctx, sub, RESEAL_REQUIRED, "key_rotated")
    ctx.events.emit(
        events.SubscriptionResealRequired(
            subscription_id=sub.id, cycle=sub.cycles_billed + 1, reason=reason
        )
    )


def charge(keeper, ctx: Context, sub: Subscription, attempt: int) -> Cycle:
    """Create and pay the cycle's order on a branch, written only if both succeed."""
    branch = Branch(ctx.store)
    sub_events = EventManager()
    inner = Context(branch, ctx.block, ctx.gas, sub_events)
    number = sub.cycles_billed + 1
    created = keeper.orders.create_order(inner, order_msg(sub))
    if created.total > sub.allowance.period_can_spend:
        raise AllowanceExceeded(
            f"cycle {number} costs {created.total}{created.denom}, "
            f"{sub.allowance.period_can_spend} is left of this period's allowance"
        )
    order = keeper.orders.must_get_order(branch, created.order_id)
    order.subscription_id = sub.id
    order.subscription_cycle = number
    keeper.orders.save_order(branch, order)
    paid = keeper.orders.pay_order(
        inner,
        sub.customer,
        created.order_id,
        Coin(created.denom, created.total),
        PAYMENT_METHOD,
    )
    branch.write()
    for event in sub_events.events:
        ctx.events.emit_raw(event)
    sub.allowance.period_can_spend -= created.total
    return Cycle(
        subscription_id=sub.id,
        number=number,
        period=sub.next_period,
        order_id=created.order_id,
        payment_id=paid.payment_id,
        amount=created.total,
        denom=created.denom,
        billed_at=timestamp(ctx.block.time_ns),
        attempts=attempt,
    )


def billed(keeper, ctx: Context, sub: Subscription, cycle: Cycle) -> None:
    recovered = sub.failed_attempts > 0
    keeper.add_cycle(ctx.store, cycle)
    sub.cycles_billed = cycle.number
    sub.failed_attempts = 0
    sub.last_failure = ""
    if sub.status != ACTIVE:
        lifecycle.transition(keeper, ctx, sub, ACTIVE, "recovered" if recovered else "paid")
    following = sub.next_period + 1
    if recovered:
        following = schedule.first_period_at_or_after(sub, following, ctx.block.time_ns)
    sub.next_period = following
    keeper.schedule(ctx.store, sub, schedule.boundary(sub, following))
    ctx.events.emit(
        events.SubscriptionCycleBilled(
            subscription_id=sub.id,
            cycle=cycle.number,
            order_id=cycle.order_id,
            payment_id=cycle.payment_id,
            amount=cycle.amount,
            denom=cycle.denom,
            next_attempt=sub.next_attempt,
        )
    )


def charge_failed(keeper, ctx: Context, sub: Subscription, params: Params, reason: str) -> None:
    sub.failed_attempts += 1
    sub.last_failure = reason
    number = sub.cycles_billed + 1
    exhausted = sub.failed_attempts > params.max_retries
    failed = events.SubscriptionChargeFailed(
        subscription_id=sub.id, cycle=number, attempt=sub.failed_attempts, reason=reason
    )
    if not exhausted:
        keeper.schedule(ctx.store, sub, ctx.block.time_ns + params.retry_delay_seconds * NS)
        failed.next_retry.CopyFrom(sub.next_attempt)
    ctx.events.emit(failed)
    if exhausted:
        end(keeper, ctx, sub, "dunning_exhausted", "")
    elif sub.status not in (PAST_DUE, INCOMPLETE):
        lifecycle.transition(keeper, ctx, sub, PAST_DUE, "charge_failed")


def end(keeper, ctx: Context, sub: Subscription, reason: str, signer: str) -> None:
    """CANCELED now: out of the queue, nothing more is charged. Orders already billed keep
    their own lifecycle (the merchant still ships them, or refunds them)."""
    keeper.unschedule(ctx.store, sub)
    lifecycle.transition(keeper, ctx, sub, CANCELED, reason)
    sub.canceled_at.CopyFrom(timestamp(ctx.block.time_ns))
    sub.cancel_reason = reason
    sub.cancel_at_period_end = False
    ctx.events.emit(
        events.SubscriptionCanceled(subscription_id=sub.id, signer=signer, reason=reason)
    )
