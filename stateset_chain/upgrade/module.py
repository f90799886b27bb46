"""Builds the upgrade ``Module`` (``upgrade_module(UpgradeKeeper(handlers))``, SPEC.md).

It runs first (wiring puts it first): its genesis records every module's version, and its
pre-block step must run before any other module reads the state of the block.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.module import Module, bind, msg_routes
from stateset_chain.upgrade import genesis, invariants, msgs, preblock, queries
from stateset_chain.upgrade.keys import CONSENSUS_VERSION, MODULE_NAME
from stateset_chain.upgrade.state import UpgradeKeeper


def upgrade_module(keeper: UpgradeKeeper) -> Module:
    return Module(
        name=MODULE_NAME,
        msgs=msg_routes(keeper, msgs.ALL),
        queries=queries.routes(keeper),
        init_genesis=bind(keeper, genesis.init_genesis),
        export_genesis=bind(keeper, genesis.export_genesis),
        invariants=[bind(keeper, inv) for inv in invariants.ALL],
        pre_block=bind(keeper, preblock.pre_block),
        consensus_version=CONSENSUS_VERSION,
    )
