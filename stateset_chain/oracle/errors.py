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

from stateset_chain.errors import ChainError


class OracleError(ChainError):
    codespace = "oracle"


class NotAuthorized(OracleError, code=2, description="not authorized"): ...
class InvalidParams(OracleError, code=3, description="invalid oracle params"): ...
class InvalidGenesis(OracleError, code=4, description="invalid oracle genesis"): ...
class InvalidRate(OracleError, code=5, description="invalid rate"): ...
class UnknownCurrency(
    OracleError, code=6, description="the currency is not in the oracle's list"
): ...
class NotFeeder(OracleError, code=7, description="the signer is not a feeder"): ...
class DuplicateCurrency(OracleError, code=8, description="a currency appears twice"): ...
class NoRates(OracleError, code=9, description="no rates submitted"): ...
class InvalidFeeders(OracleError, code=10, description="invalid feeder set"): ...
class MissingReason(OracleError, code=11, description="a reason of 1..256 bytes is required"): ...
# "not found" in the description: the gateway answers NOT_FOUND (REST 404)
class RateNotFound(OracleError, code=12, description="rate not found"): ...
class RateStale(OracleError, code=13, description="the accepted rate is stale"): ...
