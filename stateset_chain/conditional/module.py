"""The conditional orders ``Module`` (SPEC.md): ``conditional_module(ConditionalKeeper(bank,
orders, inventory))``. The keeper attaches itself to the orders module's status hooks and to the
inventory's stock listeners as it is built, so stock writes and status changes wake the
conditional orders waiting on them.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.conditional import engine, genesis, invariants, msgs, queries
from stateset_chain.conditional.keys import MODULE_NAME
from stateset_chain.conditional.state import ConditionalKeeper
from stateset_chain.module import Module, bind, msg_routes


def conditional_module(keeper: ConditionalKeeper) -> Module:
    return Module(
        name=MODULE_NAME,
        msgs=msg_routes(keeper, msgs.ALL),
        queries=queries.routes(keeper),
        init_genesis=bind(keeper, genesis.init_genesis),
        export_genesis=bind(keeper, genesis.export_genesis),
        end_block=bind(keeper, engine.end_block),
        invariants=[bind(keeper, inv) for inv in invariants.ALL],
    )
