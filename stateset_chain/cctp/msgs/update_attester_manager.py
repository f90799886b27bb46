"""MsgUpdateAttesterManager: the owner names the attester manager.

MsgUpdateAttesterManager{signer, new_attester_manager}
signer    the owner
validate  addresses canonical                                    -> sdk InvalidAddress
guard     signer is the owner                                   -> NotOwner
change    attester manager := new_attester_manager
emit      AttesterManagerUpdated{previous_attester_manager, new_attester_manager}
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.cctp.errors import NotOwner
from stateset_chain.cctp.msgs.common import require_address, require_role, validate_signer
from stateset_chain.cctp.state import CctpKeeper
from stateset_chain.context import Context

from stateset.cctp.v1 import events_pb2 as events
from stateset.cctp.v1 import tx_pb2 as tx

MSG = tx.MsgUpdateAttesterManager


def signers(msg: tx.MsgUpdateAttesterManager) -> list[str]:
    return [msg.signer]


def validate(msg: tx.MsgUpdateAttesterManager) -> None:
    validate_signer(msg)
    require_address(msg.new_attester_manager, "new attester manager")


def handle(
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
