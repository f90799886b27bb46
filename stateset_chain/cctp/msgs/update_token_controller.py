"""MsgUpdateTokenController: the owner names the token controller.

MsgUpdateTokenController{signer, new_token_controller}
signer    the owner
validate  addresses canonical                                    -> sdk InvalidAddress
guard     signer is the owner                                   -> NotOwner
change    token controller := new_token_controller
emit      TokenControllerUpdated{previous_token_controller, new_token_controller}
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.cctp.errors import NotOwner
from stateset_chain.cctp.msgs.common import require_address, require_role, validate_signer
from stateset_chain.cctp.state import CctpKeeper
from stateset_chain.context import Context

from stateset.cctp.v1 import events_pb2 as events
from stateset.cctp.v1 import tx_pb2 as tx

MSG = tx.MsgUpdateTokenController


def signers(msg: tx.MsgUpdateTokenController) -> list[str]:
    return [msg.signer]


def validate(msg: tx.MsgUpdateTokenController) -> None:
    validate_signer(msg)
    require_address(msg.new_token_controller, "new token controller")


def handle(
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
