"""Builds the bank ``Module`` around a keeper (``bank_module(BankKeeper(auth_keeper))``)."""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.bank import genesis, handlers, invariants, queries
from stateset_chain.bank.keys import MODULE_NAME
from stateset_chain.bank.state import BankKeeper
from stateset_chain.module import Module, MsgRoute

from cosmos.bank.v1beta1 import tx_pb2


def bank_module(keeper: BankKeeper) -> Module:
    return Module(
        name=MODULE_NAME,
        msgs=[
            MsgRoute(
                msg_cls=tx_pb2.MsgSend,
                signers=handlers.send_signers,
                validate=handlers.validate_send,
                handler=lambda ctx, msg: handlers.handle_send(keeper, ctx, msg),
            )
        ],
        queries=queries.routes(keeper),
        init_genesis=lambda ctx, data: genesis.init_genesis(keeper, ctx, data),
        export_genesis=lambda ctx: genesis.export_genesis(keeper, ctx),
        invariants=[invariants.total_supply],
    )
