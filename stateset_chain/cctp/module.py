"""Builds the cctp ``Module`` around a keeper.

    keeper = CctpKeeper(bank)                     # bank declares keys.CCTP_MODULE_ACCOUNTS
    module = cctp_module(keeper)
    keeper.on_mint = orders_hook                  # optional: see state.py

The bank must declare the ``cctp`` module account with minter and burner permissions
(``keys.CCTP_MODULE_ACCOUNTS``, merged into the bank's module accounts by the wiring).
"""

from __future__ import annotations

from collections.abc import Callable

import stateset_chain.pb  # noqa: F401
from stateset_chain.cctp import attestation, genesis, invariants, queries
from stateset_chain.cctp.keys import MODULE_NAME
from stateset_chain.cctp.msgs import (
    attesters,
    deposit_for_burn,
    messengers,
    pauses,
    receive_message,
    replace_deposit_for_burn,
    replace_message,
    roles,
    send_message,
    tokens,
)
from stateset_chain.cctp.state import CctpKeeper
from stateset_chain.context import Context
from stateset_chain.module import Module, MsgRoute

from stateset.cctp.v1 import tx_pb2 as cctp_tx

MSG_FILES = (
    receive_message,
    deposit_for_burn,
    replace_deposit_for_burn,
    send_message,
    replace_message,
    roles,
    attesters,
    tokens,
    messengers,
    pauses,
)


def msg_routes(keeper: CctpKeeper) -> list[MsgRoute]:
    return [r for f in MSG_FILES for r in f.routes(keeper)]


def cctp_module(keeper: CctpKeeper) -> Module:
    return Module(
        name=MODULE_NAME,
        msgs=msg_routes(keeper),
        queries=queries.routes(keeper),
        init_genesis=lambda ctx, data: genesis.init_genesis(keeper, ctx, data),
        export_genesis=lambda ctx: genesis.export_genesis(keeper, ctx),
        invariants=[_bind(inv, keeper) for inv in invariants.ALL],
        prepare_block=prepare_block,
    )


def prepare_block(txs: list) -> None:
    """Recovers the attestation signers of the block's MsgReceiveMessages on worker threads."""
    attested = [
        (msg.message, msg.attestation)
        for tx in txs
        for msg in tx.msgs
        if isinstance(msg, cctp_tx.MsgReceiveMessage)
    ]
    if attested:
        attestation.prerecover(attested)


def _bind(
    invariant: Callable[[CctpKeeper, Context], None], keeper: CctpKeeper
) -> Callable[[Context], None]:
    return lambda ctx: invariant(keeper, ctx)
