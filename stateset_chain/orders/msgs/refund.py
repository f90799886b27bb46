"""MsgRefundOrder: the merchant returns escrowed money to the payers, in full or in part.

signer    signer, who must be the merchant
validate  signer is a canonical address                           -> sdk InvalidAddress
          order id is ord_ + 10 base62 characters                 -> InvalidOrderId
          reason holds no email address (docs/privacy.md)         -> PersonalDataInClear
          amount "" (everything in escrow) or a positive integer  -> InvalidAmount
                 (base units of the order's currency)
guard     the order exists                                        -> OrderNotFound
          the signer is the merchant                              -> NotAuthorized
          reason <= max_reason_length bytes                       -> FieldTooLong
          amount <= refundable (the escrow; a fiat order: total - refunded in its currency)
                                                                  -> OverRefund
          a fiat order's refund pays >= 1 base unit at its locked rate -> InvalidAmount
          then, by case:
          RETURNED order: RETURNED -> REFUNDED                    (any amount)
          full refund (amount == escrowed): PAID -> REFUNDED      -> InvalidTransition
          partial refund: PAID, FULFILLED, SHIPPED or DELIVERED   -> InvalidTransition
          partial refund of DELIVERED: not settled nor due        -> ReturnWindowClosed
change    amount: orders_escrow -> payers, oldest payment first (a fiat order: the cumulative
          conversion at its locked rate, fx.py); a Refund record.
          RETURNED: status REFUNDED and the rest of the escrow (a restocking fee) settles to the
          merchant side now. Full: status REFUNDED. Partial: status unchanged, the rest stays in
          escrow and follows the order.
emit      OrderRefunded{order_id, refund, status, payment_status}; OrderSettled if a returned
          order's remainder settled
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.orders import escrow, indexed, lifecycle, settlement
from stateset_chain.orders.errors import (
    InvalidAmount,
    InvalidTransition,
    OverRefund,
    ReturnWindowClosed,
)
from stateset_chain.orders.lifecycle import (
    DELIVERED,
    FULFILLED,
    PAID,
    REFUNDED,
    RETURNED,
    SHIPPED,
    status_name,
)
from stateset_chain.orders.money import parse_amount
from stateset_chain.orders.msgs.common import (
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
from stateset.orders.v1.orders_pb2 import Order

MSG = tx.MsgRefundOrder

PARTIAL_REFUND_STATUSES = frozenset({PAID, FULFILLED, SHIPPED, DELIVERED})


def signers(msg: tx.MsgRefundOrder) -> list[str]:
    return [msg.signer]


def validate(msg: tx.MsgRefundOrder) -> int | None:
    """The amount asked (None: all that is in escrow)."""
    require_address(msg.signer, "signer")
    require_order_id(msg.order_id)
    asked = parse_amount(msg.amount, "refund amount") if msg.amount else None
    require_no_email(msg.reason, "reason")
    return asked


def handle(
    keeper: OrdersKeeper, ctx: Context, msg: tx.MsgRefundOrder, parsed: int | None
) -> tx.MsgRefundOrderResponse:
    params = keeper.params(ctx.store)
    order = keeper.must_get_order(ctx.store, msg.order_id)
    require_role(msg.signer, order, params, frozenset({MERCHANT}), "refund")
    require_length(msg.reason, "reason", params.max_reason_length)
    left = escrow.refundable(order)
    amount = left if parsed is None else parsed
    if amount > left:
        raise OverRefund(
            f"{amount} asked, {left} {order.currency} base units refundable on order {order.id}"
        )
    finishes = order.status == RETURNED or amount == left
    if finishes:
        lifecycle.require_transition(order, REFUNDED)
    else:
        _require_partial_refund_allowed(ctx, order)
    if amount == 0:  # unreachable while the invariants hold: REFUNDED needs escrow left
        raise InvalidAmount(f"order {order.id} has nothing in escrow")

    record = escrow.refund(keeper, ctx, order, amount, msg.reason, msg.signer)
    if finishes:
        lifecycle.transition(keeper, ctx, order, REFUNDED)
    indexed.emit(
        ctx,
        order,
        events.OrderRefunded(
            order_id=order.id,
            refund=record,
            status=order.status,
            payment_status=order.payment_status,
        )
    )
    if finishes and escrow.escrowed(order):
        settlement.settle_order(keeper, ctx, order)
    keeper.save_order(ctx.store, order)
    return tx.MsgRefundOrderResponse(
        refund_id=record.id,
        refunded=record.amount,
        status=order.status,
        payment_status=order.payment_status,
    )


def _require_partial_refund_allowed(ctx: Context, order: Order) -> None:
    if order.status not in PARTIAL_REFUND_STATUSES:
        raise InvalidTransition(
            f"order {order.id} is {status_name(order.status)}; partial refunds need "
            "PAID, FULFILLED, SHIPPED or DELIVERED"
        )
    if settlement.window_closed(ctx, order):
        raise ReturnWindowClosed(f"order {order.id} is settled or due for settlement")
