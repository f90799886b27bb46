"""MsgReturnOrder: the customer sends the order back (before settlement).

signer    signer, who must be the customer
validate  signer is a canonical address                           -> sdk InvalidAddress
          order id is ord_ + 10 base62 characters                 -> InvalidOrderId
          reason holds no email address (docs/privacy.md)         -> PersonalDataInClear
guard     the order exists                                        -> OrderNotFound
          the signer is the customer                              -> NotAuthorized
          reason <= max_reason_length bytes                       -> FieldTooLong
          SHIPPED or DELIVERED -> RETURNED                        -> InvalidTransition
          a DELIVERED order is not settled nor due                -> ReturnWindowClosed
change    status RETURNED; the scheduled settlement is removed; the escrow stays until the
          merchant's MsgRefundOrder
emit      OrderReturned{order_id, signer, reason, previous_status}
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.orders import indexed, lifecycle, settlement
from stateset_chain.orders.errors import ReturnWindowClosed
from stateset_chain.orders.lifecycle import RETURNED
from stateset_chain.orders.msgs.common import (
    CUSTOMER,
    require_address,
    require_length,
    require_order_id,
    require_role,
)
from stateset_chain.orders.personal import require_no_email
from stateset_chain.orders.state import OrdersKeeper

from stateset.orders.v1 import events_pb2 as events
from stateset.orders.v1 import tx_pb2 as tx

MSG = tx.MsgReturnOrder


def signers(msg: tx.MsgReturnOrder) -> list[str]:
    return [msg.signer]


def validate(msg: tx.MsgReturnOrder) -> None:
    require_address(msg.signer, "signer")
    require_order_id(msg.order_id)
    require_no_email(msg.reason, "reason")


def handle(keeper: OrdersKeeper, ctx: Context, msg: tx.MsgReturnOrder) -> tx.MsgReturnOrderResponse:
    params = keeper.params(ctx.store)
    order = keeper.must_get_order(ctx.store, msg.order_id)
    require_role(msg.signer, order, params, frozenset({CUSTOMER}), "return")
    require_length(msg.reason, "reason", params.max_reason_length)
    lifecycle.require_transition(order, RETURNED)
    if settlement.window_closed(ctx, order):
        raise ReturnWindowClosed(f"order {order.id} is settled or due for settlement")
    previous = order.status
    settlement.unschedule(keeper, ctx, order)
    lifecycle.transition(keeper, ctx, order, RETURNED)
    keeper.save_order(ctx.store, order)
    indexed.emit(
        ctx,
        order,
        events.OrderReturned(
            order_id=order.id, signer=msg.signer, reason=msg.reason, previous_status=previous
        )
    )
    return tx.MsgReturnOrderResponse(status=order.status)
