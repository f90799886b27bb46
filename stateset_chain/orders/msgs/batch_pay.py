"""MsgBatchPayOrders: one payer pays up to ``max_batch_size`` orders under one signature.

signer    payer
validate  payer is a canonical address                                     -> sdk InvalidAddress
          at least one payment                                             -> EmptyBatch
          each payment as MsgPayOrder (order id, positive coin)
guard     number of payments <= max_batch_size                             -> BatchTooLarge
          each payment passes MsgPayOrder's guards, applied in order (paying one order twice
          in a batch is two partial payments)
change    as MsgPayOrder, per payment
emit      as MsgPayOrder, per payment

All or nothing, like every message: one refused payment refuses the batch.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.coins import Coin
from stateset_chain.context import Context
from stateset_chain.orders.errors import BatchTooLarge, EmptyBatch
from stateset_chain.orders.msgs.common import require_address
from stateset_chain.orders.msgs.pay import pay_order, validate_payment
from stateset_chain.orders.state import OrdersKeeper

from stateset.orders.v1 import tx_pb2 as tx

MSG = tx.MsgBatchPayOrders


def signers(msg: tx.MsgBatchPayOrders) -> list[str]:
    return [msg.payer]


def validate(msg: tx.MsgBatchPayOrders) -> list[Coin]:
    """The amount of each payment, in order."""
    require_address(msg.payer, "payer")
    if not msg.payments:
        raise EmptyBatch()
    return [validate_payment(item.order_id, item.amount) for item in msg.payments]


def handle(
    keeper: OrdersKeeper, ctx: Context, msg: tx.MsgBatchPayOrders, parsed: list[Coin]
) -> tx.MsgBatchPayOrdersResponse:
    limit = keeper.params(ctx.store).max_batch_size
    if len(msg.payments) > limit:
        raise BatchTooLarge(f"{len(msg.payments)} payments, the limit is {limit}")
    results = [
        pay_order(keeper, ctx, msg.payer, p.order_id, amount, p.method, up_to=p.up_to)
        for p, amount in zip(msg.payments, parsed, strict=True)
    ]
    return tx.MsgBatchPayOrdersResponse(payments=results)
