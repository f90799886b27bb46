"""MsgReleaseOrder: lift a hold; the order is PAID again.

signer    signer: the authority, or the merchant if the merchant placed the hold
validate  signer is a canonical address                           -> sdk InvalidAddress
          order id is ord_ + 10 base62 characters                 -> InvalidOrderId
          reason holds no email address (docs/privacy.md)         -> PersonalDataInClear
guard     the order exists                                        -> OrderNotFound
          the signer is the merchant or the authority             -> NotAuthorized
          reason <= max_reason_length bytes                       -> FieldTooLong
          the order is HELD (PAID is also reached by payment: not this) -> InvalidTransition
          a merchant releases only its own hold                   -> NotAuthorized
change    status PAID; held_by cleared
emit      OrderReleased{order_id, signer, reason}
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.orders import indexed, lifecycle
from stateset_chain.orders.errors import InvalidTransition, NotAuthorized
from stateset_chain.orders.lifecycle import HELD, PAID, status_name
from stateset_chain.orders.msgs.common import (
    AUTHORITY,
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

MSG = tx.MsgReleaseOrder


def signers(msg: tx.MsgReleaseOrder) -> list[str]:
    return [msg.signer]


def validate(msg: tx.MsgReleaseOrder) -> None:
    require_address(msg.signer, "signer")
    require_order_id(msg.order_id)
    require_no_email(msg.reason, "reason")


def handle(
    keeper: OrdersKeeper, ctx: Context, msg: tx.MsgReleaseOrder
) -> tx.MsgReleaseOrderResponse:
    params = keeper.params(ctx.store)
    order = keeper.must_get_order(ctx.store, msg.order_id)
    roles = require_role(msg.signer, order, params, frozenset({MERCHANT, AUTHORITY}), "release")
    require_length(msg.reason, "reason", params.max_reason_length)
    if order.status != HELD:
        raise InvalidTransition(f"order {order.id} is {status_name(order.status)}, not HELD")
    if AUTHORITY not in roles and order.held_by != msg.signer:
        raise NotAuthorized(
            f"order {order.id} was held by {order.held_by}; only it or the authority may release"
        )
    lifecycle.transition(keeper, ctx, order, PAID)
    order.held_by = ""
    keeper.save_order(ctx.store, order)
    indexed.emit(
        ctx, order, events.OrderReleased(order_id=order.id, signer=msg.signer, reason=msg.reason)
    )
    return tx.MsgReleaseOrderResponse(status=order.status)
