"""MsgReplaceMessage: re-send one's own message with a new body and destination caller.

signer    the original message's sender
validate  signer is a canonical address                             -> sdk InvalidAddress
          new_destination_caller is 32 bytes or empty (= anyone)    -> InvalidBytes32
guard     sending and receiving not paused                          -> MessagesPaused
          the original attestation verifies                         -> (attestation errors)
          the original parses                                       -> MalformedMessage
          its sender is the signer (left-padded)                    -> NotOriginalSender
          it was sent from this domain                              -> MessageNotFromLocalDomain
          the new body fits, the recipient is nonzero               -> MessageBodyTooLarge, ...
emit      MessageSent{new message, original nonce}
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.cctp.codec import Message, pad_address
from stateset_chain.cctp.errors import MessageNotFromLocalDomain, MessagesPaused, NotOriginalSender
from stateset_chain.cctp.msgs.common import require_bytes32, validate_signer
from stateset_chain.cctp.msgs.send_message import send_message
from stateset_chain.cctp.results import SentMessage
from stateset_chain.cctp.state import CctpKeeper
from stateset_chain.context import Context
from stateset_chain.crypto import address

from stateset.cctp.v1 import tx_pb2 as tx

MSG = tx.MsgReplaceMessage


def signers(msg: tx.MsgReplaceMessage) -> list[str]:
    return [msg.signer]


def validate(msg: tx.MsgReplaceMessage) -> None:
    validate_signer(msg)
    require_bytes32(msg.new_destination_caller, "new destination caller", allow_empty_as_zero=True)


def handle(
    keeper: CctpKeeper, ctx: Context, msg: tx.MsgReplaceMessage
) -> tx.MsgReplaceMessageResponse:
    replace_message(
        keeper,
        ctx,
        pad_address(address.decode(msg.signer)),
        msg.original_message,
        msg.original_attestation,
        msg.new_message_body,
        require_bytes32(msg.new_destination_caller, "new destination caller", True),
    )
    return tx.MsgReplaceMessageResponse()


def replace_message(
    keeper: CctpKeeper,
    ctx: Context,
    sender: bytes,
    original_message: bytes,
    original_attestation: bytes,
    new_body: bytes,
    new_destination_caller: bytes,
) -> SentMessage:
    """Re-send a message of ``sender`` (bytes32) sent from here, under its original nonce."""
    if keeper.sending_and_receiving_paused(ctx.store):
        raise MessagesPaused()
    keeper.verify_attestation(ctx, original_message, original_attestation)
    original = Message.decode(original_message)
    if original.sender != sender:
        raise NotOriginalSender()
    if original.source_domain != keeper.require_local_domain(ctx.store):
        raise MessageNotFromLocalDomain(f"source domain {original.source_domain}")
    return send_message(
        keeper,
        ctx,
        original.destination_domain,
        original.recipient,
        new_destination_caller,
        original.sender,
        new_body,
        nonce=original.nonce,
    )
