"""Conditional orders genesis: ``stateset.conditional.v1.GenesisState`` in proto3 JSON (params,
the conditional orders, the next sequence); WAITING ones are indexed on the way in."""

from __future__ import annotations

from google.protobuf import json_format

import stateset_chain.pb  # noqa: F401
from stateset_chain.conditional import engine
from stateset_chain.conditional.errors import InvalidGenesis
from stateset_chain.conditional.state import ConditionalKeeper, default_params
from stateset_chain.context import Context

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
    keeper.params_item.set(ctx.store, params)
    highest = 0
    for c in state.conditional_orders:
        keeper.save(ctx.store, c)
        if c.status == engine.WAITING:
            keeper.index(ctx.store, c, add=True)
        highest = max(highest, c.sequence)
    keeper.sequence.set(ctx.store, max(state.next_sequence, highest + 1))


def export_genesis(keeper: ConditionalKeeper, ctx: Context) -> dict:
    state = GenesisState(
        params=keeper.params(ctx.store),
        conditional_orders=list(keeper.all(ctx.store)),
        next_sequence=keeper.sequence.peek(ctx.store),
    )
    return json_format.MessageToDict(state, preserving_proto_field_name=True)
