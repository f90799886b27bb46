"""MsgUpdateOwner: the owner names a new owner (step one of two).

MsgUpdateOwner{signer, new_owner}
signer    the owner
validate  addresses canonical                                   -> sdk InvalidAddress
guard     signer is the owner                                   -> NotOwner
change    pending owner := new_owner (replacing any pending one)
emit      OwnershipTransferStarted{previous_owner, new_owner}
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.cctp.errors import NotOwner
from stateset_chain.cctp.msgs.common import require_address, require_role, validate_signer
from stateset_chain.cctp.state import CctpKeeper
from stateset_chain.context import Context

from stateset.cctp.v1 import events_pb2 as events
from stateset.cctp.v1 import tx_pb2 as tx

MSG = tx.MsgUpdateOwner


def signers(msg: tx.MsgUpdateOwner) -> list[str]:
    return [msg.signer]


def validate(msg: tx.MsgUpdateOwner) -> None:
    validate_signer(msg)
    require_address(msg.new_owner, "new owner")


def handle(
    keeper: CctpKeeper, ctx: Context, msg: tx.MsgUpdateOwner
) -> tx.MsgUpdateOwnerResponse:
    owner = keeper.owner(ctx.store)
    require_role(owner, msg.signer, NotOwner)
    keeper.set_pending_owner(ctx.store, msg.new_owner)
    ctx.events.emit(events.OwnershipTransferStarted(previous_owner=owner, new_owner=msg.new_owner))
    return tx.MsgUpdateOwnerResponse()
