"""MsgBatchCreateOrders: up to ``max_batch_size`` orders under one signature.

signer    creator
validate  creator is a canonical address                                   -> sdk InvalidAddress
          at least one order                                               -> EmptyBatch
          each order's creator is "" or the batch creator                  -> BatchCreatorMismatch
          each order passes MsgCreateOrder's validation (creator filled in)
guard     number of orders <= max_batch_size                               -> BatchTooLarge
          each order passes MsgCreateOrder's guards, in order (e.g. no order's
          merchant or supplier is blocked by the bank) -> BlockedSettlementRecipient
change    the orders are created in order (consecutive sequences)
emit      OrderCreated per order

All or nothing: the app runs a message on a branch it drops on any error, so one refused order
refuses the batch and nothing of it is kept.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.orders.errors import BatchCreatorMismatch, BatchTooLarge, EmptyBatch
from stateset_chain.orders.msgs import create
from stateset_chain.orders.msgs.common import require_address
from stateset_chain.orders.state import OrdersKeeper

from stateset.orders.v1 import tx_pb2 as tx

MSG = tx.MsgBatchCreateOrders


def signers(msg: tx.MsgBatchCreateOrders) -> list[str]:
    return [msg.creator]


def orders_of(msg: tx.MsgBatchCreateOrders) -> list[tx.MsgCreateOrder]:
    """The batch's orders with the batch creator filled in."""
    out = []
    for i, inner in enumerate(msg.orders):
        if inner.creator not in ("", msg.creator):
            raise BatchCreatorMismatch(f"order {i} has creator {inner.creator}")
        order = tx.MsgCreateOrder()
        order.CopyFrom(inner)
        order.creator = msg.creator
        out.append(order)
    return out


def validate(msg: tx.MsgBatchCreateOrders) -> list[create.ParsedOrder]:
    """What MsgCreateOrder's validation parsed of each order, in order."""
    require_address(msg.creator, "creator")
    if not msg.orders:
        raise EmptyBatch()
    return [create.validate(order) for order in orders_of(msg)]


def handle(
    keeper: OrdersKeeper, ctx: Context, msg: tx.MsgBatchCreateOrders,
    parsed: list[create.ParsedOrder],
) -> tx.MsgBatchCreateOrdersResponse:
    limit = keeper.params(ctx.store).max_batch_size
    if len(msg.orders) > limit:
        raise BatchTooLarge(f"{len(msg.orders)} orders, the limit is {limit}")
    created = [
        create.handle(keeper, ctx, order, parsed_order)
        for order, parsed_order in zip(orders_of(msg), parsed, strict=True)
    ]
    return tx.MsgBatchCreateOrdersResponse(orders=created)
