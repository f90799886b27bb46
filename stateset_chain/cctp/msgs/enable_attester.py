"""MsgEnableAttester: the attester manager enables an attester.

Attester messages (signer: the attester manager), with Noble's guards on the threshold:
0 < threshold <= enabled attesters, and never disable below the threshold or the last one.

MsgEnableAttester{signer, attester}
validate  attester is a 65-byte uncompressed point, hex         -> InvalidAttesterKey
guard     signer is the attester manager                        -> NotAttesterManager
          the attester (by address) is not enabled yet          -> AttesterAlreadyEnabled
change    attesters[address] := public key
emit      AttesterEnabled{attester: "0x04..."}
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.cctp.attestation import (
    ethereum_address,
    format_attester_key,
    parse_attester_key,
)
from stateset_chain.cctp.errors import (
    AttesterAlreadyEnabled,
    NotAttesterManager,
)
from stateset_chain.cctp.msgs.common import require_role, validate_signer
from stateset_chain.cctp.state import CctpKeeper
from stateset_chain.context import Context

from stateset.cctp.v1 import events_pb2 as events
from stateset.cctp.v1 import tx_pb2 as tx

MSG = tx.MsgEnableAttester


def signers(msg: tx.MsgEnableAttester) -> list[str]:
    return [msg.signer]


def validate(msg: tx.MsgEnableAttester) -> bytes:
    """The attester's public key."""
    validate_signer(msg)
    return parse_attester_key(msg.attester)


def handle(
    keeper: CctpKeeper, ctx: Context, msg: tx.MsgEnableAttester, parsed: bytes
) -> tx.MsgEnableAttesterResponse:
    pubkey = parsed
    eth_address = ethereum_address(pubkey)
    require_role(keeper.attester_manager(ctx.store), msg.signer, NotAttesterManager)
    if keeper.is_attester(ctx.store, eth_address):
        raise AttesterAlreadyEnabled(format_attester_key(pubkey))
    keeper.enable_attester(ctx.store, eth_address, pubkey)
    ctx.events.emit(events.AttesterEnabled(attester=format_attester_key(pubkey)))
    return tx.MsgEnableAttesterResponse()
