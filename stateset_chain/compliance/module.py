"""Builds the compliance ``Module`` (``compliance_module(ComplianceKeeper())``).

The keeper has no dependencies; the orders, bank and cctp keepers are given it at construction
(each through the narrow Protocol in its own ``expected.py``)."""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.compliance import freezing, genesis, invariants, msgs, queries
from stateset_chain.compliance.keys import CONSENSUS_VERSION, MODULE_NAME
from stateset_chain.compliance.migrations import v2
from stateset_chain.compliance.state import ComplianceKeeper
from stateset_chain.module import Module, bind, msg_routes


def compliance_module(keeper: ComplianceKeeper) -> Module:
    return Module(
        name=MODULE_NAME,
        msgs=msg_routes(keeper, msgs.ALL),
        queries=queries.routes(keeper),
        init_genesis=bind(keeper, genesis.init_genesis),
        export_genesis=bind(keeper, genesis.export_genesis),
        end_block=bind(keeper, freezing.end_block),
        consensus_version=CONSENSUS_VERSION,
        migrations={1: bind(keeper, v2.migrate)},
        invariants=[bind(keeper, inv) for inv in invariants.ALL],
    )
