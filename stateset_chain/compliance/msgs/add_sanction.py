"""MsgAddSanction: put an address on the sanctions list.

signer    signer: params.compliance_authority
validate  signer and address are canonical addresses                -> sdk InvalidAddress
          reason 1..256 bytes                                       -> MissingReason
          list_source <= 128 bytes                                  -> FieldTooLong
guard     the signer is the compliance authority                    -> NotAuthorized
          the address is not already sanctioned                     -> AlreadySanctioned
change    Sanction{address, reason, list_source, added_height, added_at}; the address queued
          for the end block's freeze of its open orders (freezing.py)
emit      SanctionAdded{signer, sanction}

From the next check on, the address can take part in no order, payment, settlement, refund,
send or CCTP mint/burn; orders already holding escrow it takes part in are frozen (HELD with reason
``compliance``) at the end of this block, at most ``freeze_drain_limit`` orders per block, the
rest in the blocks after.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.compliance import freezing
from stateset_chain.compliance.errors import AlreadySanctioned
from stateset_chain.compliance.msgs.common import (
    require_address,
    require_compliance_authority,
    require_list_source,
    require_reason,
)
from stateset_chain.compliance.state import ComplianceKeeper
from stateset_chain.context import Context
from stateset_chain.timefmt import timestamp

from stateset.compliance.v1 import events_pb2 as events
from stateset.compliance.v1 import tx_pb2 as tx
from stateset.compliance.v1.compliance_pb2 import Sanction

MSG = tx.MsgAddSanction


def signers(msg) -> list[str]:
    return [msg.signer]


def validate(msg: tx.MsgAddSanction) -> None:
    require_address(msg.signer, "signer")
    require_address(msg.address, "address")
    require_reason(msg.reason)
    require_list_source(msg.list_source)


def handle(keeper: ComplianceKeeper, ctx: Context, msg: tx.MsgAddSanction):
    require_compliance_authority(keeper, ctx.store, msg.signer)
    if keeper.is_sanctioned(ctx.store, msg.address):
        raise AlreadySanctioned(msg.address)
    entry = Sanction(
        address=msg.address, reason=msg.reason, list_source=msg.list_source,
        added_height=ctx.block.height, added_at=timestamp(ctx.block.time_ns),
    )
    keeper.sanctions.set(ctx.store, msg.address, entry)
    freezing.enqueue(keeper, ctx, msg.address)
    ctx.events.emit(events.SanctionAdded(signer=msg.signer, sanction=entry))
    return tx.MsgAddSanctionResponse()
