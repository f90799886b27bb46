"""Builds the cross-chain glue's ``Module`` and connects it to cctp and orders.

    keeper = CrosschainKeeper(bank, orders_keeper, cctp_keeper)  # attaches itself (state.py):
    module = crosschain_module(keeper)      # bank blocked addresses, cctp mint hooks, refunder

The bank must declare ``keys.CROSSCHAIN_MODULE_ACCOUNTS`` (``crosschain_unclaimed``, no mint or
burn permission); cctp and orders keep their own accounts.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.crosschain import genesis, invariants, msgs, queries
from stateset_chain.crosschain.keys import MODULE_NAME
from stateset_chain.crosschain.state import CrosschainKeeper
from stateset_chain.module import Module, bind, msg_routes


def crosschain_module(keeper: CrosschainKeeper) -> Module:
    return Module(
        name=MODULE_NAME,
        msgs=msg_routes(keeper, msgs.ALL),
        queries=queries.routes(keeper),
        init_genesis=bind(keeper, genesis.init_genesis),
        export_genesis=bind(keeper, genesis.export_genesis),
        invariants=[bind(keeper, inv) for inv in invariants.ALL],
    )

