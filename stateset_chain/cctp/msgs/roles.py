"""Role messages: two-step ownership, and the owner naming the other three roles.

MsgUpdateOwner{signer, new_owner}                  signer: owner
    validate  addresses canonical                                   -> sdk InvalidAddress
    guard     signer is the owner                                   -> NotOwner
    change    pending owner := new_owner (replacing any pending one)
    emit      OwnershipTransferStarted{previous_owner, new_owner}

MsgAcceptOwner{signer}                             signer: the pending owner
    guard     a transfer is pending                                 -> NoPendingOwner
              signer is the pending owner                           -> NotPendingOwner
    change    owner := signer; no pending owner
    emit      OwnerUpdated{previous_owner, new_owner}

MsgUpdateAttesterManager / MsgUpdateTokenController / MsgUpdatePauser{signer, new_*}
    guard     signer is the owner                                   -> NotOwner
    change    the role := new_*
    emit      AttesterManagerUpdated / TokenControllerUpdated / PauserUpdated{previous_*, new_*}
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.cctp.errors import NoPendingOwner, NotOwner, NotPendingOwner
from stateset_chain.cctp.msgs.common import require_address, require_role, route, validate_signer
from stateset_chain.cctp.state import CctpKeeper
from stateset_chain.context import Context
from stateset_chain.module import MsgRoute

from stateset.cctp.v1 import events_pb2 as events
from stateset.cctp.v1 import tx_pb2 as tx


def validate_update_owner(msg: tx.MsgUpdateOwner) -> None:
    validate_signer(msg)
    require_address(msg.new_owner, "new owner")


def update_owner(
    keeper: CctpKeeper, ctx: Context, msg: tx.MsgUpdateOwner
) -> tx.MsgUpdateOwnerResponse:
    owner = keeper.owner(ctx.store)
    require_role(owner, msg.signer, NotOwner)
    keeper.set_pending_owner(ctx.store, msg.new_owner)
    ctx.events.emit(events.OwnershipTransferStarted(previous_owner=owner, new_owner=msg.new_owner))
    return tx.MsgUpdateOwnerResponse()


def accept_owner(
    keeper: CctpKeeper, ctx: Context, msg: tx.MsgAcceptOwner
) -> tx.MsgAcceptOwnerResponse:
    previous = keeper.owner(ctx.store)
    pending = keeper.pending_owner(ctx.store)
    if not pending:
        raise NoPendingOwner()
    require_role(pending, msg.signer, NotPendingOwner)
    keeper.set_owner(ctx.store, pending)
    keeper.clear_pending_owner(ctx.store)
    ctx.events.emit(events.OwnerUpdated(previous_owner=previous, new_owner=pending))
    return tx.MsgAcceptOwnerResponse()


def validate_update_attester_manager(msg: tx.MsgUpdateAttesterManager) -> None:
    validate_signer(msg)
    require_address(msg.new_attester_manager, "new attester manager")


def update_attester_manager(
    keeper: CctpKeeper, ctx: Context, msg: tx.MsgUpdateAttesterManager
) -> tx.MsgUpdateAttesterManagerResponse:
    require_role(keeper.owner(ctx.store), msg.signer, NotOwner)
    previous = keeper.attester_manager(ctx.store)
    keeper.set_attester_manager(ctx.store, msg.new_attester_manager)
    ctx.events.emit(
        events.AttesterManagerUpdated(
            previous_attester_manager=previous, new_attester_manager=msg.new_attester_manager
        )
    )
    return tx.MsgUpdateAttesterManagerResponse()


def validate_update_token_controller(msg: tx.MsgUpdateTokenController) -> None:
    validate_signer(msg)
    require_address(msg.new_token_controller, "new token controller")


def update_token_controller(
    keeper: CctpKeeper, ctx: Context, msg: tx.MsgUpdateTokenController
) -> tx.MsgUpdateTokenControllerResponse:
    require_role(keeper.owner(ctx.store), msg.signer, NotOwner)
    previous = keeper.token_controller(ctx.store)
    keeper.set_token_controller(ctx.store, msg.new_token_controller)
    ctx.events.emit(
        events.TokenControllerUpdated(
            previous_token_controller=previous, new_token_controller=msg.new_token_controller
        )
    )
    return tx.MsgUpdateTokenControllerResponse()


def validate_update_pauser(msg: tx.MsgUpdatePauser) -> None:
    validate_signer(msg)
    require_address(msg.new_pauser, "new pauser")


def update_pauser(
    keeper: CctpKeeper, ctx: Context, msg: tx.MsgUpdatePauser
) -> tx.MsgUpdatePauserResponse:
    require_role(keeper.owner(ctx.store), msg.signer, NotOwner)
    previous = keeper.pauser(ctx.store)
    keeper.set_pauser(ctx.store, msg.new_pauser)
    ctx.events.emit(events.PauserUpdated(previous_pauser=previous, new_pauser=msg.new_pauser))
    return tx.MsgUpdatePauserResponse()


def routes(keeper: CctpKeeper) -> list[MsgRoute]:
    return [
        route(tx.MsgUpdateOwner, validate_update_owner, lambda c, m: update_owner(keeper, c, m)),
        route(tx.MsgAcceptOwner, validate_signer, lambda c, m: accept_owner(keeper, c, m)),
        route(
            tx.MsgUpdateAttesterManager,
            validate_update_attester_manager,
            lambda c, m: update_attester_manager(keeper, c, m),
        ),
        route(
            tx.MsgUpdateTokenController,
            validate_update_token_controller,
            lambda c, m: update_token_controller(keeper, c, m),
        ),
        route(tx.MsgUpdatePauser, validate_update_pauser, lambda c, m: update_pauser(keeper, c, m)),
    ]
