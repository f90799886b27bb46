"""MsgPauseSubscription: stop billing until resumed.

signer    signer: the customer or the merchant
validate  signer canonical                                    -> sdk InvalidAddress
          id is sub_ + 10 base62                               -> InvalidSubscriptionId
guard     the subscription exists                              -> SubscriptionNotFound
          signer is its customer or merchant                   -> NotAuthorized
          ACTIVE or TRIALING (the table)                       -> InvalidTransition
change    out of the due queue; paused_from = the status; -> PAUSED
emit      SubscriptionStatusChanged, SubscriptionPaused
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.subscriptions import lifecycle
from stateset_chain.subscriptions.lifecycle import PAUSED
from stateset_chain.subscriptions.msgs.common import require_party, validate_target

from stateset.subscriptions.v1 import events_pb2 as events
from stateset.subscriptions.v1 import tx_pb2 as tx

MSG = tx.MsgPauseSubscription


def signers(msg: tx.MsgPauseSubscription) -> list[str]:
    return [msg.signer]


def validate(msg: tx.MsgPauseSubscription) -> None:
    validate_target(msg.signer, msg.subscription_id)


def handle(keeper, ctx: Context, msg: tx.MsgPauseSubscription) -> tx.MsgPauseSubscriptionResponse:
    sub = keeper.must_get(ctx.store, msg.subscription_id)
    require_party(msg.signer, sub, ("customer", "merchant"), "pause")
    lifecycle.require_transition(sub, PAUSED)
    sub.paused_from = sub.status
    keeper.unschedule(ctx.store, sub)
    lifecycle.transition(keeper, ctx, sub, PAUSED, "paused")
    keeper.save(ctx.store, sub)
    ctx.events.emit(events.SubscriptionPaused(subscription_id=sub.id, signer=msg.signer))
    return tx.MsgPauseSubscriptionResponse()
