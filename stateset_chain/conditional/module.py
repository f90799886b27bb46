"""The conditional orders ``Module`` (SPEC.md): genesis, the escrow invariant, the query."""

from __future__ import annotations

from google.protobuf import json_format

import stateset_chain.pb  # noqa: F401
from stateset_chain.conditional import engine, handlers
from stateset_chain.conditional.errors import InvalidGenesis
from stateset_chain.conditional.state import (
    ESCROW_ACCOUNT,
    ConditionalKeeper,
    default_params,
    params_item,
    sequence,
)
from stateset_chain.context import Context
from stateset_chain.crypto import address
from stateset_chain.errors import InvariantBroken
from stateset_chain.module import Module, MsgRoute, QueryRoute

from stateset.conditional.v1 import query_pb2 as q
from stateset.conditional.v1 import tx_pb2 as tx
from stateset.conditional.v1.conditional_pb2 import GenesisState


def init_genesis(keeper: ConditionalKeeper, ctx: Context, data: dict) -> None:
    state = GenesisState()
    try:
        json_format.ParseDict(data, state)
    except json_format.ParseError as e:
        raise InvalidGenesis(str(e)) from None
    params = default_params()
    if state.HasField("params"):
        params.MergeFrom(state.params)
    params_item.set(ctx.store, params)
    highest = 0
    for c in state.conditional_orders:
        keeper.save(ctx.store, c)
        if c.status == engine.WAITING:
            keeper.index(ctx.store, c, add=True)
        highest = max(highest, c.sequence)
    sequence.set(ctx.store, max(state.next_sequence, highest + 1))


def export_genesis(keeper: ConditionalKeeper, ctx: Context) -> dict:
    state = GenesisState(
        params=keeper.params(ctx.store),
        conditional_orders=list(keeper.all(ctx.store)),
        next_sequence=sequence.peek(ctx.store),
    )
    return json_format.MessageToDict(state, preserving_proto_field_name=True)


def escrow_balance(keeper: ConditionalKeeper, ctx: Context) -> None:
    """conditional_escrow holds exactly the pre-funding of the WAITING conditional orders."""
    owed: dict[str, int] = {}
    for c in keeper.all(ctx.store):
        if c.escrowed:
            if c.status != engine.WAITING:
                raise InvariantBroken(f"{c.id} holds escrow but is not waiting")
            owed[c.denom] = owed.get(c.denom, 0) + c.escrowed
    escrow = address.module_address(ESCROW_ACCOUNT)
    for denom in sorted(set(owed) | {"ussusd", "uusdc"}):
        if keeper.bank.balance(ctx.store, escrow, denom) != owed.get(denom, 0):
            raise InvariantBroken(f"conditional escrow of {denom} != the pre-funding owed")


def query_one(keeper: ConditionalKeeper, ctx: Context, req: q.QueryConditionalOrderRequest):
    c = keeper.must_get(ctx.store, req.id)
    holding = engine.all_hold(keeper, ctx, c) if c.status == engine.WAITING else []
    return q.QueryConditionalOrderResponse(conditional_order=c, holding=holding)


def conditional_module(keeper: ConditionalKeeper) -> Module:
    def route(cls, signers, validate, handle):
        return MsgRoute(
            msg_cls=cls,
            signers=signers,
            validate=validate,
            handler=lambda ctx, m: handle(keeper, ctx, m),
        )

    return Module(
        name="conditional",
        msgs=[
            route(
                tx.MsgCreateConditionalOrder,
                lambda m: [m.order.creator],
                handlers.validate_create,
                handlers.create_conditional,
            ),
            route(
                tx.MsgCancelConditionalOrder,
                lambda m: [m.creator],
                handlers.validate_target,
                handlers.cancel_conditional,
            ),
            route(
                tx.MsgExecuteConditionalOrder,
                lambda m: [m.creator],
                handlers.validate_target,
                handlers.execute_conditional,
            ),
        ],
        queries=[
            QueryRoute(
                "/stateset.conditional.v1.Query/ConditionalOrder",
                q.QueryConditionalOrderRequest,
                lambda ctx, req: query_one(keeper, ctx, req),
            )
        ],
        init_genesis=lambda ctx, data: init_genesis(keeper, ctx, data),
        export_genesis=lambda ctx: export_genesis(keeper, ctx),
        end_block=lambda ctx: engine.end_block(keeper, ctx),
        invariants=[lambda ctx: escrow_balance(keeper, ctx)],
    )
