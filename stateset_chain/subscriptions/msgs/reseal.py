"""MsgResealSubscription{signer, subscription_id, personal_data}: the customer re-seals the
personal data each cycle's order carries, to the recipients' current keys.

signer    signer: the customer (it seals its own data)
validate  signer canonical; id format                              -> sdk InvalidAddress,
                                                                      InvalidSubscriptionId
          personal_data present                                    -> orders MissingField
guard     exists; the customer                      -> SubscriptionNotFound, NotAuthorized
          not CANCELED                              -> InvalidTransition
          the cycle order with the new envelope passes MsgCreateOrder's validation and guards
          (the binding to merchant and customer, recipients, each sealed to its recipient's
          current key)                              -> privacy / orders errors
change    personal_data replaced. RESEAL_REQUIRED: back to the status it came from, queued now
          if the period it stopped at is still running (billed in this block's end-block),
          else at the first period starting at or after the block time (no catch-up, as resume)
emit      SubscriptionResealed (and SubscriptionStatusChanged when it returns to billing)

Any other status: only the envelope is replaced (a customer re-seals ahead of a rotation the
merchant announced, or after its own).
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.orders.errors import MissingField
from stateset_chain.subscriptions import billing, lifecycle, schedule
from stateset_chain.subscriptions.errors import InvalidTransition
from stateset_chain.subscriptions.lifecycle import CANCELED, RESEAL_REQUIRED
from stateset_chain.subscriptions.msgs.common import require_party, validate_target

from stateset.subscriptions.v1 import events_pb2 as events
from stateset.subscriptions.v1 import tx_pb2 as tx
from stateset.subscriptions.v1.subscriptions_pb2 import Subscription

MSG = tx.MsgResealSubscription


def signers(msg: tx.MsgResealSubscription) -> list[str]:
    return [msg.signer]


def validate(msg: tx.MsgResealSubscription) -> None:
    validate_target(msg.signer, msg.subscription_id)
    if not msg.HasField("personal_data"):
        raise MissingField("personal_data")


def handle(keeper, ctx: Context, msg: tx.MsgResealSubscription) -> tx.MsgResealSubscriptionResponse:
    sub = keeper.must_get(ctx.store, msg.subscription_id)
    require_party(msg.signer, sub, ("customer",), "re-seal")
    if sub.status == CANCELED:
        raise InvalidTransition(f"subscription {sub.id} is CANCELED")
    resealed = Subscription()
    resealed.CopyFrom(sub)
    resealed.personal_data.CopyFrom(msg.personal_data)
    order = billing.order_msg(resealed)
    parsed = keeper.orders.validate_order(order)
    billing.quote(keeper, ctx, order, parsed)
    sub.personal_data.CopyFrom(msg.personal_data)
    if sub.status == RESEAL_REQUIRED:
        resume_billing(keeper, ctx, sub)
    keeper.save(ctx.store, sub)
    ctx.events.emit(
        events.SubscriptionResealed(
            subscription_id=sub.id, signer=msg.signer, next_attempt=sub.next_attempt
        )
    )
    response = tx.MsgResealSubscriptionResponse(status=sub.status)
    if sub.HasField("next_attempt"):
        response.next_attempt.CopyFrom(sub.next_attempt)
    return response


def resume_billing(keeper, ctx: Context, sub: Subscription) -> None:
    now = ctx.block.time_ns
    lifecycle.transition(keeper, ctx, sub, sub.reseal_from, "resealed")
    sub.reseal_from = 0
    if schedule.boundary(sub, sub.next_period + 1) > now:
        keeper.schedule(ctx.store, sub, now)  # the period it stopped at is still running
        return
    sub.failed_attempts = 0  # that period is over: its failed attempts with it
    sub.next_period = schedule.first_period_at_or_after(sub, sub.next_period + 1, now)
    keeper.schedule(ctx.store, sub, schedule.boundary(sub, sub.next_period))
