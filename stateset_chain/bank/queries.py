"""Bank queries, at the SDK's gRPC method paths with the SDK's request/response types.

    /cosmos.bank.v1beta1.Query/Balance       (address, denom) -> balance (0 if none)
    /cosmos.bank.v1beta1.Query/AllBalances   (address)        -> nonzero balances, sorted by denom
    /cosmos.bank.v1beta1.Query/TotalSupply   ()               -> nonzero supplies, sorted by denom
    /cosmos.bank.v1beta1.Query/SupplyOf      (denom)          -> supply (0 if none)
    /cosmos.bank.v1beta1.Query/SpendableBalances, SpendableBalanceByDenom -> as AllBalances and
                                               Balance (nothing is locked: no vesting accounts)
    /cosmos.bank.v1beta1.Query/DenomsMetadata ()              -> every denom's metadata, by base
    /cosmos.bank.v1beta1.Query/DenomMetadata (denom)          -> its metadata (NotFound if none)
    /cosmos.bank.v1beta1.Query/Params        ()               -> send enabled for every denom

Pagination is ignored: every answer is complete (``pagination.total`` is set when asked for).
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.bank.state import BankKeeper
from stateset_chain.coins import Coin
from stateset_chain.context import Context
from stateset_chain.crypto import address
from stateset_chain.errors import NotFound
from stateset_chain.module import QueryRoute

from cosmos.bank.v1beta1 import bank_pb2
from cosmos.bank.v1beta1 import query_pb2 as q
from cosmos.base.query.v1beta1 import pagination_pb2

SERVICE = "/cosmos.bank.v1beta1.Query/"


def _denom(denom: str) -> str:
    """A denom the SDK would accept (``sdk/10 InvalidCoins`` otherwise, as for a coin)."""
    return Coin(denom, 0).denom


def _page(req_pagination, n: int) -> pagination_pb2.PageResponse:
    return pagination_pb2.PageResponse(total=n if req_pagination.count_total else 0)


def balance(keeper: BankKeeper, ctx: Context, req: q.QueryBalanceRequest) -> q.QueryBalanceResponse:
    address.decode(req.address)
    denom = _denom(req.denom)
    amount = keeper.balance(ctx.store, req.address, denom)
    return q.QueryBalanceResponse(balance=Coin(denom, amount).to_proto())


def all_balances(
    keeper: BankKeeper, ctx: Context, req: q.QueryAllBalancesRequest
) -> q.QueryAllBalancesResponse:
    coins = keeper.all_balances(ctx.store, req.address)
    return q.QueryAllBalancesResponse(
        balances=[c.to_proto() for c in coins], pagination=_page(req.pagination, len(coins))
    )


def total_supply(
    keeper: BankKeeper, ctx: Context, req: q.QueryTotalSupplyRequest
) -> q.QueryTotalSupplyResponse:
    coins = keeper.total_supply(ctx.store)
    return q.QueryTotalSupplyResponse(
        supply=[c.to_proto() for c in coins], pagination=_page(req.pagination, len(coins))
    )


def supply_of(
    keeper: BankKeeper, ctx: Context, req: q.QuerySupplyOfRequest
) -> q.QuerySupplyOfResponse:
    denom = _denom(req.denom)
    return q.QuerySupplyOfResponse(amount=Coin(denom, keeper.supply(ctx.store, denom)).to_proto())


def spendable_balances(
    keeper: BankKeeper, ctx: Context, req: q.QuerySpendableBalancesRequest
) -> q.QuerySpendableBalancesResponse:
    coins = keeper.all_balances(ctx.store, req.address)
    return q.QuerySpendableBalancesResponse(
        balances=[c.to_proto() for c in coins], pagination=_page(req.pagination, len(coins))
    )


def spendable_balance_by_denom(
    keeper: BankKeeper, ctx: Context, req: q.QuerySpendableBalanceByDenomRequest
) -> q.QuerySpendableBalanceByDenomResponse:
    address.decode(req.address)
    denom = _denom(req.denom)
    amount = keeper.balance(ctx.store, req.address, denom)
    return q.QuerySpendableBalanceByDenomResponse(balance=Coin(denom, amount).to_proto())


def denoms_metadata(
    keeper: BankKeeper, ctx: Context, req: q.QueryDenomsMetadataRequest
) -> q.QueryDenomsMetadataResponse:
    found = [m for _, m in keeper.denom_metadata.iterate(ctx.store)]
    found.sort(key=_base)  # the store order since bank v2; v1 ordered keys by length first
    return q.QueryDenomsMetadataResponse(
        metadatas=found, pagination=_page(req.pagination, len(found))
    )


def _base(meta: bank_pb2.Metadata) -> str:
    return meta.base


def denom_metadata_of(
    keeper: BankKeeper, ctx: Context, req: q.QueryDenomMetadataRequest
) -> q.QueryDenomMetadataResponse:
    denom = _denom(req.denom)
    found = keeper.denom_metadata.get(ctx.store, denom)
    if found is None:
        raise NotFound(f"client metadata for denom {denom}")
    return q.QueryDenomMetadataResponse(metadata=found)


def params(keeper: BankKeeper, ctx: Context, req: q.QueryParamsRequest) -> q.QueryParamsResponse:
    return q.QueryParamsResponse(params=bank_pb2.Params(default_send_enabled=True))


def routes(keeper: BankKeeper) -> list[QueryRoute]:
    def bind(fn):
        return lambda ctx, req: fn(keeper, ctx, req)

    return [
        QueryRoute(SERVICE + "Balance", q.QueryBalanceRequest, bind(balance)),
        QueryRoute(SERVICE + "AllBalances", q.QueryAllBalancesRequest, bind(all_balances)),
        QueryRoute(SERVICE + "TotalSupply", q.QueryTotalSupplyRequest, bind(total_supply)),
        QueryRoute(SERVICE + "SupplyOf", q.QuerySupplyOfRequest, bind(supply_of)),
        QueryRoute(
            SERVICE + "SpendableBalances", q.QuerySpendableBalancesRequest,
            bind(spendable_balances),
        ),
        QueryRoute(
            SERVICE + "SpendableBalanceByDenom", q.QuerySpendableBalanceByDenomRequest,
            bind(spendable_balance_by_denom),
        ),
        QueryRoute(SERVICE + "DenomsMetadata", q.QueryDenomsMetadataRequest, bind(denoms_metadata)),
        QueryRoute(SERVICE + "DenomMetadata", q.QueryDenomMetadataRequest, bind(denom_metadata_of)),
        QueryRoute(SERVICE + "Params", q.QueryParamsRequest, bind(params)),
    ]
