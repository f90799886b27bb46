"""MsgUnblockCountry: orders may ship to the country again.

signer    signer: params.compliance_authority
validate  signer canonical                                          -> sdk InvalidAddress
          country two upper-case letters                            -> InvalidCountry
          reason 1..256 bytes                                       -> MissingReason
guard     the signer is the compliance authority                    -> NotAuthorized
          the country is blocked                                    -> NotBlocked
change    the BlockedCountry entry deleted
emit      CountryUnblocked{signer, country, reason}
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.compliance.errors import NotBlocked
from stateset_chain.compliance.msgs.common import (
    require_address,
    require_compliance_authority,
    require_country,
    require_reason,
)
from stateset_chain.compliance.state import ComplianceKeeper
from stateset_chain.context import Context

from stateset.compliance.v1 import events_pb2 as events
from stateset.compliance.v1 import tx_pb2 as tx

MSG = tx.MsgUnblockCountry


def signers(msg) -> list[str]:
    return [msg.signer]


def validate(msg: tx.MsgUnblockCountry) -> None:
    require_address(msg.signer, "signer")
    require_country(msg.country)
    require_reason(msg.reason)


def handle(keeper: ComplianceKeeper, ctx: Context, msg: tx.MsgUnblockCountry):
    require_compliance_authority(keeper, ctx.store, msg.signer)
    if not keeper.blocked_countries.has(ctx.store, msg.country):
        raise NotBlocked(f"country {msg.country}")
    keeper.blocked_countries.delete(ctx.store, msg.country)
    ctx.events.emit(
        events.CountryUnblocked(signer=msg.signer, country=msg.country, reason=msg.reason)
    )
    return tx.MsgUnblockCountryResponse()
