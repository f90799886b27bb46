"""MsgHoldOrder: pause a paid order (fraud review, stock problem, compliance).

signer    signer: the merchant or the authority
validate  signer is a canonical address                           -> sdk InvalidAddress
          order id is ord_ + 10 base62 characters                 -> InvalidOrderId
          reason holds no email address (docs/privacy.md)         -> PersonalDataInClear
guard     the order exists                                        -> OrderNotFound
          the signer is the merchant or the authority             -> NotAuthorized
          reason <= max_reason_length bytes                       -> FieldTooLong
          PAID -> HELD                                            -> InvalidTransition
change    status HELD; held_by = signer (decides who may release), held_from = PAID
emit      OrderHeld{order_id, signer, reason}
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.orders import holds, lifecycle
from stateset_chain.orders.errors import InvalidTransition
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

from stateset.orders.v1 import tx_pb2 as tx

MSG = tx.MsgHoldOrder


def signers(msg: tx.MsgHoldOrder) -> list[str]:
    return [msg.signer]


def validate(msg: tx.MsgHoldOrder) -> None:
    require_address(msg.signer, "signer")
    require_order_id(msg.order_id)
    require_no_email(msg.reason, "reason")


def handle(keeper: OrdersKeeper, ctx: Context, msg: tx.MsgHoldOrder) -> tx.MsgHoldOrderResponse:
    params = keeper.params(ctx.store)
    order = keeper.must_get_order(ctx.store, msg.order_id)
    require_role(msg.signer, order, params, frozenset({MERCHANT, AUTHORITY}), "hold")
    require_length(msg.reason, "reason", params.max_reason_length)
    lifecycle.require_transition(order, HELD)
    if order.status != PAID:
        raise InvalidTransition(f"order {order.id} is {status_name(order.status)}, not PAID")
    holds.hold(keeper, ctx, order, msg.signer, "", msg.reason)
    keeper.save_order(ctx.store, order)
    return tx.MsgHoldOrderResponse(status=order.status)
