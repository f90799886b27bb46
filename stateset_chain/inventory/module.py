"""The inventory ``Module``: stock per merchant and SKU, reserved by orders (SPEC.md).

Wiring: ``orders.stock = InventoryKeeper(orders)`` so that order creation reserves and status
changes commit or release (stateset_chain/wiring.py)."""

from __future__ import annotations

from google.protobuf import json_format

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.errors import InvariantBroken
from stateset_chain.inventory import handlers, queries
from stateset_chain.inventory.errors import InvalidGenesis
from stateset_chain.inventory.state import RESERVED, InventoryKeeper
from stateset_chain.module import Module, MsgRoute

from stateset.inventory.v1 import tx_pb2 as tx
from stateset.inventory.v1.inventory_pb2 import GenesisState


def init_genesis(keeper: InventoryKeeper, ctx: Context, data: dict) -> None:
    state = GenesisState()
    try:
        json_format.ParseDict(data, state)
    except json_format.ParseError as e:
        raise InvalidGenesis(str(e)) from None
    for stock in state.stocks:
        keeper.save_stock(ctx.store, stock)
    for r in state.reservations:
        keeper.save_reservation(ctx.store, r)
    stock_balanced(keeper, ctx)


def export_genesis(keeper: InventoryKeeper, ctx: Context) -> dict:
    state = GenesisState(
        stocks=list(keeper.all_stocks(ctx.store)),
        reservations=list(keeper.all_reservations(ctx.store)),
    )
    return json_format.MessageToDict(state, preserving_proto_field_name=True)


def stock_balanced(keeper: InventoryKeeper, ctx: Context) -> None:
    """For each SKU: available + reserved + shipped == set + adjusted, and reserved == what the
    RESERVED reservations hold. No unit is created or lost."""
    held: dict[tuple[str, str], int] = {}
    for r in keeper.all_reservations(ctx.store):
        if r.state == RESERVED:
            for line in r.lines:
                key = (r.merchant, line.sku)
                held[key] = held.get(key, 0) + line.quantity
    for s in keeper.all_stocks(ctx.store):
        if s.available + s.reserved + s.shipped != s.set + s.adjusted:
            raise InvariantBroken(f"inventory {s.merchant}/{s.sku}: units do not add up")
        if held.pop((s.merchant, s.sku), 0) != s.reserved:
            raise InvariantBroken(f"inventory {s.merchant}/{s.sku}: reserved != reservations")
    if held:
        raise InvariantBroken(f"reservations of untracked SKUs: {sorted(held)}")


def inventory_module(keeper: InventoryKeeper) -> Module:
    def route(cls, signer, validate, handle):
        return MsgRoute(
            msg_cls=cls,
            signers=lambda m: [getattr(m, signer)],
            validate=validate,
            handler=lambda ctx, m: handle(keeper, ctx, m),
        )

    return Module(
        name="inventory",
        msgs=[
            route(tx.MsgSetInventory, "merchant", handlers.validate_set, handlers.set_inventory),
            route(
                tx.MsgAdjustInventory,
                "merchant",
                handlers.validate_adjust,
                handlers.adjust_inventory,
            ),
            route(
                tx.MsgRestockReturn,
                "merchant",
                handlers.validate_restock,
                handlers.restock_return,
            ),
        ],
        queries=queries.routes(keeper),
        init_genesis=lambda ctx, data: init_genesis(keeper, ctx, data),
        export_genesis=lambda ctx: export_genesis(keeper, ctx),
        invariants=[lambda ctx: stock_balanced(keeper, ctx)],
    )
