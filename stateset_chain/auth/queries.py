"""Auth queries, at the SDK's gRPC method paths where the SDK has one.

    /cosmos.auth.v1beta1.Query/Account   (address) -> Any(/cosmos.auth.v1beta1.BaseAccount)
    /cosmos.auth.v1beta1.Query/Params    ()        -> the SDK-shaped subset of our params
    /cosmos.auth.v1beta1.Query/AccountInfo (address) -> the BaseAccount itself (NotFound as Account)
    /cosmos.auth.v1beta1.Query/Bech32Prefix ()     -> "stateset"
    /stateset.auth.v1.Query/Params       ()        -> all params (fee denoms, min gas price, ...)

An unknown account raises ``NotFound`` ("account stateset1... not found"): the SDK's gRPC
NotFound status, which ``App.query`` answers over ABCI as baseapp does (``sdk/22``, log
``rpc error: code = NotFound desc = account ... not found: key not found``; cosmjs returns null
on it) and the gateway over gRPC as NOT_FOUND. cosmpy's ``query_account`` and our client read
the Any shape.
"""

from __future__ import annotations

from google.protobuf.any_pb2 import Any as PbAny

import stateset_chain.pb  # noqa: F401
from stateset_chain.auth.state import AuthKeeper, address_bytes
from stateset_chain.context import Context
from stateset_chain.crypto.address import PREFIX
from stateset_chain.errors import InvalidAddress, NotFound
from stateset_chain.module import QueryRoute

from cosmos.auth.v1beta1 import auth_pb2
from cosmos.auth.v1beta1 import query_pb2 as q
from stateset.auth.v1 import query_pb2 as ours

SERVICE = "/cosmos.auth.v1beta1.Query/"
OUR_SERVICE = "/stateset.auth.v1.Query/"
BASE_ACCOUNT_URL = "/cosmos.auth.v1beta1.BaseAccount"


def account(keeper: AuthKeeper, ctx: Context, req: q.QueryAccountRequest) -> q.QueryAccountResponse:
    found = _account(ctx, req.address)
    packed = PbAny(type_url=BASE_ACCOUNT_URL, value=found.SerializeToString(deterministic=True))
    return q.QueryAccountResponse(account=packed)


def account_info(
    keeper: AuthKeeper, ctx: Context, req: q.QueryAccountInfoRequest
) -> q.QueryAccountInfoResponse:
    return q.QueryAccountInfoResponse(info=_account(ctx, req.address))


def bech32_prefix(
    keeper: AuthKeeper, ctx: Context, req: q.Bech32PrefixRequest
) -> q.Bech32PrefixResponse:
    return q.Bech32PrefixResponse(bech32_prefix=PREFIX)


def _account(ctx: Context, address: str) -> auth_pb2.BaseAccount:
    try:
        raw = address_bytes(address)
    except InvalidAddress as e:
        raise InvalidAddress(f"invalid address {address!r}: {e.detail}") from None
    found = AuthKeeper.accounts.get(ctx.store, raw)
    if found is None:
        raise NotFound(f"account {address} not found")
    return found


def sdk_params(
    keeper: AuthKeeper, ctx: Context, req: q.QueryParamsRequest
) -> q.QueryParamsResponse:
    p = keeper.params(ctx.store)
    return q.QueryParamsResponse(
        params=auth_pb2.Params(
            max_memo_characters=p.max_memo_characters,
            tx_sig_limit=p.tx_sig_limit,
            tx_size_cost_per_byte=p.tx_size_cost_per_byte,
            sig_verify_cost_ed25519=0,  # ed25519 accounts are not supported
            sig_verify_cost_secp256k1=p.sig_verify_cost_secp256k1,
        )
    )


def params(
    keeper: AuthKeeper, ctx: Context, req: ours.QueryParamsRequest
) -> ours.QueryParamsResponse:
    return ours.QueryParamsResponse(params=keeper.params(ctx.store).to_proto())


def routes(keeper: AuthKeeper) -> list[QueryRoute]:
    def bind(fn):
        return lambda ctx, req: fn(keeper, ctx, req)

    return [
        QueryRoute(SERVICE + "Account", q.QueryAccountRequest, bind(account)),
        QueryRoute(SERVICE + "Params", q.QueryParamsRequest, bind(sdk_params)),
        QueryRoute(SERVICE + "AccountInfo", q.QueryAccountInfoRequest, bind(account_info)),
        QueryRoute(SERVICE + "Bech32Prefix", q.Bech32PrefixRequest, bind(bech32_prefix)),
        QueryRoute(OUR_SERVICE + "Params", ours.QueryParamsRequest, bind(params)),
    ]
