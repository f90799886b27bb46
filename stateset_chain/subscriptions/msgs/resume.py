"""MsgResumeSubscription: billing starts again from the next period that has not begun.

signer    signer: the customer or the merchant
validate  as MsgPauseSubscription
guard     exists; customer or merchant; PAUSED       -> SubscriptionNotFound, NotAuthorized,
                                                        InvalidTransition
change    -> paused_from (ACTIVE or TRIALING); next_period = the first period starting at or
          after the block time (periods that passed while paused are skipped, never billed);
          queued at its start
emit      SubscriptionStatusChanged, SubscriptionResumed
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.subscriptions import lifecycle, schedule
from stateset_chain.subscriptions.errors import InvalidTransition
from stateset_chain.subscriptions.lifecycle import PAUSED, status_name
from stateset_chain.subscriptions.msgs.common import require_party, validate_target

from stateset.subscriptions.v1 import events_pb2 as events
from stateset.subscriptions.v1 import tx_pb2 as tx

MSG = tx.MsgResumeSubscription


def signers(msg: tx.MsgResumeSubscription) -> list[str]:
    return [msg.signer]


def validate(msg: tx.MsgResumeSubscription) -> None:
    validate_target(msg.signer, msg.subscription_id)


def handle(keeper, ctx: Context, msg: tx.MsgResumeSubscription) -> tx.MsgResumeSubscriptionResponse:
    sub = keeper.must_get(ctx.store, msg.subscription_id)
    require_party(msg.signer, sub, ("customer", "merchant"), "resume")
    if sub.status != PAUSED:
        raise InvalidTransition(f"subscription {sub.id} is {status_name(sub.status)}, not PAUSED")
    lifecycle.transition(keeper, ctx, sub, sub.paused_from, "resumed")
    sub.next_period = schedule.first_period_at_or_after(sub, sub.next_period, ctx.block.time_ns)
    keeper.schedule(ctx.store, sub, schedule.boundary(sub, sub.next_period))
    keeper.save(ctx.store, sub)
    ctx.events.emit(
        events.SubscriptionResumed(
            subscription_id=sub.id, signer=msg.signer, next_attempt=sub.next_attempt
        )
    )
    return tx.MsgResumeSubscriptionResponse(next_attempt=sub.next_attempt)
