"""Exchange rates as fixed-point integers: the chain's one rule for rate text.

A rate is the price of ONE unit of a currency in USD, held as an integer scaled by
``RATE_SCALE`` = 10^18 (the SDK's LegacyDec precision), never as a float. On the wire (messages,
state, events, genesis) it is a canonical decimal text with at most 18 fractional digits:

    "1.0842"  -> 1_084_200_000_000_000_000        "0.0067" -> 6_700_000_000_000_000
    "150"     -> 150 * 10^18

Canonical means one spelling per value: no sign, no leading zero before a non-zero whole digit,
no trailing zero after the point, no bare point (so ``"1.20"``, ``"01.2"``, ``"1."`` and ``".5"``
are refused; write ``"1.2"``, ``"0.5"``). At most 18 whole digits. ``parse_rate`` is the one
parser (the oracle's messages and genesis, and every consumer of an accepted rate), and
``format_rate`` the one writer; ``format_rate(parse_rate(t)) == t`` for every accepted text.

A rated currency is an upper-case ISO 4217 code other than USD (``is_currency_code``: the
oracle's params and messages, and the conditional orders' exchange-rate conditions).
"""

from __future__ import annotations

import re

RATE_DECIMALS = 18
RATE_SCALE = 10**RATE_DECIMALS
MAX_WHOLE_DIGITS = 18
_RATE = re.compile(r"(0|[1-9][0-9]{0,17})(?:\.([0-9]{0,17}[1-9]))?")  # fullmatch
CURRENCY = re.compile(r"[A-Z]{3}")
USD = "USD"


def is_currency_code(code: str) -> bool:
    """A currency a rate may be quoted for: three upper-case letters, not USD itself."""
    return bool(CURRENCY.fullmatch(code)) and code != USD


def parse_rate(
    text: str, error: type[Exception] = ValueError, *, field: str = "rate", positive: bool = True,
) -> int:
    """The scaled integer a canonical rate text denotes; ``error`` for any other text (and for
    zero when ``positive``)."""
    m = _RATE.fullmatch(text) if isinstance(text, str) else None
    if m is None:
        raise error(
            f"{field} {text!r} is not a canonical decimal with at most {RATE_DECIMALS} "
            f"fractional digits"
        )
    whole, frac = m.group(1), m.group(2) or ""
    value = int(whole) * RATE_SCALE + int(frac.ljust(RATE_DECIMALS, "0"))
    if positive and value == 0:
        raise error(f"{field} must be positive")
    return value


def format_rate(value: int) -> str:
    """The canonical text of a scaled rate (``value >= 0``)."""
    if value < 0:
        raise ValueError(f"negative rate {value}")
    whole, frac = divmod(value, RATE_SCALE)
    text = str(whole)
    if frac:
        text += "." + str(frac).rjust(RATE_DECIMALS, "0").rstrip("0")
    return text
