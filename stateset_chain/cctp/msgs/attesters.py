"""Attester messages (signer: the attester manager), with Noble's guards on the threshold:
0 < threshold <= enabled attesters, and never disable below the threshold or the last one.

MsgEnableAttester{signer, attester}
    validate  attester is a 65-byte uncompressed point, hex         -> InvalidAttesterKey
    guard     signer is the attester manager                        -> NotAttesterManager
              the attester (by address) is not enabled yet          -> AttesterAlreadyEnabled
    change    attesters[address] := public key
    emit      AttesterEnabled{attester: "0x04..."}

MsgDisableAttester{signer, attester}
    guard     signer is the attester manager                        -> NotAttesterManager
              the attester is enabled                               -> AttesterNotEnabled
              more than one attester is enabled                     -> CannotDisableLastAttester
              a threshold is set                                    -> SignatureThresholdNotSet
              enabled attesters > threshold                         -> DisableBelowThreshold
    change    the attester is removed
    emit      AttesterDisabled{attester}

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
from stateset_chain.cctp.attestation import (
    ethereum_address,
    format_attester_key,
    parse_attester_key,
)
from stateset_chain.cctp.errors import (
    AttesterAlreadyEnabled,
    AttesterNotEnabled,
    CannotDisableLastAttester,
    DisableBelowThreshold,
    InvalidSignatureThreshold,
    NotAttesterManager,
    SignatureThresholdNotSet,
    SignatureThresholdTooHigh,
    SignatureThresholdUnchanged,
)
from stateset_chain.cctp.msgs.common import require_role, route, validate_signer
from stateset_chain.cctp.state import CctpKeeper
from stateset_chain.context import Context
from stateset_chain.module import MsgRoute

from stateset.cctp.v1 import events_pb2 as events
from stateset.cctp.v1 import tx_pb2 as tx


def validate_attester(msg: tx.MsgEnableAttester | tx.MsgDisableAttester) -> None:
    validate_signer(msg)
    parse_attester_key(msg.attester)


def enable_attester(
    keeper: CctpKeeper, ctx: Context, msg: tx.MsgEnableAttester
) -> tx.MsgEnableAttesterResponse:
    pubkey = parse_attester_key(msg.attester)
    eth_address = ethereum_address(pubkey)
    require_role(keeper.attester_manager(ctx.store), msg.signer, NotAttesterManager)
    if keeper.is_attester(ctx.store, eth_address):
        raise AttesterAlreadyEnabled(format_attester_key(pubkey))
    keeper.enable_attester(ctx.store, eth_address, pubkey)
    ctx.events.emit(events.AttesterEnabled(attester=format_attester_key(pubkey)))
    return tx.MsgEnableAttesterResponse()


def disable_attester(
    keeper: CctpKeeper, ctx: Context, msg: tx.MsgDisableAttester
) -> tx.MsgDisableAttesterResponse:
    pubkey = parse_attester_key(msg.attester)
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


def validate_threshold(msg: tx.MsgUpdateSignatureThreshold) -> None:
    validate_signer(msg)
    if msg.amount == 0:
        raise InvalidSignatureThreshold()


def update_signature_threshold(
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


def routes(keeper: CctpKeeper) -> list[MsgRoute]:
    return [
        route(tx.MsgEnableAttester, validate_attester, lambda c, m: enable_attester(keeper, c, m)),
        route(
            tx.MsgDisableAttester, validate_attester, lambda c, m: disable_attester(keeper, c, m)
        ),
        route(
            tx.MsgUpdateSignatureThreshold,
            validate_threshold,
            lambda c, m: update_signature_threshold(keeper, c, m),
        ),
    ]
