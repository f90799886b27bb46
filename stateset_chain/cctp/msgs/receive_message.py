"""MsgReceiveMessage{signer, message, attestation}: deliver a message Circle attested.

signer    any relayer (the destination caller, when the message names one)
validate  signer is a canonical address                              -> sdk InvalidAddress
then      ``inbound.receive_message``: pause, attestation, format, domain, caller, version,
          nonce, and for a burn message to this module the mint (every check listed there)
emit      MintAndWithdraw (burns only), MessageReceived
response  success = true
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.cctp import inbound
from stateset_chain.cctp.msgs.common import route, validate_signer
from stateset_chain.cctp.state import CctpKeeper
from stateset_chain.context import Context
from stateset_chain.module import MsgRoute

from stateset.cctp.v1 import tx_pb2 as tx


def validate(msg: tx.MsgReceiveMessage) -> None:
    validate_signer(msg)


def receive_message(
    keeper: CctpKeeper, ctx: Context, msg: tx.MsgReceiveMessage
) -> tx.MsgReceiveMessageResponse:
    inbound.receive_message(keeper, ctx, msg.signer, msg.message, msg.attestation)
    return tx.MsgReceiveMessageResponse(success=True)


def routes(keeper: CctpKeeper) -> list[MsgRoute]:
    return [
        route(tx.MsgReceiveMessage, validate, lambda ctx, m: receive_message(keeper, ctx, m)),
    ]
