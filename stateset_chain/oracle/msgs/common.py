"""Checks shared by the oracle messages."""

from __future__ import annotations

from stateset_chain.crypto.address import require_address
from stateset_chain.oracle.errors import InvalidRate, NotAuthorized, UnknownCurrency
from stateset_chain.oracle.state import OracleKeeper
from stateset_chain.rates import is_currency_code, parse_rate
from stateset_chain.store.kv import KVStore

from stateset.oracle.v1.oracle_pb2 import Params

__all__ = ["require_address", "require_rate", "require_currency_code", "require_listed",
           "require_authority"]


def require_rate(text: str, field: str = "rate") -> int:
    return parse_rate(text, InvalidRate, field=field)


def require_currency_code(code: str) -> None:
    if not is_currency_code(code):
        raise UnknownCurrency(f"currency {code!r} is not an upper-case ISO 4217 code but USD")


def require_listed(p: Params, code: str) -> None:
    if code not in p.currencies:
        raise UnknownCurrency(f"{code} is not in the oracle's currencies {list(p.currencies)}")


def require_authority(keeper: OracleKeeper, store: KVStore, signer: str) -> None:
    expected = keeper.params(store).authority
    if signer != expected:
        raise NotAuthorized(f"{signer} is not the oracle authority {expected}")
