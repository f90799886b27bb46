"""MsgCreateAndPayOrder: create an order and pay its whole total in one message.

signer    order.creator (the customer or the merchant), who is also the payer
validate  order present                                                    -> MissingField
          the order passes MsgCreateOrder's validation
          method <= max_text_length bytes (guard, a param)                  -> FieldTooLong
guard     MsgCreateOrder's guards, then MsgPayOrder's for the full total (a fiat order: its
          total in the pay denom at this block's rate, which the payment locks)
          (the creator holds the total)                                     -> sdk InsufficientFunds
change    the order is created (CREATED) then paid in full (CREATED -> PAID), through the same
          code as MsgCreateOrder and MsgPayOrder
emit      OrderCreated, PaymentReceived, OrderPaid

Atomic: the app runs a message on a branch it drops on any error, so an order that cannot be paid
is not created either.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.coins import Coin
from stateset_chain.context import Context
from stateset_chain.orders.msgs import create, pay
from stateset_chain.orders.msgs.common import require_present
from stateset_chain.orders.state import OrdersKeeper

from stateset.orders.v1 import tx_pb2 as tx

MSG = tx.MsgCreateAndPayOrder


def signers(msg: tx.MsgCreateAndPayOrder) -> list[str]:
    return [msg.order.creator]


def validate(msg: tx.MsgCreateAndPayOrder) -> create.ParsedOrder:
    """What MsgCreateOrder's validation parsed of the order."""
    if not msg.HasField("order"):
        require_present("", "order")
    return create.validate(msg.order)


def handle(
    keeper: OrdersKeeper, ctx: Context, msg: tx.MsgCreateAndPayOrder, parsed: create.ParsedOrder
) -> tx.MsgCreateAndPayOrderResponse:
    created = create.handle(keeper, ctx, msg.order, parsed)
    paid = pay.pay_order(
        keeper,
        ctx,
        msg.order.creator,
        created.order_id,
        Coin(created.denom, created.amount_due or created.total),
        msg.method,
    )
    return tx.MsgCreateAndPayOrderResponse(
        order_id=created.order_id,
        payment_id=paid.payment_id,
        total=created.total,
        denom=created.denom,
        status=paid.status,
    )
