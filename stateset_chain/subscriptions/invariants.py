"""Subscriptions invariants (crash with ``InvariantBroken``). They scan all subscriptions: run by
the invariant checks (tests, the crisis-style check), never per block.

- queue_consistent: a subscription is queued exactly once, under its next_attempt, iff its status
  is INCOMPLETE, TRIALING, ACTIVE or PAST_DUE; no queue entry names an unknown subscription.
- cycles_consistent: a subscription's cycles are numbered 1..cycles_billed, each names an existing
  order that records this subscription and cycle, and was paid in full in the allowance's denom.
- allowance_bounded: 0 <= period_can_spend <= period_spend_limit.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.errors import InvariantBroken
from stateset_chain.subscriptions.lifecycle import SCHEDULED
from stateset_chain.timefmt import timestamp_ns


def queue_consistent(keeper, ctx: Context) -> None:
    queued: dict[str, int] = {}
    for at, sub_id in keeper.queue(ctx.store):
        if sub_id in queued:
            raise InvariantBroken(f"subscription {sub_id} queued twice")
        queued[sub_id] = at
    for sub in keeper.all(ctx.store):
        expected = timestamp_ns(sub.next_attempt) if sub.status in SCHEDULED else None
        if queued.pop(sub.id, None) != expected:
            raise InvariantBroken(f"subscription {sub.id}: queue entry != next_attempt/status")
    if queued:
        raise InvariantBroken(f"queue entries of unknown subscriptions: {sorted(queued)}")


def cycles_consistent(keeper, ctx: Context) -> None:
    for sub in keeper.all(ctx.store):
        cycles = keeper.cycles_of(ctx.store, sub.id)
        if [c.number for c in cycles] != list(range(1, sub.cycles_billed + 1)):
            raise InvariantBroken(f"subscription {sub.id}: cycles are not 1..{sub.cycles_billed}")
        for c in cycles:
            order = keeper.orders.must_get_order(ctx.store, c.order_id)
            if (order.subscription_id, order.subscription_cycle) != (sub.id, c.number):
                raise InvariantBroken(f"order {order.id} does not record cycle {c.number}")
            if order.total != c.amount or order.denom != c.denom or order.amount_paid < c.amount:
                raise InvariantBroken(f"order {order.id} is not cycle {c.number}'s paid amount")


def allowance_bounded(keeper, ctx: Context) -> None:
    for sub in keeper.all(ctx.store):
        a = sub.allowance
        if not 0 <= a.period_can_spend <= a.period_spend_limit:
            raise InvariantBroken(f"subscription {sub.id}: can_spend {a.period_can_spend}")


ALL = (queue_consistent, cycles_consistent, allowance_bounded)
