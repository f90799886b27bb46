"""The compliance module's typed events (proto/stateset/compliance/v1/events.proto).

    MsgUpdateParams        -> ParamsUpdated{authority, params}
    MsgAddSanction         -> SanctionAdded{signer, sanction}
    MsgRemoveSanction      -> SanctionRemoved{signer, address, reason, list_source}
    MsgBlockCountry        -> CountryBlocked{signer, entry}
    MsgUnblockCountry      -> CountryUnblocked{signer, country, reason}
    MsgRestrictCategory    -> CategoryRestricted{signer, entry}
    MsgUnrestrictCategory  -> CategoryUnrestricted{signer, country, region, category, reason}
    MsgSetAccountLimit     -> AccountLimitSet{signer, limit} / AccountLimitRemoved{...}
    orders create and pay  -> FraudAssessed{order_id, customer, assessment}
    orders settlement      -> OrderFrozen{order_id, decision} (a due order failed screening)
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401

from stateset.compliance.v1.events_pb2 import (
    AccountLimitRemoved,
    AccountLimitSet,
    CategoryRestricted,
    CategoryUnrestricted,
    CountryBlocked,
    CountryUnblocked,
    FraudAssessed,
    OrderFrozen,
    ParamsUpdated,
    SanctionAdded,
    SanctionRemoved,
)

ALL = (
    ParamsUpdated,
    SanctionAdded,
    SanctionRemoved,
    CountryBlocked,
    CountryUnblocked,
    CategoryRestricted,
    CategoryUnrestricted,
    AccountLimitSet,
    AccountLimitRemoved,
    FraudAssessed,
    OrderFrozen,
)
