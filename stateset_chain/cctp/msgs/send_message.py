"""MsgSendMessage and MsgSendMessageWithCaller: send any body to a recipient on another domain.

The message's sender is the signer's address left-padded to 32 bytes, so a remote TokenMessenger
never takes it for this chain's (it only mints for messages whose sender is this module).

signer    any account
validate  signer is a canonical address                             -> sdk InvalidAddress
          recipient (and destination_caller) are 32 bytes          -> InvalidBytes32
guard     WithCaller: destination_caller is nonzero                 -> InvalidDestinationCaller
          local domain set                                          -> LocalDomainNotSet
          sending and receiving not paused                          -> MessagesPaused
          len(message_body) <= max message body size (if set)       -> MessageBodyTooLarge
          recipient is nonzero                                      -> InvalidRecipient
change    the next nonce is reserved
emit      MessageSent{message}
response  nonce
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.cctp import outbound
from stateset_chain.cctp.codec import ZERO32, pad_address
from stateset_chain.cctp.errors import InvalidDestinationCaller
from stateset_chain.cctp.msgs.common import require_bytes32, route, validate_signer
from stateset_chain.cctp.state import CctpKeeper
from stateset_chain.context import Context
from stateset_chain.crypto import address
from stateset_chain.module import MsgRoute

from stateset.cctp.v1 import tx_pb2 as tx


def validate(msg: tx.MsgSendMessage) -> None:
    validate_signer(msg)
    require_bytes32(msg.recipient, "recipient")


def validate_with_caller(msg: tx.MsgSendMessageWithCaller) -> None:
    validate(msg)  # type: ignore[arg-type]
    require_bytes32(msg.destination_caller, "destination caller")


def send_message(
    keeper: CctpKeeper, ctx: Context, msg: tx.MsgSendMessage
) -> tx.MsgSendMessageResponse:
    sent = outbound.send_message(
        keeper,
        ctx,
        msg.destination_domain,
        msg.recipient,
        ZERO32,
        pad_address(address.decode(msg.signer)),
        msg.message_body,
    )
    return tx.MsgSendMessageResponse(nonce=sent.nonce)


def send_message_with_caller(
    keeper: CctpKeeper, ctx: Context, msg: tx.MsgSendMessageWithCaller
) -> tx.MsgSendMessageWithCallerResponse:
    if msg.destination_caller == ZERO32:
        raise InvalidDestinationCaller()
    sent = outbound.send_message(
        keeper,
        ctx,
        msg.destination_domain,
        msg.recipient,
        msg.destination_caller,
        pad_address(address.decode(msg.signer)),
        msg.message_body,
    )
    return tx.MsgSendMessageWithCallerResponse(nonce=sent.nonce)


def routes(keeper: CctpKeeper) -> list[MsgRoute]:
    return [
        route(tx.MsgSendMessage, validate, lambda ctx, m: send_message(keeper, ctx, m)),
        route(
            tx.MsgSendMessageWithCaller,
            validate_with_caller,
            lambda ctx, m: send_message_with_caller(keeper, ctx, m),
        ),
    ]
