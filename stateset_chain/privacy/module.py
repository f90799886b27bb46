"""Builds the privacy ``Module`` (``privacy_module(PrivacyKeeper())``): the encryption key
registry. The orders module is built with it (``OrdersKeeper(..., encryption_keys=privacy)``)."""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.module import Module, bind, msg_routes
from stateset_chain.privacy import genesis, invariants, msgs, queries
from stateset_chain.privacy.keys import MODULE_NAME
from stateset_chain.privacy.state import PrivacyKeeper


def privacy_module(keeper: PrivacyKeeper) -> Module:
    return Module(
        name=MODULE_NAME,
        msgs=msg_routes(keeper, msgs.ALL),
        queries=queries.routes(keeper),
        init_genesis=bind(keeper, genesis.init_genesis),
        export_genesis=bind(keeper, genesis.export_genesis),
        invariants=[bind(keeper, inv) for inv in invariants.ALL],
    )
