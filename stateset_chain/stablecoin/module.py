"""Builds the stablecoin ``Module`` (``stablecoin_module(StablecoinKeeper(bank_keeper))``).

The bank must declare the ``stablecoin`` (minter, burner) and ``stablecoin_reserve`` module
accounts (``bank.state.DEFAULT_MODULE_ACCOUNTS`` does).
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.module import Module, MsgRoute
from stateset_chain.stablecoin import genesis, handlers, invariants, queries
from stateset_chain.stablecoin.keys import MODULE_NAME
from stateset_chain.stablecoin.state import StablecoinKeeper

from stateset.stablecoin.v1 import tx_pb2 as tx


def stablecoin_module(keeper: StablecoinKeeper) -> Module:
    return Module(
        name=MODULE_NAME,
        msgs=[
            MsgRoute(
                msg_cls=tx.MsgIssueStablecoin,
                signers=handlers.signers,
                validate=handlers.validate,
                handler=lambda ctx, msg: handlers.issue(keeper, ctx, msg),
            ),
            MsgRoute(
                msg_cls=tx.MsgRedeemStablecoin,
                signers=handlers.signers,
                validate=handlers.validate,
                handler=lambda ctx, msg: handlers.redeem(keeper, ctx, msg),
            ),
        ],
        queries=queries.routes(keeper),
        init_genesis=lambda ctx, data: genesis.init_genesis(keeper, ctx, data),
        export_genesis=lambda ctx: genesis.export_genesis(keeper, ctx),
        invariants=[lambda ctx: invariants.reserve_backs_supply(keeper, ctx)],
    )
