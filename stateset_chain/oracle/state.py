"""The oracle keeper: its typed collections, and the one read other modules call.

The feeder set and params change only by the authority's messages; submissions only by
MsgSubmitRates (and MsgSetFeeders, which deletes a removed feeder's); accepted rates and refused
streaks only by the end-block aggregation (aggregate.py) and MsgOverrideRate.

Consumers read a rate with ``usd_rate(store, currency, now)`` (``now``: the block time in unix
nanoseconds, ``ctx.block.time_ns``), which returns the accepted ``AcceptedRate`` or raises
``RateNotFound`` / ``RateStale``; ``rates.parse_rate(rate.rate)`` is its integer (scale 10^18).
A consumer that waits on a rate registers ``add_rate_listener``: it is told (store, currency)
whenever ``accept`` makes a rate readable that was not (a new value, the first one, or a fresh
one after a stale one), never for a refresh of the same value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.oracle import keys
from stateset_chain.oracle.errors import RateNotFound, RateStale
from stateset_chain.oracle.params import default_params
from stateset_chain.store.collections import Item, KeySet, Map, ProtoValue, StrKey, TupleKey
from stateset_chain.store.kv import KVStore
from stateset_chain.timefmt import NS, timestamp_ns

from stateset.oracle.v1.oracle_pb2 import AcceptedRate, Params, PendingDeviation, Submission

# told (store, currency) when a currency's readable rate changes (conditional orders)
RateListener = Callable[[KVStore, str], None]


class OracleKeeper:
    def __init__(self) -> None:
        self._rate_listeners: list[RateListener] = []
        self.params_item: Item[Params] = Item(keys.PARAMS, ProtoValue(Params))
        self.feeders: KeySet[str] = KeySet(keys.FEEDERS, StrKey)
        self.submissions: Map[tuple[str, str], Submission] = Map(
            keys.SUBMISSIONS, TupleKey(StrKey, StrKey), ProtoValue(Submission)
        )
        self.accepted: Map[str, AcceptedRate] = Map(
            keys.ACCEPTED, StrKey, ProtoValue(AcceptedRate)
        )
        self.pending: Map[str, PendingDeviation] = Map(
            keys.PENDING, StrKey, ProtoValue(PendingDeviation)
        )
        self.submitted: KeySet[str] = KeySet(keys.SUBMITTED, StrKey)

    # -- the read consumers call --------------------------------------------------------------

    def add_rate_listener(self, listener: RateListener) -> None:
        self._rate_listeners.append(listener)

    def usd_rate(self, store: KVStore, currency: str, now: int) -> AcceptedRate:
        """The accepted rate of ``currency`` (USD per unit) at block time ``now`` (unix ns):
        ``RateNotFound`` without one, ``RateStale`` when ``now - rate.time > staleness``."""
        rate = self.accepted.get(store, currency)
        if rate is None:
            raise RateNotFound(f"no accepted rate for {currency}/USD")
        staleness = self.params(store).staleness_seconds
        age_ns = now - timestamp_ns(rate.time)
        if age_ns > staleness * NS:
            raise RateStale(
                f"{currency}/USD {rate.rate} of height {rate.height} is {age_ns // NS}s old, "
                f"more than {staleness}s"
            )
        return rate

    def latest_usd_rate(self, store: KVStore, currency: str) -> AcceptedRate | None:
        """The accepted rate of ``currency`` whatever its age, or None: for queries, which carry
        no block time (the orders' query-time quote names the rate's own height and time)."""
        return self.accepted.get(store, currency)

    # -- reads --------------------------------------------------------------------------------

    def params(self, store: KVStore) -> Params:
        return self.params_item.get(store) or default_params()

    def set_params(self, store: KVStore, p: Params) -> None:
        self.params_item.set(store, p)

    def is_feeder(self, store: KVStore, addr: str) -> bool:
        return self.feeders.has(store, addr)

    def all_feeders(self, store: KVStore) -> list[str]:
        return list(self.feeders.iterate(store))

    def submissions_of(self, store: KVStore, currency: str) -> Iterator[Submission]:
        for _, s in self.submissions.iterate(store, prefix=(currency,)):
            yield s

    def all_submissions(self, store: KVStore) -> Iterator[Submission]:
        for _, s in self.submissions.iterate(store):
            yield s

    def all_accepted(self, store: KVStore) -> Iterator[AcceptedRate]:
        for _, r in self.accepted.iterate(store):
            yield r

    def all_pending(self, store: KVStore) -> Iterator[PendingDeviation]:
        for _, p in self.pending.iterate(store):
            yield p

    # -- changes ------------------------------------------------------------------------------

    def record_submission(self, store: KVStore, s: Submission) -> None:
        self.submissions.set(store, (s.currency, s.feeder), s)
        self.submitted.add(store, s.currency)

    def set_feeders(self, store: KVStore, feeders: list[str]) -> tuple[list[str], list[str]]:
        """Replaces the feeder set; a removed feeder's submissions are deleted. Returns
        (added, removed), each in address order."""
        old = self.all_feeders(store)
        new = sorted(set(feeders))
        removed = [f for f in old if f not in new]
        added = [f for f in new if f not in old]
        for f in removed:
            self.feeders.remove(store, f)
        for f in added:
            self.feeders.add(store, f)
        if removed:
            gone = set(removed)
            stale = [k for k, s in self.submissions.iterate(store) if s.feeder in gone]
            for k in stale:
                self.submissions.delete(store, k)
        return added, removed

    def forget_currency(self, store: KVStore, currency: str) -> None:
        """Deletes everything held for a currency removed from the list."""
        for k in [k for k, _ in self.submissions.iterate(store, prefix=(currency,))]:
            self.submissions.delete(store, k)
        self.accepted.delete(store, currency)
        self.pending.delete(store, currency)
        self.submitted.remove(store, currency)

    def accept(self, ctx: Context, rate: AcceptedRate) -> str:
        """Stores ``rate`` as the accepted rate of its currency and clears its refused streak;
        returns the rate it replaced ("" for the first)."""
        previous = self.accepted.get(ctx.store, rate.currency)
        self.accepted.set(ctx.store, rate.currency, rate)
        self.pending.delete(ctx.store, rate.currency)
        if self._rate_listeners and self._readable_changed(ctx, previous, rate):
            for listener in self._rate_listeners:
                listener(ctx.store, rate.currency)
        return previous.rate if previous is not None else ""

    def _readable_changed(
        self, ctx: Context, previous: AcceptedRate | None, rate: AcceptedRate
    ) -> bool:
        if previous is None or previous.rate != rate.rate:
            return True
        staleness = self.params(ctx.store).staleness_seconds
        return ctx.block.time_ns - timestamp_ns(previous.time) > staleness * NS
