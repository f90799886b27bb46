"""MsgUnpauseBurningAndMinting: the pauser resumes burns and mints.

Pause messages (signer: the pauser). Pausing a paused flag (or unpausing an unpaused one) is
allowed and re-emits the event, as in Noble.

MsgUnpauseBurningAndMinting{signer}
signer    the pauser
validate  signer canonical                                       -> sdk InvalidAddress
guard     signer is the pauser                                  -> NotPauser
change    burning-and-minting paused := false
emit      BurningAndMintingUnpausedEvent
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.cctp.errors import NotPauser
from stateset_chain.cctp.msgs.common import require_role, validate_signer
from stateset_chain.cctp.state import CctpKeeper
from stateset_chain.context import Context

from stateset.cctp.v1 import events_pb2 as events
from stateset.cctp.v1 import tx_pb2 as tx

MSG = tx.MsgUnpauseBurningAndMinting


def signers(msg: tx.MsgUnpauseBurningAndMinting) -> list[str]:
    return [msg.signer]


def validate(msg: tx.MsgUnpauseBurningAndMinting) -> None:
    validate_signer(msg)


def handle(
    keeper: CctpKeeper, ctx: Context, msg: tx.MsgUnpauseBurningAndMinting
) -> tx.MsgUnpauseBurningAndMintingResponse:
    require_role(keeper.pauser(ctx.store), msg.signer, NotPauser)
    keeper.set_burning_and_minting_paused(ctx.store, False)
    ctx.events.emit(events.BurningAndMintingUnpausedEvent())
    return tx.MsgUnpauseBurningAndMintingResponse()
