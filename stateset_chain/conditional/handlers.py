"""The conditional orders messages.

MsgCreateConditionalOrder{order, conditions[], auto_execute, prefund, expires_at}
    signer    order.creator
    validate  order present (orders MissingField) and passes MsgCreateOrder's validation;
              >= 1 condition (NoConditions); each well-formed (InvalidCondition); expires_at set
              (InvalidExpiry)
    guard     conditions <= max_conditions (TooManyConditions); expires_at > block time
              (InvalidExpiry); the order passes MsgCreateOrder's guards now, on a discarded
              branch; prefund: the creator holds the order's current total (sdk InsufficientFunds)
    change    prefund: the total -> conditional_escrow; WAITING, indexed under what it waits on;
              balance conditions polled every balance_poll_seconds; woken at once (its
              conditions may already hold)
    emit      ConditionalOrderCreated
MsgCancelConditionalOrder{creator, id}
    the creator (NotAuthorized); WAITING (NotWaiting). Refunds the pre-funding; CANCELED.
    Emits ConditionalOrderCanceled.
MsgExecuteConditionalOrder{creator, id}
    the creator (NotAuthorized); WAITING (NotWaiting); every condition holds now
    (ConditionsNotMet). Executes as the end-block would; any refusal fails the tx (nothing changes).
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.bank.handlers import require_address
from stateset_chain.coins import Coin
from stateset_chain.conditional import conditions, engine
from stateset_chain.conditional.errors import (
    ConditionsNotMet,
    InvalidConditionalId,
    InvalidExpiry,
    NoConditions,
    NotAuthorized,
    NotWaiting,
    TooManyConditions,
)
from stateset_chain.conditional.state import ESCROW_ACCOUNT, ConditionalKeeper, woken
from stateset_chain.context import Context
from stateset_chain.events import EventManager
from stateset_chain.orders.msgs import create
from stateset_chain.orders.msgs.common import require_present
from stateset_chain.orders.timefmt import timestamp, timestamp_ns
from stateset_chain.store.kv import Branch

from stateset.conditional.v1 import events_pb2 as events
from stateset.conditional.v1 import tx_pb2 as tx
from stateset.conditional.v1.conditional_pb2 import ConditionalOrder

NS = 1_000_000_000


def validate_create(msg: tx.MsgCreateConditionalOrder) -> None:
    if not msg.HasField("order"):
        require_present("", "order")
    create.validate(msg.order)
    if not msg.conditions:
        raise NoConditions()
    for i, c in enumerate(msg.conditions):
        conditions.validate(i, c)
    if not msg.HasField("expires_at"):
        raise InvalidExpiry("expires_at is required")


def create_conditional(keeper: ConditionalKeeper, ctx: Context, msg: tx.MsgCreateConditionalOrder):
    params = keeper.params(ctx.store)
    now = ctx.block.time_ns
    if len(msg.conditions) > params.max_conditions:
        raise TooManyConditions(f"{len(msg.conditions)}, the limit is {params.max_conditions}")
    if timestamp_ns(msg.expires_at) <= now:
        raise InvalidExpiry(f"expires_at {timestamp_ns(msg.expires_at)} <= block time {now}")
    scratch = Context(Branch(ctx.store), ctx.block, ctx.gas, EventManager())
    quote = create.handle(keeper.orders, scratch, msg.order, reserve_stock=False)
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
    woken.add(ctx.store, cid)
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


def validate_target(msg) -> None:
    require_address(msg.creator, "creator")
    if not msg.id.startswith("cnd_") or len(msg.id) != 14:
        raise InvalidConditionalId(repr(msg.id))


def _load_waiting(keeper: ConditionalKeeper, ctx: Context, msg) -> ConditionalOrder:
    c = keeper.must_get(ctx.store, msg.id)
    if msg.creator != c.creator:
        raise NotAuthorized(f"{msg.creator} did not create {c.id}")
    if c.status != engine.WAITING:
        raise NotWaiting(c.id)
    return c


def cancel_conditional(keeper: ConditionalKeeper, ctx: Context, msg: tx.MsgCancelConditionalOrder):
    c = _load_waiting(keeper, ctx, msg)
    refunded = engine.finish(keeper, ctx, c, engine.CANCELED)
    ctx.events.emit(events.ConditionalOrderCanceled(id=c.id, refunded=refunded))
    return tx.MsgCancelConditionalOrderResponse(refunded=refunded)


def execute_conditional(
    keeper: ConditionalKeeper, ctx: Context, msg: tx.MsgExecuteConditionalOrder
):
    c = _load_waiting(keeper, ctx, msg)
    holding = engine.all_hold(keeper, ctx, c)
    if not all(holding):
        raise ConditionsNotMet(f"conditions holding: {holding}")
    order_id = engine.execute(keeper, ctx, c)
    return tx.MsgExecuteConditionalOrderResponse(order_id=order_id)
