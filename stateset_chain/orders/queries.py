"""Orders queries (ABCI query paths named like gRPC methods).

    /stateset.orders.v1.Query/Order    (order_id | merchant + client_order_id) -> order, and for
                                       an unlocked fiat order a quote at the latest rate
    /stateset.orders.v1.Query/Orders   filters, limit, offset, starting_after
                                       -> orders (newest first), total_count, has_more
    /stateset.orders.v1.Query/Params   () -> params

Bad requests: a malformed address sdk InvalidAddress; a limit above 100, an offset above 10,000
query InvalidPagination; a status filter no order has UnknownStatus (orders 47); a bad ISO 8601
time InvalidTimestamp (29); an amount bound that is not a canonical integer InvalidAmount (12); a
client_order_id over 128 bytes FieldTooLong (20); InvalidOrderId / OrderNotFound for a bad or
unknown order id or cursor; sdk InvalidRequest only for an Order request whose fields contradict
each other (not exactly one of order_id and client_order_id; a merchant without a client id, or
the reverse).
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.coins import parse_amount
from stateset_chain.context import Context
from stateset_chain.crypto import address
from stateset_chain.errors import InvalidRequest
from stateset_chain.module import QueryRoute
from stateset_chain.orders import fx
from stateset_chain.orders.errors import (
    FieldTooLong,
    InvalidAmount,
    InvalidTimestamp,
    OrderNotFound,
    UnknownStatus,
)
from stateset_chain.orders.index import OrderFilter
from stateset_chain.orders.msgs.common import require_order_id
from stateset_chain.orders.msgs.create import MAX_CLIENT_ORDER_ID_BYTES
from stateset_chain.orders.state import OrdersKeeper
from stateset_chain.querying import page_limit, require_offset
from stateset_chain.rates import format_rate
from stateset_chain.timefmt import parse_iso8601

from stateset.orders.v1 import query_pb2 as q
from stateset.orders.v1.orders_pb2 import Order, OrderStatus

SERVICE = "/stateset.orders.v1.Query/"
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
# Skipping costs a read per match skipped: deeper pages page with ``starting_after`` (a cursor
# costs one read however deep it is).
MAX_OFFSET = 10_000


def order(keeper: OrdersKeeper, ctx: Context, req: q.QueryOrderRequest) -> q.QueryOrderResponse:
    if bool(req.order_id) == bool(req.client_order_id):
        raise InvalidRequest("give exactly one of order_id and client_order_id")
    if req.client_order_id and not req.merchant:
        raise InvalidRequest("a client_order_id is unique per merchant: give the merchant too")
    if req.merchant and not req.client_order_id:
        raise InvalidRequest("merchant is only for a client_order_id lookup")
    order_id = req.order_id
    if req.client_order_id:
        _bounded(req.client_order_id, "client_order_id", MAX_CLIENT_ORDER_ID_BYTES)
        merchant = _canonical(req.merchant, "merchant")
        found = keeper.order_id_by_client_id(ctx.store, merchant, req.client_order_id)
        if found is None:
            raise OrderNotFound(
                f"merchant {merchant} has no client order id {req.client_order_id!r}"
            )
        order_id = found
    require_order_id(order_id)
    found = keeper.must_get_order(ctx.store, order_id)
    response = q.QueryOrderResponse(order=found)
    quote = quote_of(keeper, ctx, found)
    if quote is not None:
        response.quote.CopyFrom(quote)
    return response


def quote_of(keeper: OrdersKeeper, ctx: Context, order: Order) -> q.ExchangeRateQuote | None:
    """What an unlocked fiat order costs in its denom at the oracle's latest accepted rate: a
    query-time quote (queries carry no block time, so the rate's own height and time go with
    it); the payment locks the rate fresh at its block instead."""
    if not fx.is_fiat(order) or order.HasField("exchange_rate") or keeper.rates is None:
        return None
    accepted = keeper.rates.latest_usd_rate(ctx.store, order.currency)
    if accepted is None:
        return None
    rate = fx.scaled(accepted)
    return q.ExchangeRateQuote(
        pair=fx.pair(order.currency),
        rate=format_rate(rate.value),
        rate_height=rate.height,
        rate_time=rate.time,
        amount_due=fx.stablecoin_amount(order.total, rate.value) - order.amount_paid,
    )


def orders(keeper: OrdersKeeper, ctx: Context, req: q.QueryOrdersRequest) -> q.QueryOrdersResponse:
    limit = page_limit(req.limit, DEFAULT_LIMIT, MAX_LIMIT)
    require_offset(req.offset, MAX_OFFSET, "starting_after")
    if req.starting_after:
        require_order_id(req.starting_after)
    page = keeper.index.list_orders(
        ctx.store, keeper, filter_of(req), limit, req.offset, req.starting_after
    )
    return q.QueryOrdersResponse(
        orders=page.orders, total_count=page.total_count, has_more=page.has_more
    )


def params(keeper: OrdersKeeper, ctx: Context, req: q.QueryParamsRequest) -> q.QueryParamsResponse:
    return q.QueryParamsResponse(params=keeper.params(ctx.store))


def filter_of(req: q.QueryOrdersRequest) -> OrderFilter:
    if req.status and req.status not in OrderStatus.values():
        raise UnknownStatus(f"status {req.status}")
    return OrderFilter(
        customer=_canonical(req.customer, "customer"),
        merchant=_canonical(req.merchant, "merchant"),
        status=req.status,
        created_after_ns=_time(req.created_after, "created_after"),
        created_before_ns=_time(req.created_before, "created_before"),
        amount_min=_amount(req.amount_min, "amount_min"),
        amount_max=_amount(req.amount_max, "amount_max"),
        customer_id=req.customer_id,
    )


def _canonical(addr: str, field: str) -> str:
    """A filter's address in any case, canonical (sdk InvalidAddress naming ``field``)."""
    return address.canonical(addr, field) if addr else ""


def _time(text: str, field: str) -> int | None:
    return parse_iso8601(text, field, InvalidTimestamp) if text else None


def _amount(text: str, field: str) -> int | None:
    """The chain's one amount parser (canonical, at most 78 digits checked before conversion);
    a bound above every order total still reads as "no bound"."""
    if not text:
        return None
    return parse_amount(text, InvalidAmount, field=field, allow_zero=True)


def _bounded(text: str, field: str, limit: int) -> str:
    size = len(text.encode())
    if size > limit:
        raise FieldTooLong(f"{field} is {size} bytes, the limit is {limit}")
    return text


def routes(keeper: OrdersKeeper) -> list[QueryRoute]:
    def bind(fn):
        return lambda ctx, req: fn(keeper, ctx, req)

    return [
        QueryRoute(SERVICE + "Order", q.QueryOrderRequest, bind(order)),
        QueryRoute(SERVICE + "Orders", q.QueryOrdersRequest, bind(orders)),
        QueryRoute(SERVICE + "Params", q.QueryParamsRequest, bind(params)),
    ]
