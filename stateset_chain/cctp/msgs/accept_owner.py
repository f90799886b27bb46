"""MsgAcceptOwner: the pending owner takes ownership (step two of two).

MsgAcceptOwner{signer}
signer    the pending owner
guard     a transfer is pending                                 -> NoPendingOwner
          signer is the pending owner                           -> NotPendingOwner
change    owner := signer; no pending owner
emit      OwnerUpdated{previous_owner, new_owner}
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.cctp.errors import NoPendingOwner, NotPendingOwner
from stateset_chain.cctp.msgs.common import require_role, validate_signer
from stateset_chain.cctp.state import CctpKeeper
from stateset_chain.context import Context

from stateset.cctp.v1 import events_pb2 as events
from stateset.cctp.v1 import tx_pb2 as tx

MSG = tx.MsgAcceptOwner


def signers(msg: tx.MsgAcceptOwner) -> list[str]:
    return [msg.signer]


def validate(msg: tx.MsgAcceptOwner) -> None:
    validate_signer(msg)


def handle(
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
