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

import stateset_chain.pb  # noqa: F401
from stateset_chain.cctp import outbound
from stateset_chain.cctp.msgs.common import require_bytes32, route, validate_signer
from stateset_chain.cctp.state import CctpKeeper
from stateset_chain.context import Context
from stateset_chain.module import MsgRoute

from stateset.cctp.v1 import tx_pb2 as tx


def validate(msg: tx.MsgReplaceDepositForBurn) -> None:
    validate_signer(msg)
    require_bytes32(msg.new_mint_recipient, "new mint recipient")
    require_bytes32(msg.new_destination_caller, "new destination caller", allow_empty_as_zero=True)


def replace_deposit_for_burn(
    keeper: CctpKeeper, ctx: Context, msg: tx.MsgReplaceDepositForBurn
) -> tx.MsgReplaceDepositForBurnResponse:
    outbound.replace_deposit_for_burn(
        keeper,
        ctx,
        msg.signer,
        msg.original_message,
        msg.original_attestation,
        require_bytes32(msg.new_destination_caller, "new destination caller", True),
        msg.new_mint_recipient,
    )
    return tx.MsgReplaceDepositForBurnResponse()


def routes(keeper: CctpKeeper) -> list[MsgRoute]:
    return [
        route(
            tx.MsgReplaceDepositForBurn,
            validate,
            lambda ctx, m: replace_deposit_for_burn(keeper, ctx, m),
        ),
    ]
