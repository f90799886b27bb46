"""Coins: integer amounts in base units of a denom (``uusdc``, ``ussusd``: 6 decimals).

``parse_amount`` is the chain's one parser of amount text (a ``Coin.amount``, a message's
``amount`` field): every module calls it, so an amount means the same everywhere. The grammar is
a canonical decimal integer: ASCII digits only, no sign, no whitespace, no leading zero except
``"0"`` itself, at most 78 digits (``2**256 - 1`` has 78). The length is checked before the text is
converted, so no input can make ``int()`` raise (it refuses more than 4,300 digits). Every failure
is the one class the caller names (its module's ``InvalidAmount``; ``InvalidCoins`` for coins).

``parse_units`` is the one parser of a decimal number of currency units (an order item's price,
the Orders API's amount filters): ``"999.99"`` is 999_990_000 base units (both denoms have 6
decimals); no sign, no exponent, no leading zero, at most 6 decimals (refused, never rounded).
``format_units`` is its inverse, the one writer of currency units as text (the CLI, the read
side, the Orders API). ``parse_uint`` reads an unsigned integer from JSON (genesis) by the
amount grammar.
"""

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

_DENOM = re.compile(r"[a-zA-Z][a-zA-Z0-9/:._-]{2,127}")  # fullmatch (no trailing newline)
MAX_AMOUNT = 2**256 - 1
MAX_AMOUNT_DIGITS = 78  # len(str(2**256 - 1))
# fullmatch, not match: "$" would accept a trailing newline.
_AMOUNT = re.compile(f"0|[1-9][0-9]{{0,{MAX_AMOUNT_DIGITS - 1}}}")


def parse_amount(
    text: str,
    error: type[Exception] = InvalidCoins,
    *,
    field: str = "amount",
    allow_zero: bool = False,
    maximum: int = MAX_AMOUNT,
) -> int:
    """The integer a canonical amount text denotes (see the module docstring); ``error`` for any
    text that is not one, is zero (unless ``allow_zero``) or exceeds ``maximum``."""
    if not isinstance(text, str) or _AMOUNT.fullmatch(text) is None:
        text = str(text)
        shown = text if len(text) <= 90 else f"{text[:40]}...({len(text)} characters)"
        raise error(f"{field} {shown!r} is not a canonical decimal integer")
    amount = int(text)
    if amount == 0 and not allow_zero:
        raise error(f"{field} must be positive")
    if amount > maximum:
        raise error(f"{field} {text} is out of range (at most {maximum})")
    return amount


DECIMALS = 6  # of both stable denoms: a currency unit is 10**6 base units
UNIT = 10**DECIMALS
_UNITS = re.compile(f"(0|[1-9][0-9]*)(?:\\.([0-9]{{1,{DECIMALS}}}))?")  # fullmatch


def parse_units(
    text: str, error: type[Exception] = InvalidCoins, *, field: str = "amount",
    max_whole_digits: int = 13,
) -> int:
    """The base units a decimal text of currency units denotes (see the module docstring), with
    at most ``max_whole_digits`` digits before the point; ``error`` for any other text."""
    m = _UNITS.fullmatch(text) if isinstance(text, str) else None
    if m is None or len(m.group(1)) > max_whole_digits:
        raise error(f"{field} {text!r} is not a decimal with at most {DECIMALS} decimals")
    whole, frac = m.group(1), m.group(2) or ""
    return int(whole) * UNIT + int(frac.ljust(DECIMALS, "0"))


def parse_uint(
    value: object, error: type[Exception], *, field: str, maximum: int
) -> int:
    """An unsigned integer of at most ``maximum`` from JSON: a JSON integer (not a boolean) or
    its canonical decimal text (``parse_amount``'s grammar; the SDK writes uint64 as strings);
    ``error`` naming ``field`` for anything else (genesis files)."""
    refused = error(f"{field} must be an unsigned integer <= {maximum}, got {value!r}")
    if isinstance(value, str):
        try:
            return parse_amount(value, ValueError, field=field, allow_zero=True, maximum=maximum)
        except ValueError:
            raise refused from None
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= maximum:
        return value
    raise refused


def format_units(amount: int, min_decimals: int = 0) -> str:
    """Base units as the exact decimal text of currency units, the inverse of ``parse_units``:
    at most 6 decimals, trailing zeros trimmed down to ``min_decimals`` (0: ``"1096.47"``,
    ``"5"``; 2, how the Orders API and the webhooks show money: ``"5.00"``, ``"0.000001"``)."""
    sign = "-" if amount < 0 else ""
    whole, frac = divmod(abs(amount), UNIT)
    digits = f"{frac:0{DECIMALS}d}".rstrip("0").ljust(min_decimals, "0")
    return f"{sign}{whole}.{digits}" if digits else f"{sign}{whole}"


@dataclass(frozen=True, order=True)
class Coin:
    denom: str
    amount: int

    def __post_init__(self) -> None:
        if not isinstance(self.denom, str) or not _DENOM.fullmatch(self.denom):
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
        value = parse_amount(amount, field=f"amount of {denom!r}", allow_zero=True)
        return cls(denom, value)

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
