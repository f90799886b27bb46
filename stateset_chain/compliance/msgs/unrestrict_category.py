"""MsgUnrestrictCategory: lift a category restriction.

signer    signer: params.compliance_authority
validate  as MsgRestrictCategory
guard     the signer is the compliance authority                    -> NotAuthorized
          the entry exists                                          -> NotBlocked
change    the RestrictedCategory entry deleted
emit      CategoryUnrestricted{signer, country, region, category, reason}
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.compliance.errors import NotBlocked
from stateset_chain.compliance.msgs.common import (
    require_address,
    require_category,
    require_compliance_authority,
    require_country,
    require_reason,
    require_region,
)
from stateset_chain.compliance.state import ComplianceKeeper
from stateset_chain.context import Context

from stateset.compliance.v1 import events_pb2 as events
from stateset.compliance.v1 import tx_pb2 as tx

MSG = tx.MsgUnrestrictCategory


def signers(msg) -> list[str]:
    return [msg.signer]


def validate(msg: tx.MsgUnrestrictCategory) -> None:
    require_address(msg.signer, "signer")
    require_country(msg.country)
    require_region(msg.region)
    require_category(msg.category)
    require_reason(msg.reason)


def handle(keeper: ComplianceKeeper, ctx: Context, msg: tx.MsgUnrestrictCategory):
    require_compliance_authority(keeper, ctx.store, msg.signer)
    key = (msg.country, msg.region, msg.category)
    if not keeper.restricted_categories.has(ctx.store, key):
        raise NotBlocked(f"category {msg.category} in {msg.country}/{msg.region}")
    keeper.restricted_categories.delete(ctx.store, key)
    ctx.events.emit(events.CategoryUnrestricted(
        signer=msg.signer, country=msg.country, region=msg.region, category=msg.category,
        reason=msg.reason,
    ))
    return tx.MsgUnrestrictCategoryResponse()
