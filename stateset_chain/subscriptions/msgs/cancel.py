"""MsgCancelSubscription: end now, or at the end of the current period.

signer    signer: the customer or the merchant
validate  as MsgPauseSubscription
guard     exists; customer or merchant                -> SubscriptionNotFound, NotAuthorized
          not CANCELED (the table)                    -> InvalidTransition
          at_period_end: queued (not PAUSED)          -> InvalidTransition
          at_period_end: not already scheduled        -> AlreadyCanceling
change    now: out of the queue, -> CANCELED (reason: the signer's role);
          at_period_end: cancel_at_period_end; at its next queue time the subscription becomes
          CANCELED (reason period_end) instead of being charged
emit      now: SubscriptionStatusChanged, SubscriptionCanceled; at period end:
          SubscriptionCancelScheduled (then the two others from the end-block)
Nothing is refunded: the cycles already billed are orders, refunded through the orders module.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.subscriptions import billing, lifecycle
from stateset_chain.subscriptions.errors import AlreadyCanceling, InvalidTransition
from stateset_chain.subscriptions.lifecycle import CANCELED, SCHEDULED, status_name
from stateset_chain.subscriptions.msgs.common import require_party, validate_target

from stateset.subscriptions.v1 import events_pb2 as events
from stateset.subscriptions.v1 import tx_pb2 as tx

MSG = tx.MsgCancelSubscription


def signers(msg: tx.MsgCancelSubscription) -> list[str]:
    return [msg.signer]


def validate(msg: tx.MsgCancelSubscription) -> None:
    validate_target(msg.signer, msg.subscription_id)


def handle(keeper, ctx: Context, msg: tx.MsgCancelSubscription) -> tx.MsgCancelSubscriptionResponse:
    sub = keeper.must_get(ctx.store, msg.subscription_id)
    role = require_party(msg.signer, sub, ("customer", "merchant"), "cancel")
    lifecycle.require_transition(sub, CANCELED)
    if msg.at_period_end:
        if sub.status not in SCHEDULED:
            raise InvalidTransition(
                f"subscription {sub.id} is {status_name(sub.status)}: no period is running"
            )
        if sub.cancel_at_period_end:
            raise AlreadyCanceling(sub.id)
        sub.cancel_at_period_end = True
        keeper.save(ctx.store, sub)
        ctx.events.emit(
            events.SubscriptionCancelScheduled(subscription_id=sub.id, signer=msg.signer)
        )
        return tx.MsgCancelSubscriptionResponse(status=sub.status)
    billing.end(keeper, ctx, sub, role, msg.signer)
    keeper.save(ctx.store, sub)
    return tx.MsgCancelSubscriptionResponse(status=sub.status)
