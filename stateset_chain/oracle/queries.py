"""Oracle queries (``/stateset.oracle.v1.Query/<Method>``).

Params       {} -> {params}
Rate         {currency} -> {rate, stale_after}; oracle RateNotFound when there is none
Rates        {} -> {rates in currency order}
Feeders      {} -> {feeders in address order}
Submissions  {currency} -> {submissions in feeder order, pending streak}

A currency that is not a three-letter upper-case code (or is USD) is oracle UnknownCurrency, as in
its messages.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.module import QueryRoute
from stateset_chain.oracle.errors import RateNotFound
from stateset_chain.oracle.msgs.common import require_currency_code
from stateset_chain.oracle.state import OracleKeeper
from stateset_chain.timefmt import NS, timestamp, timestamp_ns

from stateset.oracle.v1 import query_pb2 as q

SERVICE = "/stateset.oracle.v1.Query/"


def params(keeper: OracleKeeper, ctx: Context, req: q.QueryParamsRequest):
    return q.QueryParamsResponse(params=keeper.params(ctx.store))


def rate(keeper: OracleKeeper, ctx: Context, req: q.QueryRateRequest):
    require_currency_code(req.currency)
    found = keeper.accepted.get(ctx.store, req.currency)
    if found is None:
        raise RateNotFound(f"no accepted rate for {req.currency}/USD")
    staleness = keeper.params(ctx.store).staleness_seconds
    return q.QueryRateResponse(
        rate=found, stale_after=timestamp(timestamp_ns(found.time) + staleness * NS)
    )


def rates(keeper: OracleKeeper, ctx: Context, req: q.QueryRatesRequest):
    return q.QueryRatesResponse(rates=list(keeper.all_accepted(ctx.store)))


def feeders(keeper: OracleKeeper, ctx: Context, req: q.QueryFeedersRequest):
    return q.QueryFeedersResponse(feeders=keeper.all_feeders(ctx.store))


def submissions(keeper: OracleKeeper, ctx: Context, req: q.QuerySubmissionsRequest):
    require_currency_code(req.currency)
    out = q.QuerySubmissionsResponse(
        submissions=list(keeper.submissions_of(ctx.store, req.currency))
    )
    pending = keeper.pending.get(ctx.store, req.currency)
    if pending is not None:
        out.pending.CopyFrom(pending)
    return out


def routes(keeper: OracleKeeper) -> list[QueryRoute]:
    def bind(fn):
        return lambda ctx, req: fn(keeper, ctx, req)

    return [
        QueryRoute(SERVICE + "Params", q.QueryParamsRequest, bind(params)),
        QueryRoute(SERVICE + "Rate", q.QueryRateRequest, bind(rate)),
        QueryRoute(SERVICE + "Rates", q.QueryRatesRequest, bind(rates)),
        QueryRoute(SERVICE + "Feeders", q.QueryFeedersRequest, bind(feeders)),
        QueryRoute(SERVICE + "Submissions", q.QuerySubmissionsRequest, bind(submissions)),
    ]
