"""MsgRemoveSanction: take an address off the sanctions list.

signer    signer: params.compliance_authority
validate  signer and address are canonical addresses                -> sdk InvalidAddress
          reason 1..256 bytes                                       -> MissingReason
guard     the signer is the compliance authority                    -> NotAuthorized
          the address is sanctioned                                 -> NotSanctioned
change    the Sanction entry deleted; its freeze queue entry, if the end block had not finished
          it (nothing of the party's is left to freeze)
emit      SanctionRemoved{signer, address, reason, list_source}
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.compliance import freezing
from stateset_chain.compliance.errors import NotSanctioned
from stateset_chain.compliance.msgs.common import (
    require_address,
    require_compliance_authority,
    require_reason,
)
from stateset_chain.compliance.state import ComplianceKeeper
from stateset_chain.context import Context

from stateset.compliance.v1 import events_pb2 as events
from stateset.compliance.v1 import tx_pb2 as tx

MSG = tx.MsgRemoveSanction


def signers(msg) -> list[str]:
    return [msg.signer]


def validate(msg: tx.MsgRemoveSanction) -> None:
    require_address(msg.signer, "signer")
    require_address(msg.address, "address")
    require_reason(msg.reason)


def handle(keeper: ComplianceKeeper, ctx: Context, msg: tx.MsgRemoveSanction):
    require_compliance_authority(keeper, ctx.store, msg.signer)
    entry = keeper.sanction(ctx.store, msg.address)
    if entry is None:
        raise NotSanctioned(msg.address)
    keeper.sanctions.delete(ctx.store, msg.address)
    freezing.dequeue(keeper, ctx, msg.address)
    ctx.events.emit(events.SanctionRemoved(
        signer=msg.signer, address=msg.address, reason=msg.reason, list_source=entry.list_source
    ))
    return tx.MsgRemoveSanctionResponse()
