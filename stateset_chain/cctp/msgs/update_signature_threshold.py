"""MsgUpdateSignatureThreshold: the attester manager sets how many attesters must sign.

Attester messages (signer: the attester manager), with Noble's guards on the threshold:
0 < threshold <= enabled attesters, and never disable below the threshold or the last one.

MsgUpdateSignatureThreshold{signer, amount}
validate  amount > 0                                            -> InvalidSignatureThreshold
guard     signer is the attester manager                        -> NotAttesterManager
          amount differs from the current threshold             -> SignatureThresholdUnchanged
          amount <= enabled attesters                           -> SignatureThresholdTooHigh
change    threshold := amount
emit      SignatureThresholdUpdated{old, new}
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.cctp.errors import (
    InvalidSignatureThreshold,
    NotAttesterManager,
    SignatureThresholdTooHigh,
    SignatureThresholdUnchanged,
)
from stateset_chain.cctp.msgs.common import require_role, validate_signer
from stateset_chain.cctp.state import CctpKeeper
from stateset_chain.context import Context

from stateset.cctp.v1 import events_pb2 as events
from stateset.cctp.v1 import tx_pb2 as tx

MSG = tx.MsgUpdateSignatureThreshold


def signers(msg: tx.MsgUpdateSignatureThreshold) -> list[str]:
    return [msg.signer]


def validate(msg: tx.MsgUpdateSignatureThreshold) -> None:
    validate_signer(msg)
    if msg.amount == 0:
        raise InvalidSignatureThreshold()


def handle(
    keeper: CctpKeeper, ctx: Context, msg: tx.MsgUpdateSignatureThreshold
) -> tx.MsgUpdateSignatureThresholdResponse:
    require_role(keeper.attester_manager(ctx.store), msg.signer, NotAttesterManager)
    old = keeper.signature_threshold(ctx.store)
    count = keeper.attester_count(ctx.store)
    if msg.amount == old:
        raise SignatureThresholdUnchanged(f"threshold is {old}")
    if msg.amount > count:
        raise SignatureThresholdTooHigh(f"{msg.amount} > {count} enabled attesters")
    keeper.set_signature_threshold(ctx.store, msg.amount)
    ctx.events.emit(
        events.SignatureThresholdUpdated(
            old_signature_threshold=old, new_signature_threshold=msg.amount
        )
    )
    return tx.MsgUpdateSignatureThresholdResponse()
