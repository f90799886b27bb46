"""MsgPauseSendingAndReceivingMessages: the pauser stops messages in and out.

Pause messages (signer: the pauser). Pausing a paused flag (or unpausing an unpaused one) is
allowed and re-emits the event, as in Noble.

MsgPauseSendingAndReceivingMessages{signer}
signer    the pauser
validate  signer canonical                                       -> sdk InvalidAddress
guard     signer is the pauser                                  -> NotPauser
change    sending-and-receiving paused := true
emit      SendingAndReceivingPausedEvent
effect    every message out (burns included) and in refuses     -> MessagesPaused
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.cctp.errors import NotPauser
from stateset_chain.cctp.msgs.common import require_role, validate_signer
from stateset_chain.cctp.state import CctpKeeper
from stateset_chain.context import Context

from stateset.cctp.v1 import events_pb2 as events
from stateset.cctp.v1 import tx_pb2 as tx

MSG = tx.MsgPauseSendingAndReceivingMessages


def signers(msg: tx.MsgPauseSendingAndReceivingMessages) -> list[str]:
    return [msg.signer]


def validate(msg: tx.MsgPauseSendingAndReceivingMessages) -> None:
    validate_signer(msg)


def handle(
    keeper: CctpKeeper, ctx: Context, msg: tx.MsgPauseSendingAndReceivingMessages
) -> tx.MsgPauseSendingAndReceivingMessagesResponse:
    require_role(keeper.pauser(ctx.store), msg.signer, NotPauser)
    keeper.set_sending_and_receiving_paused(ctx.store, True)
    ctx.events.emit(events.SendingAndReceivingPausedEvent())
    return tx.MsgPauseSendingAndReceivingMessagesResponse()
