"""MsgCancelOrder: stop an order; anything in escrow goes back to its payers.

signer    signer: the customer (CREATED orders only), the merchant, or the authority (HELD only)
validate  signer is a canonical address                           -> sdk InvalidAddress
          order id is ord_ + 10 base62 characters                 -> InvalidOrderId
          reason holds no email address (docs/privacy.md)         -> PersonalDataInClear
guard     the order exists                                        -> OrderNotFound
          the signer is the customer, the merchant or the authority -> NotAuthorized
          reason <= max_reason_length bytes                       -> FieldTooLong
          CREATED, FULFILLED or HELD -> CANCELLED                 -> InvalidTransition
          the signer's role may cancel in this status             -> NotAuthorized
change    status CANCELLED; the escrow remainder (partial payments of a CREATED order too) is
          refunded to the payers, oldest payment first
emit      OrderCancelled{order_id, signer, reason, previous_status, refund}
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.orders import escrow, indexed, lifecycle
from stateset_chain.orders.errors import NotAuthorized
from stateset_chain.orders.lifecycle import CANCELLED, CREATED, FULFILLED, HELD, status_name
from stateset_chain.orders.msgs.common import (
    AUTHORITY,
    CUSTOMER,
    MERCHANT,
    require_address,
    require_length,
    require_order_id,
    require_role,
)
from stateset_chain.orders.personal import require_no_email
from stateset_chain.orders.state import OrdersKeeper

from stateset.orders.v1 import events_pb2 as events
from stateset.orders.v1 import tx_pb2 as tx

MSG = tx.MsgCancelOrder

# The statuses in which each role may cancel.
CANCEL_RIGHTS = {
    CUSTOMER: frozenset({CREATED}),
    MERCHANT: frozenset({CREATED, FULFILLED, HELD}),
    AUTHORITY: frozenset({HELD}),
}


def signers(msg: tx.MsgCancelOrder) -> list[str]:
    return [msg.signer]


def validate(msg: tx.MsgCancelOrder) -> None:
    require_address(msg.signer, "signer")
    require_order_id(msg.order_id)
    require_no_email(msg.reason, "reason")


def handle(keeper: OrdersKeeper, ctx: Context, msg: tx.MsgCancelOrder) -> tx.MsgCancelOrderResponse:
    params = keeper.params(ctx.store)
    order = keeper.must_get_order(ctx.store, msg.order_id)
    roles = require_role(msg.signer, order, params, frozenset(CANCEL_RIGHTS), "cancel")
    require_length(msg.reason, "reason", params.max_reason_length)
    lifecycle.require_transition(order, CANCELLED)
    if not any(order.status in CANCEL_RIGHTS[r] for r in roles):
        raise NotAuthorized(
            f"{msg.signer} ({', '.join(sorted(roles))}) may not cancel a "
            f"{status_name(order.status)} order"
        )

    previous = order.status
    lifecycle.transition(keeper, ctx, order, CANCELLED)
    left = escrow.refundable(order)
    refund = escrow.refund(keeper, ctx, order, left, msg.reason, msg.signer) if left else None
    keeper.save_order(ctx.store, order)
    indexed.emit(
        ctx,
        order,
        events.OrderCancelled(
            order_id=order.id,
            signer=msg.signer,
            reason=msg.reason,
            previous_status=previous,
            refund=refund,
        )
    )
    return tx.MsgCancelOrderResponse(
        status=order.status, refunded=refund.amount if refund is not None else 0
    )
