"""Upgrade queries (the SDK's ``cosmos.upgrade.v1beta1.Query``).

/cosmos.upgrade.v1beta1.Query/CurrentPlan     {} -> {plan} (absent when none is pending)
/cosmos.upgrade.v1beta1.Query/AppliedPlan     {name} -> {height} (0: never applied)
/cosmos.upgrade.v1beta1.Query/ModuleVersions  {module_name} -> {module_versions} (all when
                                              empty; a module without one: NotFound)
/cosmos.upgrade.v1beta1.Query/Authority       {} -> {address}
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.errors import NotFound
from stateset_chain.module import QueryRoute, bind
from stateset_chain.upgrade.state import UpgradeKeeper

from cosmos.upgrade.v1beta1 import query_pb2 as q
from cosmos.upgrade.v1beta1 import upgrade_pb2

SERVICE = "/cosmos.upgrade.v1beta1.Query/"


def current_plan(
    keeper: UpgradeKeeper, ctx: Context, req: q.QueryCurrentPlanRequest
) -> q.QueryCurrentPlanResponse:
    plan = keeper.plan(ctx.store)
    return q.QueryCurrentPlanResponse(plan=plan) if plan else q.QueryCurrentPlanResponse()


def applied_plan(
    keeper: UpgradeKeeper, ctx: Context, req: q.QueryAppliedPlanRequest
) -> q.QueryAppliedPlanResponse:
    return q.QueryAppliedPlanResponse(height=keeper.applied_height(ctx.store, req.name) or 0)


def module_versions(
    keeper: UpgradeKeeper, ctx: Context, req: q.QueryModuleVersionsRequest
) -> q.QueryModuleVersionsResponse:
    vm = keeper.module_versions(ctx.store)
    names = sorted(vm)
    if req.module_name:
        if req.module_name not in vm:
            raise NotFound(f"module {req.module_name!r} has no recorded version")
        names = [req.module_name]
    return q.QueryModuleVersionsResponse(
        module_versions=[upgrade_pb2.ModuleVersion(name=n, version=vm[n]) for n in names]
    )


def authority(
    keeper: UpgradeKeeper, ctx: Context, req: q.QueryAuthorityRequest
) -> q.QueryAuthorityResponse:
    return q.QueryAuthorityResponse(address=keeper.authority(ctx.store))


def routes(keeper: UpgradeKeeper) -> list[QueryRoute]:
    return [
        QueryRoute(SERVICE + "CurrentPlan", q.QueryCurrentPlanRequest, bind(keeper, current_plan)),
        QueryRoute(SERVICE + "AppliedPlan", q.QueryAppliedPlanRequest, bind(keeper, applied_plan)),
        QueryRoute(
            SERVICE + "ModuleVersions", q.QueryModuleVersionsRequest,
            bind(keeper, module_versions),
        ),
        QueryRoute(SERVICE + "Authority", q.QueryAuthorityRequest, bind(keeper, authority)),
    ]
