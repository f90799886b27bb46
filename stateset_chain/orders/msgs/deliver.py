"""MsgDeliverOrder: the order reached the customer; settlement is scheduled.

signer    signer, who must be the merchant or the customer
validate  signer is a canonical address                           -> sdk InvalidAddress
          order id is ord_ + 10 base62 characters                 -> InvalidOrderId
guard     the order exists                                        -> OrderNotFound
          the signer is the merchant or the customer              -> NotAuthorized
          SHIPPED -> DELIVERED                                    -> InvalidTransition
change    status DELIVERED; delivered_at; settlement due at block time + return_window_seconds,
          queued for end-block settlement
emit      OrderDelivered{order_id, signer, delivered_at, settlement_due}
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.orders import indexed, lifecycle, settlement
from stateset_chain.orders.lifecycle import DELIVERED
from stateset_chain.orders.msgs.common import (
    CUSTOMER,
    MERCHANT,
    require_address,
    require_order_id,
    require_role,
)
from stateset_chain.orders.state import OrdersKeeper
from stateset_chain.timefmt import NS, timestamp

from stateset.orders.v1 import events_pb2 as events
from stateset.orders.v1 import tx_pb2 as tx

MSG = tx.MsgDeliverOrder


def signers(msg: tx.MsgDeliverOrder) -> list[str]:
    return [msg.signer]


def validate(msg: tx.MsgDeliverOrder) -> None:
    require_address(msg.signer, "signer")
    require_order_id(msg.order_id)


def handle(
    keeper: OrdersKeeper, ctx: Context, msg: tx.MsgDeliverOrder
) -> tx.MsgDeliverOrderResponse:
    params = keeper.params(ctx.store)
    order = keeper.must_get_order(ctx.store, msg.order_id)
    require_role(msg.signer, order, params, frozenset({MERCHANT, CUSTOMER}), "deliver")
    lifecycle.transition(keeper, ctx, order, DELIVERED)
    order.shipping.delivered_at.CopyFrom(timestamp(ctx.block.time_ns))
    due = settlement.schedule(keeper, ctx, order, params)
    keeper.save_order(ctx.store, order)
    indexed.emit(
        ctx,
        order,
        events.OrderDelivered(
            order_id=order.id,
            signer=msg.signer,
            delivered_at=order.shipping.delivered_at,
            settlement_due=order.settlement_due,
        )
    )
    return tx.MsgDeliverOrderResponse(status=order.status, settlement_due_seconds=due // NS)
