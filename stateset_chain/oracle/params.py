"""Default params and their validation.

The authority defaults to ``module_address("gov")`` (unsignable until genesis names one); the
currency list to EUR, GBP, JPY, CAD; a median needs 1 fresh submission, submissions and accepted
rates are fresh for an hour, a median may move 5% from the accepted rate, and an out-of-band
median is accepted after 10 blocks out of band.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.crypto import address
from stateset_chain.oracle.errors import InvalidParams
from stateset_chain.rates import is_currency_code

from stateset.oracle.v1.oracle_pb2 import Params

DEFAULT_AUTHORITY = address.module_address("gov")
DEFAULT_CURRENCIES = ("EUR", "GBP", "JPY", "CAD")
MAX_CURRENCIES = 32
MAX_FEEDERS = 64
MAX_BPS = 10_000


def default_params() -> Params:
    return Params(
        authority=DEFAULT_AUTHORITY,
        currencies=list(DEFAULT_CURRENCIES),
        quorum=1,
        staleness_seconds=3600,
        max_deviation_bps=500,
        deviation_confirm_blocks=10,
    )


def validate_params(p: Params) -> None:
    address.require_address(p.authority, "authority", InvalidParams)
    if len(p.currencies) > MAX_CURRENCIES:
        raise InvalidParams(f"{len(p.currencies)} currencies, at most {MAX_CURRENCIES}")
    for code in p.currencies:
        if not is_currency_code(code):
            raise InvalidParams(f"currency {code!r} is not an upper-case ISO 4217 code but USD")
    if len(set(p.currencies)) != len(p.currencies):
        raise InvalidParams("a currency is listed twice")
    if not 1 <= p.quorum <= MAX_FEEDERS:
        raise InvalidParams(f"quorum is {p.quorum}, must be 1..{MAX_FEEDERS}")
    if p.staleness_seconds == 0:
        raise InvalidParams("staleness_seconds must be > 0")
    if p.max_deviation_bps > MAX_BPS:
        raise InvalidParams(f"max_deviation_bps is {p.max_deviation_bps}, at most {MAX_BPS}")
    if p.deviation_confirm_blocks == 0:
        raise InvalidParams("deviation_confirm_blocks must be > 0 (a refused rate must get "
                            "through eventually)")
