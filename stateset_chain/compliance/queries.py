"""Compliance queries (``/stateset.compliance.v1.Query/<Method>``).

Params             {} -> {params}
Sanction           {address} -> {sanction}; compliance NotSanctioned when absent
Sanctions          {start_after, limit (0 = 100, <= 500)} -> {sanctions in address order, next}
BlockedCountries   {} -> {countries in country order}
RestrictedCategories {country ("" = all)} -> {categories in (country, region, category) order}
AccountLimits      {address} -> {limits in denom order}
Volume             {address, denom} -> {daily, monthly} (the last recorded windows)
CustomerRisk       {customer} -> {velocity buckets, profile}
FreezeQueue        {} -> {tasks in address order} (sanctioned parties still being frozen)

A bad address is sdk InvalidAddress; a limit above 500 or a start_after over 255 bytes query
InvalidPagination; a country filter over two bytes compliance InvalidCountry; a denom
outside 1..128 bytes sdk InvalidCoins.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.compliance import keys
from stateset_chain.compliance.errors import InvalidCountry, NotSanctioned
from stateset_chain.compliance.state import ComplianceKeeper
from stateset_chain.context import Context
from stateset_chain.crypto.address import require_address
from stateset_chain.errors import InvalidCoins
from stateset_chain.module import QueryRoute
from stateset_chain.querying import page_limit, require_cursor

from stateset.compliance.v1 import query_pb2 as q
from stateset.compliance.v1.compliance_pb2 import FreezeTask

SERVICE = "/stateset.compliance.v1.Query/"
DEFAULT_LIMIT = 100
MAX_LIMIT = 500


def params(keeper: ComplianceKeeper, ctx: Context, req: q.QueryParamsRequest):
    return q.QueryParamsResponse(params=keeper.params(ctx.store))


def sanction(keeper: ComplianceKeeper, ctx: Context, req: q.QuerySanctionRequest):
    require_address(req.address, "address")
    found = keeper.sanction(ctx.store, req.address)
    if found is None:
        raise NotSanctioned(req.address)
    return q.QuerySanctionResponse(sanction=found)


def sanctions(keeper: ComplianceKeeper, ctx: Context, req: q.QuerySanctionsRequest):
    limit = page_limit(req.limit, DEFAULT_LIMIT, MAX_LIMIT)
    require_cursor(req.start_after, "start_after")
    out = q.QuerySanctionsResponse()
    for s in keeper.all_sanctions(ctx.store, req.start_after):
        if len(out.sanctions) == limit:
            out.next = out.sanctions[-1].address
            break
        out.sanctions.append(s)
    return out


def blocked_countries(keeper: ComplianceKeeper, ctx: Context, req):
    return q.QueryBlockedCountriesResponse(countries=list(keeper.all_blocked_countries(ctx.store)))


def restricted_categories(keeper: ComplianceKeeper, ctx: Context, req):
    if len(req.country.encode()) > 2:
        raise InvalidCountry(f"country {req.country!r} is longer than two letters")
    return q.QueryRestrictedCategoriesResponse(
        categories=list(keeper.all_restricted_categories(ctx.store, req.country))
    )


def account_limits(keeper: ComplianceKeeper, ctx: Context, req: q.QueryAccountLimitsRequest):
    require_address(req.address, "address")
    return q.QueryAccountLimitsResponse(limits=list(keeper.limits_of(ctx.store, req.address)))


def volume(keeper: ComplianceKeeper, ctx: Context, req: q.QueryVolumeRequest):
    require_address(req.address, "address")
    if not 1 <= len(req.denom.encode()) <= 128:
        raise InvalidCoins(f"denom {req.denom!r} is not 1 to 128 bytes")
    out = q.QueryVolumeResponse()
    daily = keeper.volumes.get(ctx.store, (req.address, req.denom, keys.DAILY))
    monthly = keeper.volumes.get(ctx.store, (req.address, req.denom, keys.MONTHLY))
    if daily is not None:
        out.daily.CopyFrom(daily)
    if monthly is not None:
        out.monthly.CopyFrom(monthly)
    return out


def customer_risk(keeper: ComplianceKeeper, ctx: Context, req: q.QueryCustomerRiskRequest):
    require_address(req.customer, "customer")
    out = q.QueryCustomerRiskResponse()
    for (_, start), counts in keeper.velocity.iterate(ctx.store, prefix=(req.customer,)):
        out.buckets.append(q.VelocityEntry(bucket_start=start, counts=counts))
    profile = keeper.profiles.get(ctx.store, req.customer)
    if profile is not None:
        out.profile.CopyFrom(profile)
    return out


def freeze_queue(keeper: ComplianceKeeper, ctx: Context, req: q.QueryFreezeQueueRequest):
    return q.QueryFreezeQueueResponse(tasks=[
        FreezeTask(address=a, after_sequence=n) for a, n in keeper.all_freeze_tasks(ctx.store)
    ])


def routes(keeper: ComplianceKeeper) -> list[QueryRoute]:
    def bind(fn):
        return lambda ctx, req: fn(keeper, ctx, req)

    return [
        QueryRoute(SERVICE + "Params", q.QueryParamsRequest, bind(params)),
        QueryRoute(SERVICE + "Sanction", q.QuerySanctionRequest, bind(sanction)),
        QueryRoute(SERVICE + "Sanctions", q.QuerySanctionsRequest, bind(sanctions)),
        QueryRoute(
            SERVICE + "BlockedCountries", q.QueryBlockedCountriesRequest, bind(blocked_countries)
        ),
        QueryRoute(
            SERVICE + "RestrictedCategories",
            q.QueryRestrictedCategoriesRequest,
            bind(restricted_categories),
        ),
        QueryRoute(SERVICE + "AccountLimits", q.QueryAccountLimitsRequest, bind(account_limits)),
        QueryRoute(SERVICE + "Volume", q.QueryVolumeRequest, bind(volume)),
        QueryRoute(SERVICE + "CustomerRisk", q.QueryCustomerRiskRequest, bind(customer_risk)),
        QueryRoute(SERVICE + "FreezeQueue", q.QueryFreezeQueueRequest, bind(freeze_queue)),
    ]
