"""Builds the privacy ``Module`` (``privacy_module(PrivacyKeeper())``): the encryption key
registry. The orders module reads it through ``OrdersKeeper.encryption_keys`` (the wiring)."""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.module import Module, MsgRoute
from stateset_chain.privacy import genesis, handlers, queries
from stateset_chain.privacy.keys import MODULE_NAME
from stateset_chain.privacy.state import PrivacyKeeper

from stateset.privacy.v1 import tx_pb2 as tx


def privacy_module(keeper: PrivacyKeeper) -> Module:
    return Module(
        name=MODULE_NAME,
        msgs=[
            MsgRoute(
                msg_cls=tx.MsgRegisterEncryptionKey,
                signers=handlers.signers,
                validate=handlers.validate,
                handler=lambda ctx, msg: handlers.register(keeper, ctx, msg),
            ),
        ],
        queries=queries.routes(keeper),
        init_genesis=lambda ctx, data: genesis.init_genesis(keeper, ctx, data),
        export_genesis=lambda ctx: genesis.export_genesis(keeper, ctx),
    )
