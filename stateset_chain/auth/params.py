"""Auth params: the limits and prices the ante chain applies to every transaction.

| param                       | default            | meaning                                      |
|-----------------------------|--------------------|----------------------------------------------|
| max_memo_characters         | 256                | memo length limit, UTF-8 bytes               |
| tx_sig_limit                | 7                  | signatures per tx                            |
| tx_size_cost_per_byte       | 10                 | gas per raw tx byte                          |
| sig_verify_cost_secp256k1   | 1000               | gas per signature                            |
| max_tx_bytes                | 65536              | largest raw tx                               |
| fee_denoms                  | ["uusdc","ussusd"] | denoms fees may be paid in                   |
| min_gas_price               | "0.01"             | base units per unit of gas, exact decimal    |

The minimum gas price is a consensus parameter: CheckTx and FinalizeBlock both require
``fee >= ceil(gas_limit * min_gas_price)`` in one fee denom. It is held as an integer numerator
over 10^18 (the SDK's LegacyDec), parsed from a decimal string; no float is ever involved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

import stateset_chain.pb  # noqa: F401
from stateset_chain import coins
from stateset_chain.coins import SSUSD, USDC, Coin
from stateset_chain.errors import ChainError

from stateset.auth.v1 import params_pb2

DEC_PRECISION = 18
DEC_ONE = 10**DEC_PRECISION
MAX_UINT64 = 2**64 - 1
MAX_DEC_NUMERATOR = 2**256 - 1

_DECIMAL = re.compile(r"^([0-9]{1,60})(?:\.([0-9]{1,18}))?$")


class InvalidParams(ValueError):
    """Params that cannot be used; genesis turns this into ``auth/InvalidGenesis``."""


def parse_dec(text: str) -> int:
    """``"0.01"`` -> 10**16: the exact numerator over 10^18 of a non-negative decimal string."""
    match = _DECIMAL.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise InvalidParams(f'expected a non-negative decimal string like "0.01", got {text!r}')
    whole, frac = match.group(1), match.group(2) or ""
    value = int(whole) * DEC_ONE + int(frac.ljust(DEC_PRECISION, "0"))
    if value > MAX_DEC_NUMERATOR:
        raise InvalidParams(f"decimal {text!r} is too large")
    return value


def format_dec(numerator: int) -> str:
    """10**16 -> ``"0.010000000000000000"`` (the SDK's LegacyDec text: always 18 decimals)."""
    return f"{numerator // DEC_ONE}.{numerator % DEC_ONE:018d}"


@dataclass(frozen=True, slots=True)
class Params:
    max_memo_characters: int = 256
    tx_sig_limit: int = 7
    tx_size_cost_per_byte: int = 10
    sig_verify_cost_secp256k1: int = 1000
    max_tx_bytes: int = 65536
    fee_denoms: tuple[str, ...] = (USDC, SSUSD)
    min_gas_price: int = 10**16  # numerator over 10^18: 0.01 base unit per gas

    def required_fee(self, gas_limit: int) -> int:
        """The smallest fee amount (in any one fee denom) a tx asking ``gas_limit`` must pay."""
        return -(-gas_limit * self.min_gas_price // DEC_ONE)

    def validate(self) -> Params:
        for name in _UINT_FIELDS:
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool):
                raise InvalidParams(f"{name} must be an integer, got {value!r}")
            if not 0 < value <= MAX_UINT64:
                raise InvalidParams(f"{name} must be positive and fit in 64 bits, got {value}")
        if not self.fee_denoms:
            raise InvalidParams("fee_denoms must list at least one denom")
        if len(set(self.fee_denoms)) != len(self.fee_denoms):
            raise InvalidParams(f"fee_denoms has duplicates: {list(self.fee_denoms)}")
        for denom in self.fee_denoms:
            try:
                Coin(denom, 0)
            except ChainError as e:
                raise InvalidParams(f"fee_denoms: {e.detail}") from None
        if not isinstance(self.min_gas_price, int) or not 0 <= self.min_gas_price <= (
            MAX_DEC_NUMERATOR
        ):
            raise InvalidParams(f"min_gas_price out of range: {self.min_gas_price!r}")
        return self

    # -- protobuf (the stored form) ----------------------------------------------------------

    def to_proto(self) -> params_pb2.Params:
        return params_pb2.Params(
            max_memo_characters=self.max_memo_characters,
            tx_sig_limit=self.tx_sig_limit,
            tx_size_cost_per_byte=self.tx_size_cost_per_byte,
            sig_verify_cost_secp256k1=self.sig_verify_cost_secp256k1,
            max_tx_bytes=self.max_tx_bytes,
            fee_denoms=list(self.fee_denoms),
            min_gas_price=str(self.min_gas_price),
        )

    @classmethod
    def from_proto(cls, pb: params_pb2.Params) -> Params:
        return cls(
            max_memo_characters=pb.max_memo_characters,
            tx_sig_limit=pb.tx_sig_limit,
            tx_size_cost_per_byte=pb.tx_size_cost_per_byte,
            sig_verify_cost_secp256k1=pb.sig_verify_cost_secp256k1,
            max_tx_bytes=pb.max_tx_bytes,
            fee_denoms=tuple(pb.fee_denoms),
            min_gas_price=int(pb.min_gas_price or "0"),
        )

    # -- genesis JSON ------------------------------------------------------------------------

    def to_json(self) -> dict:
        out: dict = {name: str(getattr(self, name)) for name in _UINT_FIELDS}
        out["fee_denoms"] = list(self.fee_denoms)
        out["min_gas_price"] = format_dec(self.min_gas_price)
        return out

    @classmethod
    def from_json(cls, data: dict) -> Params:
        """Params from genesis JSON; a missing key keeps its default, an unknown key fails."""
        if not isinstance(data, dict):
            raise InvalidParams(f"params must be an object, got {type(data).__name__}")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise InvalidParams(f"unknown params {unknown}; known: {sorted(known)}")
        values: dict = {}
        for name in _UINT_FIELDS:
            if name in data:
                values[name] = parse_uint(name, data[name])
        if "fee_denoms" in data:
            denoms = data["fee_denoms"]
            if not isinstance(denoms, list) or not all(isinstance(d, str) for d in denoms):
                raise InvalidParams(f"fee_denoms must be a list of strings, got {denoms!r}")
            values["fee_denoms"] = tuple(denoms)
        if "min_gas_price" in data:
            values["min_gas_price"] = parse_dec(data["min_gas_price"])
        return cls(**values).validate()


_UINT_FIELDS = (
    "max_memo_characters",
    "tx_sig_limit",
    "tx_size_cost_per_byte",
    "sig_verify_cost_secp256k1",
    "max_tx_bytes",
)


def parse_uint(name: str, value) -> int:
    """A 64-bit unsigned JSON integer or decimal string (``coins.parse_uint``)."""
    return coins.parse_uint(value, InvalidParams, field=name, maximum=MAX_UINT64)


DEFAULT_PARAMS = Params()
