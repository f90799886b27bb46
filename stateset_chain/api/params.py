"""Parsing of query parameters into exact values, each failure a ``parameter_invalid`` naming it.

Amounts are decimal strings in currency units with at most 6 decimals (the chain's base unit):
``"10"``, ``"1096.47"``; they become integer base units, so every comparison is exact. Times are
ISO 8601 as the chain reads it (``timefmt.parse_iso8601``: ``2026-12-01`` is midnight UTC, a
date-time names its zone, ``2026-12-01T10:00:00Z``, ``2026-12-01T11:00:00+01:00``) or integer
Unix seconds, in the same years, 0001 to 9999; days are ``YYYY-MM-DD``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TypeVar

from stateset_chain.api import errors
from stateset_chain.coins import parse_units
from stateset_chain.timefmt import (
    MAX_SECONDS,
    NS,
    ns_datetime,
    parse_iso8601,
    parse_iso8601_date,
)

C = TypeVar("C", str, int)  # a cursor: an object id, or a delivery's number

MAX_LIMIT = 100
DEFAULT_LIMIT = 10

ORDER_STATUSES = (
    "CREATED", "PAID", "FULFILLED", "SHIPPED", "DELIVERED", "HELD", "CANCELLED", "RETURNED",
    "REFUNDED", "DISPUTED", "RESOLVED",
)


def amount(value: str | None, param: str) -> int | None:
    """A decimal amount in currency units -> base units (6 decimals)."""
    if value is None:
        return None
    try:
        return parse_units(value, ValueError, max_whole_digits=20)
    except ValueError:
        raise errors.ParameterInvalid(
            f"{param} must be a decimal amount with at most 6 decimals, like 1096.47", param=param
        ) from None


def timestamp(value: str | None, param: str) -> datetime | None:
    if value is None:
        return None
    try:
        if value.isdigit():
            seconds = int(value)
            if seconds > MAX_SECONDS:
                raise ValueError(value)
            return ns_datetime(seconds * NS)
        return ns_datetime(parse_iso8601(value, param))
    except ValueError:
        raise errors.ParameterInvalid(
            f"{param} must be an ISO 8601 time or Unix seconds", param=param
        ) from None


def day(value: str | None, param: str) -> date | None:
    if value is None:
        return None
    try:
        return date(*parse_iso8601_date(value, param))
    except ValueError:
        raise errors.ParameterInvalid(f"{param} must be a date, YYYY-MM-DD", param=param) from None


def statuses(value: str | None) -> list[str] | None:
    """``PAID`` or ``paid,shipped`` -> ["PAID", "SHIPPED"] (the short names)."""
    if value is None:
        return None
    names = [s.strip().upper() for s in value.split(",") if s.strip()]
    for name in names:
        if name not in ORDER_STATUSES:
            raise errors.ParameterInvalid(
                f"unknown status {name!r}; one of {', '.join(ORDER_STATUSES)}", param="status"
            )
    if not names:
        raise errors.ParameterInvalid("status is empty", param="status")
    return names


def limit(value: int | None) -> int:
    if value is None:
        return DEFAULT_LIMIT
    if not 1 <= value <= MAX_LIMIT:
        raise errors.ParameterInvalid(f"limit must be between 1 and {MAX_LIMIT}", param="limit")
    return value


def offset(value: int | None) -> int:
    if value is None:
        return 0
    if value < 0:
        raise errors.ParameterInvalid("offset must be >= 0", param="offset")
    return value


def cursors(offset_: int, starting_after: C | None, ending_before: C | None) -> C | None:
    """The page's cursor (``starting_after`` or ``ending_before``, at most one of them, and not
    with an offset), or None for the first page."""
    if starting_after is not None and ending_before is not None:
        raise errors.ParametersExclusive(
            "starting_after and ending_before are exclusive", param="ending_before"
        )
    if offset_ and (starting_after is not None or ending_before is not None):
        raise errors.ParametersExclusive(
            "offset cannot be combined with a cursor", param="offset"
        )
    return starting_after if starting_after is not None else ending_before
