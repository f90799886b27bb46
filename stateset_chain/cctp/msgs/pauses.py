"""Pause messages (signer: the pauser). Pausing a paused flag (or unpausing an unpaused one) is
allowed and re-emits the event, as in Noble.

MsgPauseBurningAndMinting / MsgUnpauseBurningAndMinting{signer}
    guard     signer is the pauser                                  -> NotPauser
    change    burning-and-minting paused := true / false
    emit      BurningAndMintingPausedEvent / BurningAndMintingUnpausedEvent
    effect    deposits, their replacements and mints refuse         -> BurningAndMintingPaused

MsgPauseSendingAndReceivingMessages / MsgUnpauseSendingAndReceivingMessages{signer}
    guard     signer is the pauser                                  -> NotPauser
    change    sending-and-receiving paused := true / false
    emit      SendingAndReceivingPausedEvent / SendingAndReceivingUnpausedEvent
    effect    every message out (burns included) and in refuses     -> MessagesPaused
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.cctp.errors import NotPauser
from stateset_chain.cctp.msgs.common import require_role, route, validate_signer
from stateset_chain.cctp.state import CctpKeeper
from stateset_chain.context import Context
from stateset_chain.module import MsgRoute

from stateset.cctp.v1 import events_pb2 as events
from stateset.cctp.v1 import tx_pb2 as tx


def pause_burning_and_minting(
    keeper: CctpKeeper, ctx: Context, msg: tx.MsgPauseBurningAndMinting
) -> tx.MsgPauseBurningAndMintingResponse:
    require_role(keeper.pauser(ctx.store), msg.signer, NotPauser)
    keeper.set_burning_and_minting_paused(ctx.store, True)
    ctx.events.emit(events.BurningAndMintingPausedEvent())
    return tx.MsgPauseBurningAndMintingResponse()


def unpause_burning_and_minting(
    keeper: CctpKeeper, ctx: Context, msg: tx.MsgUnpauseBurningAndMinting
) -> tx.MsgUnpauseBurningAndMintingResponse:
    require_role(keeper.pauser(ctx.store), msg.signer, NotPauser)
    keeper.set_burning_and_minting_paused(ctx.store, False)
    ctx.events.emit(events.BurningAndMintingUnpausedEvent())
    return tx.MsgUnpauseBurningAndMintingResponse()


def pause_sending_and_receiving(
    keeper: CctpKeeper, ctx: Context, msg: tx.MsgPauseSendingAndReceivingMessages
) -> tx.MsgPauseSendingAndReceivingMessagesResponse:
    require_role(keeper.pauser(ctx.store), msg.signer, NotPauser)
    keeper.set_sending_and_receiving_paused(ctx.store, True)
    ctx.events.emit(events.SendingAndReceivingPausedEvent())
    return tx.MsgPauseSendingAndReceivingMessagesResponse()


def unpause_sending_and_receiving(
    keeper: CctpKeeper, ctx: Context, msg: tx.MsgUnpauseSendingAndReceivingMessages
) -> tx.MsgUnpauseSendingAndReceivingMessagesResponse:
    require_role(keeper.pauser(ctx.store), msg.signer, NotPauser)
    keeper.set_sending_and_receiving_paused(ctx.store, False)
    ctx.events.emit(events.SendingAndReceivingUnpausedEvent())
    return tx.MsgUnpauseSendingAndReceivingMessagesResponse()


def routes(keeper: CctpKeeper) -> list[MsgRoute]:
    return [
        route(
            tx.MsgPauseBurningAndMinting,
            validate_signer,
            lambda c, m: pause_burning_and_minting(keeper, c, m),
        ),
        route(
            tx.MsgUnpauseBurningAndMinting,
            validate_signer,
            lambda c, m: unpause_burning_and_minting(keeper, c, m),
        ),
        route(
            tx.MsgPauseSendingAndReceivingMessages,
            validate_signer,
            lambda c, m: pause_sending_and_receiving(keeper, c, m),
        ),
        route(
            tx.MsgUnpauseSendingAndReceivingMessages,
            validate_signer,
            lambda c, m: unpause_sending_and_receiving(keeper, c, m),
        ),
    ]
