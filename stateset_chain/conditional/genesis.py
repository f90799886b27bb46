"""Conditional orders genesis: ``stateset.conditional.v1.GenesisState`` in proto3 JSON (params,
the conditional orders, the next sequence, the woken ids and the waiter passes carried over);
WAITING ones are indexed on the way in. Subjects marked changed exist only inside a block (the
end-block turns every mark into a pass), so a committed state has none to export."""

from __future__ import annotations

from google.protobuf import json_format

import stateset_chain.pb  # noqa: F401
from stateset_chain.conditional import engine
from stateset_chain.conditional.errors import InvalidGenesis
from stateset_chain.conditional.state import (
    EXCHANGE_RATE,
    ORDER_STATUS,
    STOCK,
    ConditionalKeeper,
    default_params,
)
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
    for cid in state.woken:
        if keeper.get(ctx.store, cid) is None:
            raise InvalidGenesis(f"woken {cid} is not a conditional order")
        keeper.woken.add(ctx.store, cid)
    highest_pass = 0
    for p in state.passes:
        subject = (p.kind, p.subject, p.sku)
        known = p.kind in (STOCK, ORDER_STATUS, EXCHANGE_RATE)
        if not known or keeper.pass_of.has(ctx.store, subject):
            raise InvalidGenesis(f"wake pass {p.sequence}: unknown kind or subject twice")
        keeper.pass_queue.set(ctx.store, p.sequence, p)
        keeper.pass_of.set(ctx.store, subject, p.sequence)
        highest_pass = max(highest_pass, p.sequence)
    next_pass = max(state.next_pass_sequence, highest_pass + 1)
    if next_pass > keeper.pass_sequence.start:  # written once a pass was stored, as the chain does
        keeper.pass_sequence.set(ctx.store, next_pass)


def export_genesis(keeper: ConditionalKeeper, ctx: Context) -> dict:
    state = GenesisState(
        params=keeper.stored_params(ctx.store),
        conditional_orders=list(keeper.all(ctx.store)),
        next_sequence=keeper.sequence.peek(ctx.store),
        woken=list(keeper.woken.iterate(ctx.store)),
        passes=list(keeper.passes(ctx.store)),
        next_pass_sequence=keeper.pass_sequence.peek(ctx.store),
    )
    return json_format.MessageToDict(state, preserving_proto_field_name=True)
