"""Coins: integer amounts in base units of a denom (``uusdc``, ``ussusd``: 6 decimals)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import stateset_chain.pb  # noqa: F401  (puts the generated protos on sys.path)
from stateset_chain.cache import BoundedCache
from stateset_chain.errors import InvalidCoins

from cosmos.base.v1beta1.coin_pb2 import Coin as PbCoin

USDC = "uusdc"
SSUSD = "ussusd"
STABLE_DENOMS = (USDC, SSUSD)

_DENOM = re.compile(r"^[a-zA-Z][a-zA-Z0-9/:._-]{2,127}$")
_AMOUNT = re.compile(r"^[0-9]{1,78}$")
MAX_AMOUNT = 2**256 - 1


@dataclass(frozen=True, order=True)
class Coin:
    denom: str
    amount: int

    def __post_init__(self) -> None:
        if not _DENOM.match(self.denom):
            raise InvalidCoins(f"invalid denom {self.denom!r}")
        if not isinstance(self.amount, int) or self.amount < 0 or self.amount > MAX_AMOUNT:
            raise InvalidCoins(f"invalid amount {self.amount!r}")

    def __str__(self) -> str:
        return f"{self.amount}{self.denom}"

    @classmethod
    def from_proto(cls, pb) -> Coin:
        """From a ``cosmos.base.v1beta1.Coin`` (amount is a decimal string)."""
        if cls is Coin:
            return _parse_coin(pb.denom, pb.amount)
        return cls._parse(pb.denom, pb.amount)

    @classmethod
    def _parse(cls, denom: str, amount: str) -> Coin:
        if not _AMOUNT.match(amount or ""):
            raise InvalidCoins(f"invalid amount {amount!r} for {denom!r}")
        return cls(denom, int(amount))

    def to_proto(self) -> PbCoin:
        return PbCoin(denom=self.denom, amount=str(self.amount))


# Parsing a coin (two regexes, an int, a frozen dataclass) runs several times per transfer, for
# the same few (denom, amount) strings: a MsgSend's amount is parsed by its validation and again
# by its handler, fees repeat. A ``Coin`` is immutable and a pure function of the two strings, so
# parsed coins are shared through a bounded cache (failures are never cached).
_coin_cache: BoundedCache[tuple[str, str], Coin] = BoundedCache(4096)


def _parse_coin(denom: str, amount: str) -> Coin:
    key = (denom, amount)
    coin = _coin_cache.get(key)
    if coin is None:
        coin = _coin_cache.put(key, Coin._parse(denom, amount))
    return coin


def coins_from_proto(pbs, allow_zero: bool = False) -> list[Coin]:
    """Validated coins, sorted by denom, no duplicates; positive unless allow_zero."""
    coins = [_parse_coin(c.denom, c.amount) for c in pbs]
    if len(coins) > 1:
        denoms = [c.denom for c in coins]
        if denoms != sorted(denoms) or len(set(denoms)) != len(denoms):
            raise InvalidCoins(f"coins must be sorted by denom without duplicates: {denoms}")
    for c in coins:
        if c.amount == 0 and not allow_zero:
            raise InvalidCoins(f"zero amount for {c.denom}")
    return coins


def format_coins(coins) -> str:
    return ",".join(str(c) for c in coins)
