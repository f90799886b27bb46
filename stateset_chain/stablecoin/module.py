"""Builds the stablecoin ``Module`` (``stablecoin_module(StablecoinKeeper(bank_keeper))``).

The bank must declare the ``stablecoin`` (minter, burner) and ``stablecoin_reserve`` module
accounts (``bank.state.DEFAULT_MODULE_ACCOUNTS`` does).
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.module import Module, bind, msg_routes
from stateset_chain.stablecoin import genesis, invariants, msgs, queries
from stateset_chain.stablecoin.keys import MODULE_NAME
from stateset_chain.stablecoin.state import StablecoinKeeper


def stablecoin_module(keeper: StablecoinKeeper) -> Module:
    return Module(
        name=MODULE_NAME,
        msgs=msg_routes(keeper, msgs.ALL),
        queries=queries.routes(keeper),
        init_genesis=bind(keeper, genesis.init_genesis),
        export_genesis=bind(keeper, genesis.export_genesis),
        invariants=[bind(keeper, inv) for inv in invariants.ALL],
    )
