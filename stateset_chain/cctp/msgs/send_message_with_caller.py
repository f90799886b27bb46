"""MsgSendMessageWithCaller: MsgSendMessage that only ``destination_caller`` may receive.

signer    any account
validate  signer is a canonical address                             -> sdk InvalidAddress
          recipient and destination_caller are 32 bytes             -> InvalidBytes32
guard     destination_caller is nonzero                             -> InvalidDestinationCaller
          then MsgSendMessage's guards (``send_message.send_message``)
change    the next nonce is reserved
emit      MessageSent{message}
response  nonce
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.cctp.codec import ZERO32, pad_address
from stateset_chain.cctp.errors import InvalidDestinationCaller
from stateset_chain.cctp.msgs.common import require_bytes32, validate_signer
from stateset_chain.cctp.msgs.send_message import send_message
from stateset_chain.cctp.state import CctpKeeper
from stateset_chain.context import Context
from stateset_chain.crypto import address

from stateset.cctp.v1 import tx_pb2 as tx

MSG = tx.MsgSendMessageWithCaller


def signers(msg: tx.MsgSendMessageWithCaller) -> list[str]:
    return [msg.signer]


def validate(msg: tx.MsgSendMessageWithCaller) -> None:
    validate_signer(msg)
    require_bytes32(msg.recipient, "recipient")
    require_bytes32(msg.destination_caller, "destination caller")


def handle(
    keeper: CctpKeeper, ctx: Context, msg: tx.MsgSendMessageWithCaller
) -> tx.MsgSendMessageWithCallerResponse:
    if msg.destination_caller == ZERO32:
        raise InvalidDestinationCaller()
    sent = send_message(
        keeper,
        ctx,
        msg.destination_domain,
        msg.recipient,
        msg.destination_caller,
        pad_address(address.decode(msg.signer)),
        msg.message_body,
    )
    return tx.MsgSendMessageWithCallerResponse(nonce=sent.nonce)
