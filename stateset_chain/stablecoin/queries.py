"""Stablecoin queries.

/stateset.stablecoin.v1.Query/Params   () -> params
/stateset.stablecoin.v1.Query/Reserve  () -> reserve address, uusdc reserve, ussusd supply
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.coins import SSUSD, USDC, Coin
from stateset_chain.context import Context
from stateset_chain.module import QueryRoute
from stateset_chain.stablecoin.state import StablecoinKeeper

from stateset.stablecoin.v1 import query_pb2 as q

SERVICE = "/stateset.stablecoin.v1.Query/"


def params(
    keeper: StablecoinKeeper, ctx: Context, req: q.QueryParamsRequest
) -> q.QueryParamsResponse:
    return q.QueryParamsResponse(params=keeper.params(ctx.store))


def reserve(
    keeper: StablecoinKeeper, ctx: Context, req: q.QueryReserveRequest
) -> q.QueryReserveResponse:
    return q.QueryReserveResponse(
        reserve_address=keeper.reserve_address,
        reserve=Coin(USDC, keeper.reserve(ctx.store)).to_proto(),
        supply=Coin(SSUSD, keeper.supply(ctx.store)).to_proto(),
    )


def routes(keeper: StablecoinKeeper) -> list[QueryRoute]:
    return [
        QueryRoute(
            SERVICE + "Params", q.QueryParamsRequest, lambda ctx, req: params(keeper, ctx, req)
        ),
        QueryRoute(
            SERVICE + "Reserve", q.QueryReserveRequest, lambda ctx, req: reserve(keeper, ctx, req)
        ),
    ]
