"""JSON formatting shared by the API and the webhooks: ISO 8601 UTC times (``timefmt``'s
writer), decimal strings (``coins``' writer)."""

from __future__ import annotations

from datetime import datetime

from stateset_chain.coins import format_units
from stateset_chain.timefmt import datetime_ns, format_iso8601


def iso(t: datetime | None) -> str | None:
    """``2026-12-01T21:11:42.123Z`` (UTC, milliseconds), or None."""
    if t is None:
        return None
    return format_iso8601(datetime_ns(t), fraction_digits=3)


def base_units_str(amount: int) -> str:
    """Base units (``1096470000`` uusd) as the currency's decimal string with at least 2 decimals
    (``1096.47``, ``5.00``, ``0.000001``): ``coins.format_units``, as the read side renders."""
    return format_units(amount, min_decimals=2)
