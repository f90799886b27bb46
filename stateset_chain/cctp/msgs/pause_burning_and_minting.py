"""MsgPauseBurningAndMinting: the pauser stops burns and mints.

Pause messages (signer: the pauser). Pausing a paused flag (or unpausing an unpaused one) is
allowed and re-emits the event, as in Noble.

MsgPauseBurningAndMinting{signer}
signer    the pauser
validate  signer canonical                                       -> sdk InvalidAddress
guard     signer is the pauser                                  -> NotPauser
change    burning-and-minting paused := true
emit      BurningAndMintingPausedEvent
effect    deposits, their replacements and mints refuse         -> BurningAndMintingPaused
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.cctp.errors import NotPauser
from stateset_chain.cctp.msgs.common import require_role, validate_signer
from stateset_chain.cctp.state import CctpKeeper
from stateset_chain.context import Context

from stateset.cctp.v1 import events_pb2 as events
from stateset.cctp.v1 import tx_pb2 as tx

MSG = tx.MsgPauseBurningAndMinting


def signers(msg: tx.MsgPauseBurningAndMinting) -> list[str]:
    return [msg.signer]


def validate(msg: tx.MsgPauseBurningAndMinting) -> None:
    validate_signer(msg)


def handle(
    keeper: CctpKeeper, ctx: Context, msg: tx.MsgPauseBurningAndMinting
) -> tx.MsgPauseBurningAndMintingResponse:
    require_role(keeper.pauser(ctx.store), msg.signer, NotPauser)
    keeper.set_burning_and_minting_paused(ctx.store, True)
    ctx.events.emit(events.BurningAndMintingPausedEvent())
    return tx.MsgPauseBurningAndMintingResponse()
