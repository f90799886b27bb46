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
from stateset_chain.cctp import outbound
from stateset_chain.cctp.codec import pad_address
from stateset_chain.cctp.msgs.common import require_bytes32, route, validate_signer
from stateset_chain.cctp.state import CctpKeeper
from stateset_chain.context import Context
from stateset_chain.crypto import address
from stateset_chain.module import MsgRoute

from stateset.cctp.v1 import tx_pb2 as tx


def validate(msg: tx.MsgReplaceMessage) -> None:
    validate_signer(msg)
    require_bytes32(msg.new_destination_caller, "new destination caller", allow_empty_as_zero=True)


def replace_message(
    keeper: CctpKeeper, ctx: Context, msg: tx.MsgReplaceMessage
) -> tx.MsgReplaceMessageResponse:
    outbound.replace_message(
        keeper,
        ctx,
        pad_address(address.decode(msg.signer)),
        msg.original_message,
        msg.original_attestation,
        msg.new_message_body,
        require_bytes32(msg.new_destination_caller, "new destination caller", True),
    )
    return tx.MsgReplaceMessageResponse()


def routes(keeper: CctpKeeper) -> list[MsgRoute]:
    return [
        route(tx.MsgReplaceMessage, validate, lambda ctx, m: replace_message(keeper, ctx, m)),
    ]
