"""MsgReplaceDepositForBurn: re-send one's own burn with a new mint recipient and caller.

The destination accepts whichever of the original and the replacement is received first: both
carry the same (source domain, nonce). Amount and burn token cannot change.

signer    the original depositor
validate  signer is a canonical address                             -> sdk InvalidAddress
          new_mint_recipient is 32 bytes; new_destination_caller
          is 32 bytes or empty (= anyone)                           -> InvalidBytes32
guard     burning and minting not paused                            -> BurningAndMintingPaused
          the original parses, its body is a burn message           -> MalformedMessage,
                                                                       MalformedBurnMessage
          its message_sender is the signer (left-padded)            -> NotOriginalDepositor
          new_mint_recipient is nonzero                             -> ZeroMintRecipient
          sending and receiving not paused                          -> MessagesPaused
          the original attestation verifies                         -> (attestation errors)
          the original was sent by this module                      -> NotOriginalSender
          from this domain                                          -> MessageNotFromLocalDomain
change    nothing but the events (the nonce is the original's)
emit      MessageSent{new message}, DepositForBurn{original nonce, new recipient and caller}
"""

from __future__ import annotations

from dataclasses import replace

import stateset_chain.pb  # noqa: F401
from stateset_chain.cctp.codec import ZERO32, BurnMessage, Message, pad_address
from stateset_chain.cctp.errors import (
    BurningAndMintingPaused,
    NotOriginalDepositor,
    ZeroMintRecipient,
)
from stateset_chain.cctp.msgs.common import require_bytes32, validate_signer
from stateset_chain.cctp.msgs.replace_message import replace_message
from stateset_chain.cctp.results import SentMessage
from stateset_chain.cctp.state import CctpKeeper
from stateset_chain.context import Context
from stateset_chain.crypto import address

from stateset.cctp.v1 import events_pb2 as events
from stateset.cctp.v1 import tx_pb2 as tx

MSG = tx.MsgReplaceDepositForBurn


def signers(msg: tx.MsgReplaceDepositForBurn) -> list[str]:
    return [msg.signer]


def validate(msg: tx.MsgReplaceDepositForBurn) -> None:
    validate_signer(msg)
    require_bytes32(msg.new_mint_recipient, "new mint recipient")
    require_bytes32(msg.new_destination_caller, "new destination caller", allow_empty_as_zero=True)


def handle(
    keeper: CctpKeeper, ctx: Context, msg: tx.MsgReplaceDepositForBurn
) -> tx.MsgReplaceDepositForBurnResponse:
    replace_deposit_for_burn(
        keeper,
        ctx,
        msg.signer,
        msg.original_message,
        msg.original_attestation,
        require_bytes32(msg.new_destination_caller, "new destination caller", True),
        msg.new_mint_recipient,
    )
    return tx.MsgReplaceDepositForBurnResponse()


def replace_deposit_for_burn(
    keeper: CctpKeeper,
    ctx: Context,
    depositor: str,
    original_message: bytes,
    original_attestation: bytes,
    new_destination_caller: bytes,
    new_mint_recipient: bytes,
) -> SentMessage:
    """Re-send a burn ``depositor`` made, with a new mint recipient and destination caller."""
    if keeper.burning_and_minting_paused(ctx.store):
        raise BurningAndMintingPaused()
    original = Message.decode(original_message)
    burn = BurnMessage.decode(original.body)
    if burn.message_sender != pad_address(address.decode(depositor)):
        raise NotOriginalDepositor()
    if new_mint_recipient == ZERO32:
        raise ZeroMintRecipient()
    new_body = replace(burn, mint_recipient=new_mint_recipient).encode()
    sent = replace_message(
        keeper,
        ctx,
        keeper.module_bytes32,
        original_message,
        original_attestation,
        new_body,
        new_destination_caller,
    )
    ctx.events.emit(
        events.DepositForBurn(
            nonce=original.nonce,
            burn_token=burn.burn_token.hex(),
            amount=str(burn.amount),
            depositor=depositor,
            mint_recipient=new_mint_recipient,
            destination_domain=original.destination_domain,
            destination_token_messenger=original.recipient,
            destination_caller=new_destination_caller,
        )
    )
    return sent
