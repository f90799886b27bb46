"""MsgUpdateSubscription: new items (or quantities) from the next period on.

signer    signer: the customer (it authorizes what it will be charged)
validate  signer canonical; id format; at least one item            -> orders NoItems
guard     exists; the customer                        -> SubscriptionNotFound, NotAuthorized
          not CANCELED                                -> InvalidTransition
          items <= max_items                          -> TooManyItems
          the new cycle order passes MsgCreateOrder's validation -> orders errors
          the new cycle order passes MsgCreateOrder's guards -> orders errors
change    pending_items and pending_spend_limit (the new order total at today's rates); they
          replace items and period_spend_limit when the next period's allowance is topped up.
          Sending the same items re-authorizes the allowance at today's rates (after a tax or
          shipping rate rise made a charge fail with AllowanceExceeded).
emit      SubscriptionUpdated
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.orders.errors import NoItems
from stateset_chain.subscriptions import billing
from stateset_chain.subscriptions.errors import InvalidTransition, TooManyItems
from stateset_chain.subscriptions.lifecycle import CANCELED
from stateset_chain.subscriptions.msgs.common import (
    require_address,
    require_party,
    require_subscription_id,
)

from stateset.subscriptions.v1 import events_pb2 as events
from stateset.subscriptions.v1 import tx_pb2 as tx

MSG = tx.MsgUpdateSubscription


def signers(msg: tx.MsgUpdateSubscription) -> list[str]:
    return [msg.signer]


def validate(msg: tx.MsgUpdateSubscription) -> None:
    require_address(msg.signer, "signer")
    require_subscription_id(msg.subscription_id)
    if not msg.items:
        raise NoItems()


def handle(keeper, ctx: Context, msg: tx.MsgUpdateSubscription) -> tx.MsgUpdateSubscriptionResponse:
    sub = keeper.must_get(ctx.store, msg.subscription_id)
    require_party(msg.signer, sub, ("customer",), "update")
    if sub.status == CANCELED:
        raise InvalidTransition(f"subscription {sub.id} is CANCELED")
    limit = keeper.params(ctx.store).max_items
    if len(msg.items) > limit:
        raise TooManyItems(f"{len(msg.items)} items, the limit is {limit}")
    order = billing.order_msg(sub, msg.items)
    parsed = keeper.orders.validate_order(order)
    total = billing.quote(keeper, ctx, order, parsed)
    del sub.pending_items[:]
    sub.pending_items.extend(msg.items)
    sub.pending_spend_limit = total
    keeper.save(ctx.store, sub)
    ctx.events.emit(events.SubscriptionUpdated(subscription_id=sub.id, cycle_total=total))
    return tx.MsgUpdateSubscriptionResponse(cycle_total=total)
