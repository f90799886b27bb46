"""A stand-in for the oracle's read side (orders.expected.ExchangeRates) for the orders module's
own tests: accepted rates set by the test, fresh for ``staleness_seconds`` of block time. The
app-level tests use the real oracle module."""

from __future__ import annotations

from dataclasses import dataclass, field

from google.protobuf.timestamp_pb2 import Timestamp

from stateset_chain.errors import ChainError
from stateset_chain.timefmt import NS, timestamp, timestamp_ns


class FakeOracleError(ChainError):
    codespace = "fakeoracle"


class FakeRateMissing(FakeOracleError, code=2, description="no rate"): ...
class FakeRateStale(FakeOracleError, code=3, description="stale rate"): ...


@dataclass(frozen=True)
class Accepted:
    currency: str
    rate: str
    height: int
    time: Timestamp


@dataclass
class FakeRates:
    staleness_seconds: int = 3600
    accepted: dict[str, Accepted] = field(default_factory=dict)

    def set(self, currency: str, rate: str, height: int, time_ns: int) -> None:
        self.accepted[currency] = Accepted(currency, rate, height, timestamp(time_ns))

    def usd_rate(self, store, currency: str, now: int) -> Accepted:
        rate = self.accepted.get(currency)
        if rate is None:
            raise FakeRateMissing(f"no accepted rate for {currency}/USD")
        if now - timestamp_ns(rate.time) > self.staleness_seconds * NS:
            raise FakeRateStale(f"{currency}/USD is stale")
        return rate

    def latest_usd_rate(self, store, currency: str) -> Accepted | None:
        return self.accepted.get(currency)
