"""Inventory genesis: ``stateset.inventory.v1.GenesisState`` in proto3 JSON (stocks and
reservations), checked by the stock invariant on the way in."""

from __future__ import annotations

from google.protobuf import json_format

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.inventory.errors import InvalidGenesis
from stateset_chain.inventory.invariants import stock_balanced
from stateset_chain.inventory.state import InventoryKeeper

from stateset.inventory.v1.inventory_pb2 import GenesisState


def init_genesis(keeper: InventoryKeeper, ctx: Context, data: dict) -> None:
    state = GenesisState()
    try:
        json_format.ParseDict(data, state)
    except json_format.ParseError as e:
        raise InvalidGenesis(str(e)) from None
    for stock in state.stocks:
        keeper.put_stock(ctx.store, stock)  # not a change: no wakes
    for r in state.reservations:
        keeper.save_reservation(ctx.store, r)
    stock_balanced(keeper, ctx)


def export_genesis(keeper: InventoryKeeper, ctx: Context) -> dict:
    state = GenesisState(
        stocks=list(keeper.all_stocks(ctx.store)),
        reservations=list(keeper.all_reservations(ctx.store)),
    )
    return json_format.MessageToDict(state, preserving_proto_field_name=True)
