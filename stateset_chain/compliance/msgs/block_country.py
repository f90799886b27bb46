"""MsgBlockCountry: no order may ship to the country.

signer    signer: params.compliance_authority
validate  signer canonical                                          -> sdk InvalidAddress
          country two upper-case letters                            -> InvalidCountry
          reason 1..256 bytes                                       -> MissingReason
guard     the signer is the compliance authority                    -> NotAuthorized
          the country is not already blocked                        -> AlreadyBlocked
change    BlockedCountry{country, reason}
emit      CountryBlocked{signer, entry}
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.compliance.errors import AlreadyBlocked
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
from stateset.compliance.v1.compliance_pb2 import BlockedCountry

MSG = tx.MsgBlockCountry


def signers(msg) -> list[str]:
    return [msg.signer]


def validate(msg: tx.MsgBlockCountry) -> None:
    require_address(msg.signer, "signer")
    require_country(msg.country)
    require_reason(msg.reason)


def handle(keeper: ComplianceKeeper, ctx: Context, msg: tx.MsgBlockCountry):
    require_compliance_authority(keeper, ctx.store, msg.signer)
    if keeper.blocked_countries.has(ctx.store, msg.country):
        raise AlreadyBlocked(f"country {msg.country}")
    entry = BlockedCountry(country=msg.country, reason=msg.reason)
    keeper.blocked_countries.set(ctx.store, msg.country, entry)
    ctx.events.emit(events.CountryBlocked(signer=msg.signer, entry=entry))
    return tx.MsgBlockCountryResponse()
