"""The inventory ``Module``: stock per merchant and SKU, reserved by orders (SPEC.md).

``InventoryKeeper(orders)`` attaches itself to the orders module's hooks (orders/hooks.py), so
that order creation reserves and status changes commit or release."""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.inventory import genesis, invariants, msgs, queries
from stateset_chain.inventory.keys import MODULE_NAME
from stateset_chain.inventory.state import InventoryKeeper
from stateset_chain.module import Module, bind, msg_routes


def inventory_module(keeper: InventoryKeeper) -> Module:
    return Module(
        name=MODULE_NAME,
        msgs=msg_routes(keeper, msgs.ALL),
        queries=queries.routes(keeper),
        init_genesis=bind(keeper, genesis.init_genesis),
        export_genesis=bind(keeper, genesis.export_genesis),
        invariants=[bind(keeper, inv) for inv in invariants.ALL],
    )
