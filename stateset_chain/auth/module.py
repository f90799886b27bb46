"""Builds the auth ``Module`` around a keeper (``auth_module(AuthKeeper())``).

Auth has no messages (so no ``msgs/``): its work is the tx pipeline the app runs before any message,
``decode_tx`` (``stateset_chain.auth.tx``) and ``make_ante(auth, bank)``
(``stateset_chain.auth.ante``), which the app wiring passes to ``App`` as its ``TxPipeline``.
"""

from __future__ import annotations

from stateset_chain.auth import genesis, invariants, queries
from stateset_chain.auth.keys import MODULE_NAME
from stateset_chain.auth.state import AuthKeeper
from stateset_chain.module import Module, bind


def auth_module(keeper: AuthKeeper) -> Module:
    return Module(
        name=MODULE_NAME,
        msgs=[],
        queries=queries.routes(keeper),
        init_genesis=bind(keeper, genesis.init_genesis),
        export_genesis=bind(keeper, genesis.export_genesis),
        invariants=[bind(keeper, inv) for inv in invariants.ALL],
    )
