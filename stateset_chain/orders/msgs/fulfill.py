"""MsgFulfillOrder: the merchant has prepared the items for shipping.

signer    signer, who must be the merchant
validate  signer is a canonical address                           -> sdk InvalidAddress
          order id is ord_ + 10 base62 characters                 -> InvalidOrderId
guard     the order exists                                        -> OrderNotFound
          the signer is the merchant                              -> NotAuthorized
          the order is paid (not CREATED)                         -> InsufficientPayment
          PAID -> FULFILLED                                       -> InvalidTransition
change    status FULFILLED
emit      OrderFulfilled{order_id, merchant, items}
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.orders import escrow, indexed, lifecycle
from stateset_chain.orders.errors import InsufficientPayment
from stateset_chain.orders.lifecycle import CREATED, FULFILLED
from stateset_chain.orders.msgs.common import (
    MERCHANT,
    require_address,
    require_order_id,
    require_role,
)
from stateset_chain.orders.state import OrdersKeeper

from stateset.orders.v1 import events_pb2 as events
from stateset.orders.v1 import tx_pb2 as tx

MSG = tx.MsgFulfillOrder


def signers(msg: tx.MsgFulfillOrder) -> list[str]:
    return [msg.signer]


def validate(msg: tx.MsgFulfillOrder) -> None:
    require_address(msg.signer, "signer")
    require_order_id(msg.order_id)


def handle(
    keeper: OrdersKeeper, ctx: Context, msg: tx.MsgFulfillOrder
) -> tx.MsgFulfillOrderResponse:
    params = keeper.params(ctx.store)
    order = keeper.must_get_order(ctx.store, msg.order_id)
    require_role(msg.signer, order, params, frozenset({MERCHANT}), "fulfil")
    if order.status == CREATED:
        raise InsufficientPayment(
            f"order {order.id}: {order.amount_paid} of {order.total}{order.denom} paid, "
            f"{escrow.amount_due(order)} due"
        )
    lifecycle.transition(keeper, ctx, order, FULFILLED)
    keeper.save_order(ctx.store, order)
    indexed.emit(
        ctx,
        order,
        events.OrderFulfilled(order_id=order.id, merchant=order.merchant, items=order.items)
    )
    return tx.MsgFulfillOrderResponse(status=order.status)
