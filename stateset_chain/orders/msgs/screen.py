"""MsgScreenOrder: freeze an order's escrow now if a party became sanctioned since it was paid.

signer    signer: anyone (screening only ever holds an order that fails it)
validate  signer is a canonical address                           -> sdk InvalidAddress
          order id is ord_ + 10 base62 characters                 -> InvalidOrderId
guard     the order exists                                        -> OrderNotFound
          it is PAID, or DELIVERED and not settled                -> InvalidTransition
change    when the compliance screening fails: PAID/DELIVERED -> HELD, hold_reason
          "compliance", held_from, the decision recorded, a DELIVERED order out of the
          settlement queue (its due time kept for the release); otherwise nothing
emit      when frozen: OrderHeld{signer: the compliance module, reason "compliance: <rule>"},
          compliance OrderFrozen{order_id, decision}

The compliance authority (or anyone) sends it for the orders of an address it just sanctioned,
found with the Orders query, so their escrow is frozen at once instead of when settlement
reaches them (which freezes them anyway).
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.orders import settlement
from stateset_chain.orders.errors import InvalidTransition
from stateset_chain.orders.lifecycle import DELIVERED, PAID, status_name
from stateset_chain.orders.msgs.common import require_address, require_order_id
from stateset_chain.orders.state import OrdersKeeper

from stateset.orders.v1 import tx_pb2 as tx

MSG = tx.MsgScreenOrder


def signers(msg: tx.MsgScreenOrder) -> list[str]:
    return [msg.signer]


def validate(msg: tx.MsgScreenOrder) -> None:
    require_address(msg.signer, "signer")
    require_order_id(msg.order_id)


def handle(keeper: OrdersKeeper, ctx: Context, msg: tx.MsgScreenOrder) -> tx.MsgScreenOrderResponse:
    order = keeper.must_get_order(ctx.store, msg.order_id)
    if not (order.status == PAID or (order.status == DELIVERED and not order.settled)):
        raise InvalidTransition(
            f"order {order.id} is {status_name(order.status)}; only PAID or unsettled "
            "DELIVERED orders are frozen by screening"
        )
    frozen = keeper.compliance.screen_order(ctx, order) if keeper.compliance else None
    if keeper.compliance is None or frozen is None:
        return tx.MsgScreenOrderResponse(frozen=False, status=order.status)
    settlement.freeze(keeper, ctx, order, frozen)
    keeper.compliance.record_freeze(ctx, order, frozen)
    keeper.save_order(ctx.store, order)
    return tx.MsgScreenOrderResponse(frozen=True, status=order.status)
