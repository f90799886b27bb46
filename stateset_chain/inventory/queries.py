"""Inventory queries.

/stateset.inventory.v1.Query/Stock     {merchant, sku, location} -> {stock}; inventory UntrackedSku
    if unset there ("" = the default location)
/stateset.inventory.v1.Query/StockLocations {merchant, sku} -> {stocks: every location, the
    default first}
/stateset.inventory.v1.Query/LowStock  {merchant, start_after_sku, start_after_location, limit}
    -> {stocks with available <= low_stock_threshold, every location, in (SKU, location) key
    order; next_sku, next_location}. It reads the merchant's stocks from the cursor on (key
    ranges), at most 10 x limit of them per page.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.crypto.address import require_address
from stateset_chain.inventory.errors import UntrackedSku
from stateset_chain.inventory.state import InventoryKeeper
from stateset_chain.module import QueryRoute

from stateset.inventory.v1 import query_pb2 as q

SERVICE = "/stateset.inventory.v1.Query/"


def _merchant(addr: str) -> None:
    require_address(addr, "merchant")  # sdk InvalidAddress


def stock(keeper: InventoryKeeper, ctx: Context, req: q.QueryStockRequest) -> q.QueryStockResponse:
    _merchant(req.merchant)
    found = keeper.stock(ctx.store, req.merchant, req.sku, req.location)
    if found is None:
        raise UntrackedSku(f"{req.sku} at {req.merchant} {req.location!r}")
    return q.QueryStockResponse(stock=found)


def stock_locations(keeper: InventoryKeeper, ctx: Context, req: q.QueryStockLocationsRequest):
    _merchant(req.merchant)
    return q.QueryStockLocationsResponse(stocks=keeper.stocks_at(ctx.store, req.merchant, req.sku))


def low_stock(keeper: InventoryKeeper, ctx: Context, req: q.QueryLowStockRequest):
    _merchant(req.merchant)
    limit = min(req.limit or 50, 200)
    out = q.QueryLowStockResponse()
    read = 0
    stocks = keeper.stocks_of(
        ctx.store, req.merchant, req.start_after_sku, req.start_after_location
    )
    for s in stocks:
        read += 1
        if s.available <= s.low_stock_threshold:
            out.stocks.append(s)
        if len(out.stocks) == limit or read == 10 * limit:
            out.next_sku, out.next_location = s.sku, s.location
            break
    return out


def routes(keeper: InventoryKeeper) -> list[QueryRoute]:
    return [
        QueryRoute(SERVICE + "Stock", q.QueryStockRequest, lambda c, r: stock(keeper, c, r)),
        QueryRoute(
            SERVICE + "LowStock", q.QueryLowStockRequest, lambda c, r: low_stock(keeper, c, r)
        ),
        QueryRoute(
            SERVICE + "StockLocations",
            q.QueryStockLocationsRequest,
            lambda c, r: stock_locations(keeper, c, r),
        ),
    ]
