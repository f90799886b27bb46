"""Coins: integer amounts in base units of a denom (``uusdc``, ``ussusd``: 6 decimals)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from stateset_chain.errors import InvalidCoins

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
        if not _AMOUNT.match(pb.amount or ""):
            raise InvalidCoins(f"invalid amount {pb.amount!r} for {pb.denom!r}")
        return cls(pb.denom, int(pb.amount))

    def to_proto(self):
        from cosmos.base.v1beta1.coin_pb2 import Coin as PbCoin

        return PbCoin(denom=self.denom, amount=str(self.amount))


def coins_from_proto(pbs, allow_zero: bool = False) -> list[Coin]:
    """Validated coins, sorted by denom, no duplicates; positive unless allow_zero."""
    coins = [Coin.from_proto(c) for c in pbs]
    denoms = [c.denom for c in coins]
    if denoms != sorted(denoms) or len(set(denoms)) != len(denoms):
        raise InvalidCoins(f"coins must be sorted by denom without duplicates: {denoms}")
    for c in coins:
        if c.amount == 0 and not allow_zero:
            raise InvalidCoins(f"zero amount for {c.denom}")
    return coins


def format_coins(coins) -> str:
    return ",".join(str(c) for c in coins)
