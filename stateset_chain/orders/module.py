"""Builds the orders ``Module`` (``orders_module(OrdersKeeper(bank_keeper))``).

The bank must declare the ``orders_escrow`` module account (``keys.ORDERS_MODULE_ACCOUNTS``, no
mint or burn permission), so that no one can MsgSend into the escrow.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.module import Module, bind, msg_routes
from stateset_chain.orders import genesis, invariants, msgs, queries, settlement
from stateset_chain.orders.keys import CONSENSUS_VERSION, LOCAL_PREFIXES, MODULE_NAME
from stateset_chain.orders.migrations import v2
from stateset_chain.orders.state import OrdersKeeper


def orders_module(keeper: OrdersKeeper) -> Module:
    return Module(
        name=MODULE_NAME,
        msgs=msg_routes(keeper, msgs.ALL),
        queries=queries.routes(keeper),
        init_genesis=bind(keeper, genesis.init_genesis),
        export_genesis=bind(keeper, genesis.export_genesis),
        end_block=bind(keeper, settlement.end_block),
        invariants=[bind(keeper, inv) for inv in invariants.ALL],
        genesis_invariants=[bind(keeper, inv) for inv in invariants.AT_GENESIS],
        genesis_streams=("orders",),
        local_prefixes=LOCAL_PREFIXES,
        rebuild_local=keeper.rebuild_indexes,
        derive_local=keeper.derive_indexes,
        consensus_version=CONSENSUS_VERSION,
        migrations={1: bind(keeper, v2.migrate)},
    )

