"""Builds the bank ``Module`` around a keeper (``bank_module(BankKeeper(auth_keeper))``)."""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.bank import genesis, invariants, msgs, queries
from stateset_chain.bank.keys import CONSENSUS_VERSION, MODULE_NAME
from stateset_chain.bank.migrations import v2
from stateset_chain.bank.state import BankKeeper
from stateset_chain.module import Module, bind, msg_routes


def bank_module(keeper: BankKeeper) -> Module:
    return Module(
        name=MODULE_NAME,
        msgs=msg_routes(keeper, msgs.ALL),
        queries=queries.routes(keeper),
        init_genesis=bind(keeper, genesis.init_genesis),
        export_genesis=bind(keeper, genesis.export_genesis),
        invariants=[bind(keeper, inv) for inv in invariants.ALL],
        consensus_version=CONSENSUS_VERSION,
        migrations={1: bind(keeper, v2.migrate)},
    )
