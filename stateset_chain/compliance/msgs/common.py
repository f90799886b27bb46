"""Checks shared by the compliance messages."""

from __future__ import annotations

import re

from stateset_chain.compliance.errors import (
    FieldTooLong,
    InvalidCategory,
    InvalidCountry,
    MissingReason,
    NotAuthorized,
)
from stateset_chain.compliance.state import ComplianceKeeper
from stateset_chain.crypto.address import require_address
from stateset_chain.store.kv import KVStore

__all__ = ["require_address", "require_reason", "require_country", "require_region",
           "require_category", "require_list_source", "require_compliance_authority"]

MAX_REASON_BYTES = 256
MAX_LIST_SOURCE_BYTES = 128
COUNTRY = re.compile(r"[A-Z]{2}")
REGION = re.compile(r"[A-Z0-9-]{0,16}")
CATEGORY = re.compile(r"[a-z0-9_.-]{1,64}")


def require_reason(reason: str) -> None:
    if not 1 <= len(reason.encode()) <= MAX_REASON_BYTES:
        raise MissingReason(f"reason is {len(reason.encode())} bytes")


def require_list_source(source: str) -> None:
    if len(source.encode()) > MAX_LIST_SOURCE_BYTES:
        raise FieldTooLong(f"list_source is over {MAX_LIST_SOURCE_BYTES} bytes")


def require_country(country: str) -> None:
    if not COUNTRY.fullmatch(country):
        raise InvalidCountry(f"country {country!r} is not two upper-case letters")


def require_region(region: str) -> None:
    if not REGION.fullmatch(region):
        raise InvalidCountry(f"region {region!r} is not [A-Z0-9-]{{0,16}}")


def require_category(category: str) -> None:
    if not CATEGORY.fullmatch(category):
        raise InvalidCategory(f"category {category!r} is not [a-z0-9_.-]{{1,64}}")


def require_compliance_authority(keeper: ComplianceKeeper, store: KVStore, signer: str) -> None:
    expected = keeper.params(store).compliance_authority
    if signer != expected:
        raise NotAuthorized(f"{signer} is not the compliance authority {expected}")
