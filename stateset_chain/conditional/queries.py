"""Conditional orders queries.

    /stateset.conditional.v1.Query/ConditionalOrder {id} -> {conditional_order, holding: which of
        its conditions hold now (empty unless WAITING)}; ConditionalOrderNotFound (conditional 2)
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.conditional import engine
from stateset_chain.conditional.state import ConditionalKeeper
from stateset_chain.context import Context
from stateset_chain.module import QueryRoute, bind

from stateset.conditional.v1 import query_pb2 as q

SERVICE = "/stateset.conditional.v1.Query/"


def query_one(keeper: ConditionalKeeper, ctx: Context, req: q.QueryConditionalOrderRequest):
    c = keeper.must_get(ctx.store, req.id)
    holding = engine.all_hold(keeper, ctx, c) if c.status == engine.WAITING else []
    return q.QueryConditionalOrderResponse(conditional_order=c, holding=holding)


def routes(keeper: ConditionalKeeper) -> list[QueryRoute]:
    return [
        QueryRoute(
            SERVICE + "ConditionalOrder", q.QueryConditionalOrderRequest, bind(keeper, query_one)
        )
    ]
