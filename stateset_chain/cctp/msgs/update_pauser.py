"""MsgUpdatePauser: the owner names the pauser.

MsgUpdatePauser{signer, new_pauser}
signer    the owner
validate  addresses canonical                                    -> sdk InvalidAddress
guard     signer is the owner                                   -> NotOwner
change    pauser := new_pauser
emit      PauserUpdated{previous_pauser, new_pauser}
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.cctp.errors import NotOwner
from stateset_chain.cctp.msgs.common import require_address, require_role, validate_signer
from stateset_chain.cctp.state import CctpKeeper
from stateset_chain.context import Context

from stateset.cctp.v1 import events_pb2 as events
from stateset.cctp.v1 import tx_pb2 as tx

MSG = tx.MsgUpdatePauser


def signers(msg: tx.MsgUpdatePauser) -> list[str]:
    return [msg.signer]


def validate(msg: tx.MsgUpdatePauser) -> None:
    validate_signer(msg)
    require_address(msg.new_pauser, "new pauser")


def handle(
    keeper: CctpKeeper, ctx: Context, msg: tx.MsgUpdatePauser
) -> tx.MsgUpdatePauserResponse:
    require_role(keeper.owner(ctx.store), msg.signer, NotOwner)
    previous = keeper.pauser(ctx.store)
    keeper.set_pauser(ctx.store, msg.new_pauser)
    ctx.events.emit(events.PauserUpdated(previous_pauser=previous, new_pauser=msg.new_pauser))
    return tx.MsgUpdatePauserResponse()
