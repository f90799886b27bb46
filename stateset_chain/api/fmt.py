"""JSON formatting shared by the API and the webhooks: ISO 8601 UTC times (``timefmt``'s
writer), decimal strings."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from stateset_chain.timefmt import datetime_ns, format_iso8601


def iso(t: datetime | None) -> str | None:
    """``2026-12-01T21:11:42.123Z`` (UTC, milliseconds), or None."""
    if t is None:
        return None
    return format_iso8601(datetime_ns(t), fraction_digits=3)


def decimal_str(value: Decimal | int) -> str:
    """Exact decimal string, at least 2 decimals: ``1096.47``, ``5.00``, ``0.000001``."""
    d = Decimal(value)
    cents = d.quantize(Decimal("0.01"))
    return format(cents if cents == d else d.normalize(), "f")


def base_units_str(amount: int, exponent: int = 6) -> str:
    """Base units (``1096470000`` uusd) as the currency's decimal string (``1096.47``)."""
    return decimal_str(Decimal(amount).scaleb(-exponent))
