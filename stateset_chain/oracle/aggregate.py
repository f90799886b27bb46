"""The end-block aggregation: each currency's fresh submissions become its accepted rate.

At the end of every block, for each currency of ``params.currencies`` (in list order) that got a
submission in the block or has a refused streak (``PendingDeviation``), at most
``MAX_CURRENCIES`` of them:

1. **fresh** submissions: those with ``block_time - submission.time <= staleness_seconds``;
   fewer than ``quorum`` of them: nothing is accepted and the currency's streak is dropped;
2. the **median** of their rates (scaled integers): the middle one of an odd count, and of an
   even count the floor of the mean of the two middle ones, ``(a + b) // 2``;
3. with no accepted rate yet, or ``max_deviation_bps = 0``, or
   ``|median - accepted| * 10000 <= max_deviation_bps * accepted``: **accepted**
   (``RATE_SOURCE_MEDIAN``), the streak cleared;
4. otherwise **refused** (``RateRejected``; the accepted rate stays) and the streak recorded: it
   starts at this height, or continues when the previous block's streak was on the same side of
   the accepted rate. When ``height - streak.since_height >= deviation_confirm_blocks`` the median
   is accepted instead (``RATE_SOURCE_CONFIRMED_DEVIATION``): a real market move larger than the
   bound gets through once feeders have reported it, out of band on the same side, for that
   many consecutive blocks. Submissions stay fresh for ``staleness_seconds``, so one round of
   submissions is enough when ``deviation_confirm_blocks`` blocks take less than that;
   ``MsgOverrideRate`` is the authority's immediate path.

Every step is integer arithmetic over the submissions in key order, so the result is a function
of the set of submissions, not of their order.
"""

from __future__ import annotations

from collections.abc import Sequence

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.oracle.state import OracleKeeper
from stateset_chain.rates import format_rate, parse_rate
from stateset_chain.timefmt import NS, timestamp, timestamp_ns

from stateset.oracle.v1 import events_pb2 as events
from stateset.oracle.v1.oracle_pb2 import AcceptedRate, Params, PendingDeviation, RateSource

BPS = 10_000


def median(values: Sequence[int]) -> int:
    """The median of a non-empty list of integers; an even count gives the floor of the mean of
    the two middle values."""
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[mid]
    return (ordered[mid - 1] + ordered[mid]) // 2


def out_of_band(new: int, accepted: int, max_deviation_bps: int) -> bool:
    return bool(max_deviation_bps) and abs(new - accepted) * BPS > max_deviation_bps * accepted


def deviation_bps(new: int, accepted: int) -> int:
    return abs(new - accepted) * BPS // accepted


def fresh_rates(keeper: OracleKeeper, ctx: Context, p: Params, currency: str) -> list[int]:
    limit = p.staleness_seconds * NS
    now = ctx.block.time_ns
    return [
        parse_rate(s.rate)
        for s in keeper.submissions_of(ctx.store, currency)
        if now - timestamp_ns(s.time) <= limit
    ]


def end_block(keeper: OracleKeeper, ctx: Context) -> None:
    p = keeper.params(ctx.store)
    store = ctx.store
    for currency in p.currencies:
        if keeper.submitted.has(store, currency) or keeper.pending.has(store, currency):
            aggregate(keeper, ctx, p, currency)
    for currency in list(keeper.submitted.iterate(store)):
        keeper.submitted.remove(store, currency)


def aggregate(keeper: OracleKeeper, ctx: Context, p: Params, currency: str) -> None:
    store = ctx.store
    fresh = fresh_rates(keeper, ctx, p, currency)
    if len(fresh) < p.quorum:
        streak = keeper.pending.get(store, currency)
        if streak is not None:
            keeper.pending.delete(store, currency)
            ctx.events.emit(events.PendingDeviationDropped(
                currency=currency, median=streak.median, since_height=streak.since_height,
                fresh_submissions=len(fresh),
            ))
        return
    value = median(fresh)
    record = AcceptedRate(
        currency=currency, rate=format_rate(value), height=ctx.block.height,
        time=timestamp(ctx.block.time_ns), submissions=len(fresh),
        source=RateSource.RATE_SOURCE_MEDIAN,
    )
    last = keeper.accepted.get(store, currency)
    accepted = parse_rate(last.rate) if last is not None else 0
    if last is None or not out_of_band(value, accepted, p.max_deviation_bps):
        _accept(keeper, ctx, record)
        return
    above = value > accepted
    streak = keeper.pending.get(store, currency)
    if streak is None or streak.above != above:
        streak = PendingDeviation(currency=currency, since_height=ctx.block.height, above=above)
    streak.median = record.rate
    if ctx.block.height - streak.since_height >= p.deviation_confirm_blocks:
        record.source = RateSource.RATE_SOURCE_CONFIRMED_DEVIATION
        _accept(keeper, ctx, record)
        return
    keeper.pending.set(store, currency, streak)
    ctx.events.emit(events.RateRejected(
        currency=currency, median=record.rate, accepted=last.rate,
        deviation_bps=deviation_bps(value, accepted), max_deviation_bps=p.max_deviation_bps,
        submissions=len(fresh), pending_since_height=streak.since_height,
    ))


def _accept(keeper: OracleKeeper, ctx: Context, record: AcceptedRate) -> None:
    previous = keeper.accept(ctx, record)
    ctx.events.emit(events.RateAccepted(rate=record, previous=previous))
