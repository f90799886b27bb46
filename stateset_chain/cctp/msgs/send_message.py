"""MsgSendMessage: send any body to a recipient on another domain.

The message's sender is the signer's address left-padded to 32 bytes, so a remote TokenMessenger
never takes it for this chain's (it only mints for messages whose sender is this module). Every
message out (burns and replacements too) goes through ``send_message`` below, whose guards run
in noble-cctp's order (x/cctp/keeper/msg_server_send_message.go). Each emits ``MessageSent``
with the full message, which a relayer hashes (keccak256) to fetch Circle's attestation, then
delivers to the destination domain's MessageTransmitter.

signer    any account
validate  signer is a canonical address                             -> sdk InvalidAddress
          recipient is 32 bytes                                     -> InvalidBytes32
guard     local domain set                                          -> LocalDomainNotSet
          sending and receiving not paused                          -> MessagesPaused
          len(message_body) <= max message body size (if set)       -> MessageBodyTooLarge
          recipient is nonzero                                      -> InvalidRecipient
change    the next nonce is reserved
emit      MessageSent{message}
response  nonce
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.cctp.codec import ZERO32, Message, keccak256, pad_address
from stateset_chain.cctp.errors import InvalidRecipient, MessageBodyTooLarge, MessagesPaused
from stateset_chain.cctp.keys import MESSAGE_VERSION
from stateset_chain.cctp.msgs.common import require_bytes32, validate_signer
from stateset_chain.cctp.results import SentMessage
from stateset_chain.cctp.state import CctpKeeper
from stateset_chain.context import Context
from stateset_chain.crypto import address

from stateset.cctp.v1 import events_pb2 as events
from stateset.cctp.v1 import tx_pb2 as tx

MSG = tx.MsgSendMessage


def signers(msg: tx.MsgSendMessage) -> list[str]:
    return [msg.signer]


def validate(msg: tx.MsgSendMessage) -> None:
    validate_signer(msg)
    require_bytes32(msg.recipient, "recipient")


def handle(keeper: CctpKeeper, ctx: Context, msg: tx.MsgSendMessage) -> tx.MsgSendMessageResponse:
    sent = send_message(
        keeper,
        ctx,
        msg.destination_domain,
        msg.recipient,
        ZERO32,
        pad_address(address.decode(msg.signer)),
        msg.message_body,
    )
    return tx.MsgSendMessageResponse(nonce=sent.nonce)


def send_message(
    keeper: CctpKeeper,
    ctx: Context,
    destination_domain: int,
    recipient: bytes,
    destination_caller: bytes,
    sender: bytes,
    body: bytes,
    nonce: int | None = None,
) -> SentMessage:
    """Build and emit one message from ``sender`` (bytes32); a new nonce unless ``nonce`` is
    given (a replacement keeps its original's)."""
    local_domain = keeper.require_local_domain(ctx.store)
    if keeper.sending_and_receiving_paused(ctx.store):
        raise MessagesPaused()
    limit = keeper.max_message_body_size(ctx.store)
    if limit is not None and len(body) > limit:
        raise MessageBodyTooLarge(f"{len(body)} bytes, the limit is {limit}")
    if recipient == ZERO32:
        raise InvalidRecipient()
    if nonce is None:
        nonce = keeper.reserve_nonce(ctx.store)
    raw = Message(
        version=MESSAGE_VERSION,
        source_domain=local_domain,
        destination_domain=destination_domain,
        nonce=nonce,
        sender=sender,
        recipient=recipient,
        destination_caller=destination_caller,
        body=body,
    ).encode()
    ctx.events.emit(events.MessageSent(message=raw))
    return SentMessage(nonce=nonce, message=raw, message_hash=keccak256(raw))
