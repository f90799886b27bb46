"""Builds the oracle ``Module`` (``oracle_module(OracleKeeper())``).

The keeper has no dependencies; consumers of rates are given it at construction (each through
the narrow Protocol in its own ``expected.py``). Its end block aggregates the block's
submissions (aggregate.py)."""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.module import Module, bind, msg_routes
from stateset_chain.oracle import aggregate, genesis, invariants, msgs, queries
from stateset_chain.oracle.keys import MODULE_NAME
from stateset_chain.oracle.state import OracleKeeper


def oracle_module(keeper: OracleKeeper) -> Module:
    return Module(
        name=MODULE_NAME,
        msgs=msg_routes(keeper, msgs.ALL),
        queries=queries.routes(keeper),
        init_genesis=bind(keeper, genesis.init_genesis),
        export_genesis=bind(keeper, genesis.export_genesis),
        end_block=bind(keeper, aggregate.end_block),
        invariants=[bind(keeper, inv) for inv in invariants.ALL],
    )
