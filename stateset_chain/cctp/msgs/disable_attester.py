"""MsgDisableAttester: the attester manager disables an attester.

Attester messages (signer: the attester manager), with Noble's guards on the threshold:
0 < threshold <= enabled attesters, and never disable below the threshold or the last one.

MsgDisableAttester{signer, attester}
guard     signer is the attester manager                        -> NotAttesterManager
          the attester is enabled                               -> AttesterNotEnabled
          more than one attester is enabled                     -> CannotDisableLastAttester
          a threshold is set                                    -> SignatureThresholdNotSet
          enabled attesters > threshold                         -> DisableBelowThreshold
change    the attester is removed
emit      AttesterDisabled{attester}
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.cctp.attestation import (
    ethereum_address,
    format_attester_key,
    parse_attester_key,
)
from stateset_chain.cctp.errors import (
    AttesterNotEnabled,
    CannotDisableLastAttester,
    DisableBelowThreshold,
    NotAttesterManager,
    SignatureThresholdNotSet,
)
from stateset_chain.cctp.msgs.common import require_role, validate_signer
from stateset_chain.cctp.state import CctpKeeper
from stateset_chain.context import Context

from stateset.cctp.v1 import events_pb2 as events
from stateset.cctp.v1 import tx_pb2 as tx

MSG = tx.MsgDisableAttester


def signers(msg: tx.MsgDisableAttester) -> list[str]:
    return [msg.signer]


def validate(msg: tx.MsgDisableAttester) -> bytes:
    """The attester's public key."""
    validate_signer(msg)
    return parse_attester_key(msg.attester)


def handle(
    keeper: CctpKeeper, ctx: Context, msg: tx.MsgDisableAttester, parsed: bytes
) -> tx.MsgDisableAttesterResponse:
    pubkey = parsed
    eth_address = ethereum_address(pubkey)
    require_role(keeper.attester_manager(ctx.store), msg.signer, NotAttesterManager)
    if not keeper.is_attester(ctx.store, eth_address):
        raise AttesterNotEnabled(format_attester_key(pubkey))
    count = keeper.attester_count(ctx.store)
    threshold = keeper.signature_threshold(ctx.store)
    if count <= 1:
        raise CannotDisableLastAttester()
    if threshold == 0:
        raise SignatureThresholdNotSet()
    if count <= threshold:
        raise DisableBelowThreshold(f"{count} attesters, threshold {threshold}")
    keeper.disable_attester(ctx.store, eth_address)
    ctx.events.emit(events.AttesterDisabled(attester=format_attester_key(pubkey)))
    return tx.MsgDisableAttesterResponse()
