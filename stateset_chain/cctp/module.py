"""Builds the cctp ``Module`` around a keeper.

    keeper = CctpKeeper(bank)                     # bank declares keys.CCTP_MODULE_ACCOUNTS
    module = cctp_module(keeper)
    # another module may attach to keeper.mint_hooks as it is built (hooks.py: crosschain)

The bank must declare the ``cctp`` module account with minter and burner permissions
(``keys.CCTP_MODULE_ACCOUNTS``, merged into the bank's module accounts by the wiring).
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.cctp import attestation, genesis, invariants, msgs, queries
from stateset_chain.cctp.keys import MODULE_NAME
from stateset_chain.cctp.state import CctpKeeper
from stateset_chain.module import Module, bind, msg_routes

from stateset.cctp.v1 import tx_pb2 as cctp_tx


def cctp_module(keeper: CctpKeeper) -> Module:
    return Module(
        name=MODULE_NAME,
        msgs=msg_routes(keeper, msgs.ALL),
        queries=queries.routes(keeper),
        init_genesis=bind(keeper, genesis.init_genesis),
        export_genesis=bind(keeper, genesis.export_genesis),
        invariants=[bind(keeper, inv) for inv in invariants.ALL],
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

