"""MsgRestrictCategory: items of a category may not ship to a country (or one of its regions).

signer    signer: params.compliance_authority
validate  signer canonical                                          -> sdk InvalidAddress
          country two upper-case letters, region [A-Z0-9-]{0,16}    -> InvalidCountry
          category [a-z0-9_.-]{1,64}                                -> InvalidCategory
          reason 1..256 bytes                                       -> MissingReason
guard     the signer is the compliance authority                    -> NotAuthorized
          the entry does not exist yet                              -> AlreadyBlocked
change    RestrictedCategory{country, region, category, reason}
emit      CategoryRestricted{signer, entry}

Region "" restricts the category in the whole country; a region restricts it there only.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.compliance.errors import AlreadyBlocked
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
from stateset.compliance.v1.compliance_pb2 import RestrictedCategory

MSG = tx.MsgRestrictCategory


def signers(msg) -> list[str]:
    return [msg.signer]


def validate(msg: tx.MsgRestrictCategory) -> None:
    require_address(msg.signer, "signer")
    require_country(msg.country)
    require_region(msg.region)
    require_category(msg.category)
    require_reason(msg.reason)


def handle(keeper: ComplianceKeeper, ctx: Context, msg: tx.MsgRestrictCategory):
    require_compliance_authority(keeper, ctx.store, msg.signer)
    key = (msg.country, msg.region, msg.category)
    if keeper.restricted_categories.has(ctx.store, key):
        raise AlreadyBlocked(f"category {msg.category} in {msg.country}/{msg.region}")
    entry = RestrictedCategory(
        country=msg.country, region=msg.region, category=msg.category, reason=msg.reason
    )
    keeper.restricted_categories.set(ctx.store, key, entry)
    ctx.events.emit(events.CategoryRestricted(signer=msg.signer, entry=entry))
    return tx.MsgRestrictCategoryResponse()
