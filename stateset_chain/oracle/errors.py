"""Failures of the oracle module (codespace ``oracle``), one class per failure.

OracleError (codespace "oracle")
├── NotAuthorized 2        the signer is not params.authority
├── InvalidParams 3
├── InvalidGenesis 4
├── InvalidRate 5          not a canonical positive decimal with <= 18 fractional digits
├── UnknownCurrency 6      a currency that is not in params.currencies
├── NotFeeder 7            MsgSubmitRates from an account outside the feeder set
├── DuplicateCurrency 8    one currency twice in one MsgSubmitRates
├── NoRates 9              MsgSubmitRates without rates
├── InvalidFeeders 10      a feeder set with a duplicate, or over MAX_FEEDERS
├── MissingReason 11       MsgOverrideRate without a reason of 1..256 bytes
├── RateNotFound 12        usd_rate / the Rate query: no accepted rate for the currency
└── RateStale 13           usd_rate: the accepted rate is older than params.staleness_seconds
"""

from __future__ import annotations

from stateset_chain.errors import ChainError, register


class OracleError(ChainError):
    codespace = "oracle"


def _error(name: str, code: int, description: str) -> type[OracleError]:
    cls = type(name, (OracleError,), {"code": code, "description": description})
    register(cls)
    return cls  # type: ignore[return-value]


NotAuthorized = _error("NotAuthorized", 2, "not authorized")
InvalidParams = _error("InvalidParams", 3, "invalid oracle params")
InvalidGenesis = _error("InvalidGenesis", 4, "invalid oracle genesis")
InvalidRate = _error("InvalidRate", 5, "invalid rate")
UnknownCurrency = _error("UnknownCurrency", 6, "the currency is not in the oracle's list")
NotFeeder = _error("NotFeeder", 7, "the signer is not a feeder")
DuplicateCurrency = _error("DuplicateCurrency", 8, "a currency appears twice")
NoRates = _error("NoRates", 9, "no rates submitted")
InvalidFeeders = _error("InvalidFeeders", 10, "invalid feeder set")
MissingReason = _error("MissingReason", 11, "a reason of 1..256 bytes is required")
RateNotFound = _error("RateNotFound", 12, "rate not found")  # "not found": the gateway's 404
RateStale = _error("RateStale", 13, "the accepted rate is stale")
