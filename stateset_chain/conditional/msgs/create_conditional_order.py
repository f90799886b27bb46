"""MsgCreateConditionalOrder{order, conditions[], auto_execute, prefund, expires_at}: an order
created (and paid) once its conditions hold.

signer    order.creator
validate  order present                                            -> orders MissingField
          and passes MsgCreateOrder's validation                   -> orders errors
          >= 1 condition                                           -> NoConditions
          each well-formed                                         -> InvalidCondition
          expires_at set                                           -> InvalidExpiry
guard     conditions <= max_conditions                             -> TooManyConditions
          expires_at > block time                                  -> InvalidExpiry
          the order passes MsgCreateOrder's guards now, on a discarded branch -> orders errors
          prefund: the creator holds the order's current total     -> sdk InsufficientFunds
change    prefund: the total -> conditional_escrow; WAITING, indexed under what it waits on;
          balance conditions polled every balance_poll_seconds; woken at once (its
          conditions may already hold)
emit      ConditionalOrderCreated
"""

from __future__ import annotations

from typing import Any

import stateset_chain.pb  # noqa: F401
from stateset_chain.coins import Coin
from stateset_chain.conditional import conditions, engine
from stateset_chain.conditional.errors import InvalidExpiry, NoConditions, TooManyConditions
from stateset_chain.conditional.state import ESCROW_ACCOUNT, ConditionalKeeper
from stateset_chain.context import Context
from stateset_chain.events import EventManager
from stateset_chain.orders.errors import MissingField
from stateset_chain.store.kv import Branch
from stateset_chain.timefmt import timestamp, timestamp_ns

from stateset.conditional.v1 import events_pb2 as events
from stateset.conditional.v1 import tx_pb2 as tx
from stateset.conditional.v1.conditional_pb2 import ConditionalOrder

MSG = tx.MsgCreateConditionalOrder
NS = 1_000_000_000


def signers(msg: tx.MsgCreateConditionalOrder) -> list[str]:
    return [msg.order.creator]


def validate(keeper: ConditionalKeeper, msg: tx.MsgCreateConditionalOrder) -> Any:
    """What MsgCreateOrder's validation (``keeper.orders.validate_order``, stateless) parsed of
    the order, for its quote."""
    if not msg.HasField("order"):
        raise MissingField("order")
    parsed = keeper.orders.validate_order(msg.order)
    if not msg.conditions:
        raise NoConditions()
    for i, c in enumerate(msg.conditions):
        conditions.validate(i, c)
    if not msg.HasField("expires_at"):
        raise InvalidExpiry("expires_at is required")
    return parsed


def handle(
    keeper: ConditionalKeeper, ctx: Context, msg: tx.MsgCreateConditionalOrder,
    parsed: Any,
) -> tx.MsgCreateConditionalOrderResponse:
    params = keeper.params(ctx.store)
    now = ctx.block.time_ns
    if len(msg.conditions) > params.max_conditions:
        raise TooManyConditions(f"{len(msg.conditions)}, the limit is {params.max_conditions}")
    if timestamp_ns(msg.expires_at) <= now:
        raise InvalidExpiry(f"expires_at {timestamp_ns(msg.expires_at)} <= block time {now}")
    scratch = Context(Branch(ctx.store), ctx.block, ctx.gas, EventManager())
    quote = keeper.orders.create_order(scratch, msg.order, parsed, reserve_stock=False)
    seq, cid = keeper.next_id(ctx.store)
    c = ConditionalOrder(
        id=cid,
        sequence=seq,
        creator=msg.order.creator,
        order=msg.order,
        conditions=list(msg.conditions),
        auto_execute=msg.auto_execute,
        expires_at=msg.expires_at,
        status=engine.WAITING,
        created_at=timestamp(now),
    )
    if msg.prefund:
        keeper.bank.send_to_module(ctx, c.creator, ESCROW_ACCOUNT, [Coin(quote.denom, quote.total)])
        c.escrowed = quote.total
        c.denom = quote.denom
    if engine.has_balance_condition(c):
        c.next_poll.CopyFrom(timestamp(now + params.balance_poll_seconds * NS))
    keeper.index(ctx.store, c, add=True)
    keeper.woken.add(ctx.store, cid)
    keeper.save(ctx.store, c)
    ctx.events.emit(
        events.ConditionalOrderCreated(
            id=cid,
            creator=c.creator,
            conditions=len(c.conditions),
            escrowed=c.escrowed,
            denom=c.denom,
        )
    )
    return tx.MsgCreateConditionalOrderResponse(id=cid, escrowed=c.escrowed)
