"""Orders, payments and balances: ``/v1/orders``, ``/v1/payments``, ``/v1/accounts``.

Objects are rendered by the indexer's ``readside.render``: an order's JSON is rendered once, when
the indexer writes the row (``orders.api_json``), and returned here as stored bytes, so an order
here and in a webhook's ``data.order`` are the same JSON. Lists are newest first (order
``sequence``, payment ``(height, id)``) with keyset cursors both ways (``paging``), each page one
round trip on the event loop's pool (cursor lookup, count and rows pipelined); the order list's
``total_count`` of a merchant/status/currency filter comes from ``order_counts``.
"""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from stateset_chain.api import errors, params
from stateset_chain.api.app import FastJSONResponse, aconnection
from stateset_chain.api.fmt import base_units_str
from stateset_chain.api.orderreads import ORDER_JSON, order_bytes
from stateset_chain.api.paging import Where, apage
from stateset_chain.readside.render import render_payment

router = APIRouter(prefix="/v1")


def spellings(currency: str) -> list[str]:
    """The stored forms a case-insensitive ``currency`` filter can match."""
    return sorted({currency.lower(), currency.upper()})


def order_filters(
    *,
    customer_id: str | None = None,
    merchant_id: str | None = None,
    status: str | None = None,
    currency: str | None = None,
    created_after: str | None = None,
    created_before: str | None = None,
    amount_min: str | None = None,
    amount_max: str | None = None,
) -> Where:
    """The WHERE of an order list (also used by reports and analytics). Amounts compare each
    order's ``total`` in its own currency, so an amount filter needs ``currency`` named."""
    low = params.amount(amount_min, "amount_min")
    high = params.amount(amount_max, "amount_max")
    if currency is None and (low is not None or high is not None):
        param = "amount_min" if low is not None else "amount_max"
        raise errors.ParameterMissing(
            f"{param} compares amounts in one currency: name it with currency= (usd, usdc, "
            "EUR, ...)", param="currency",
        )
    where = Where([], [])
    where.add_if("customer = %s", customer_id)
    where.add_if("merchant = %s", merchant_id)
    where.add_if("status = ANY (%s)", params.statuses(status))
    # the chain stores a currency lower-case (usd, usdc) or, a fiat code, upper-case (EUR): so
    # this is lower(currency) = lower(%s), on the plain column (the list indexes use it)
    where.add_if("currency = ANY (%s)", None if currency is None else spellings(currency))
    where.add_if("created_at > %s", params.timestamp(created_after, "created_after"))
    where.add_if("created_at < %s", params.timestamp(created_before, "created_before"))
    where.add_if("total >= %s", low)
    where.add_if("total <= %s", high)
    return where


class StoredJSONResponse(FastJSONResponse):
    """JSON bytes already rendered (the indexer's ``api_json``, or a list assembled from them):
    the same body and headers as ``FastJSONResponse`` of the parsed object."""

    def render(self, content) -> bytes:
        return content


GET_ORDER = f"SELECT {ORDER_JSON} FROM orders WHERE id = %s"


@router.get("/orders/{order_id}", summary="Get an order")
async def get_order(request: Request, order_id: str) -> FastJSONResponse:
    # on the event loop (the async pool): one primary-key read of the stored JSON, returned as
    # it is (no parse, no render, no dump). The middleware answers found orders itself with the
    # same rows, batched (app.LimitsAndMetrics, orderreads); this route is the reference and
    # the error path.
    async with aconnection(request) as conn:
        cur = await conn.execute(GET_ORDER, (order_id,))
        row = await cur.fetchone()
    if row is None:
        raise errors.ResourceMissing(f"no order {order_id}", param="id")
    return StoredJSONResponse(order_bytes(row))


def order_counts(
    *, customer_id, merchant_id, status, currency, created_after, created_before, amount_min,
    amount_max,
) -> tuple[str, list] | None:
    """The order list's ``total_count`` from ``order_counts`` (kept by the indexer's writes)
    when the filters are on merchant, status and currency only; else None (count the rows)."""
    if any(v is not None for v in (customer_id, created_after, created_before, amount_min,
                                   amount_max)):
        return None
    where = Where([], [])
    where.add_if("merchant = %s", merchant_id)
    where.add_if("status = ANY (%s)", params.statuses(status))
    where.add_if("lower(currency) = lower(%s)", currency)
    return f"SELECT coalesce(sum(n), 0) FROM order_counts WHERE {where.sql()}", where.args


def list_body(name: str, items: list[bytes], total: int, has_more: bool) -> bytes:
    """``{"object": "list", name: [...], "total_count", "has_more"}`` from items' JSON bytes,
    byte for byte what ``FastJSONResponse`` writes for the parsed list."""
    more = b"true" if has_more else b"false"
    return (b'{"object":"list","' + name.encode() + b'":[' + b",".join(items)
            + b'],"total_count":' + str(total).encode() + b',"has_more":' + more + b"}")


@router.get("/orders", summary="List orders (newest first), filtered, with cursors")
async def list_orders(
    request: Request,
    customer_id: str | None = None,
    merchant_id: str | None = None,
    status: str | None = Query(None, description="short names, comma-separated: PAID,SHIPPED"),
    currency: str | None = Query(
        None, description="the order's currency (case-insensitive): usd, usdc, EUR; required "
        "with amount_min / amount_max"),
    created_after: str | None = None,
    created_before: str | None = None,
    amount_min: str | None = Query(
        None, description="decimal, units of `currency` (required with it): 10.50"),
    amount_max: str | None = Query(None, description="decimal, units of `currency`"),
    limit: int | None = None,
    offset: int | None = None,
    starting_after: str | None = None,
    ending_before: str | None = None,
) -> JSONResponse:
    filters = dict(
        customer_id=customer_id, merchant_id=merchant_id, status=status, currency=currency,
        created_after=created_after, created_before=created_before, amount_min=amount_min,
        amount_max=amount_max,
    )
    where = order_filters(**filters)
    n, skip = params.limit(limit), params.offset(offset)
    cursor_id = params.cursors(skip, starting_after, ending_before)
    cursor = None if cursor_id is None else ("SELECT sequence FROM orders WHERE id = %s",
                                             (cursor_id,))
    async with aconnection(request) as conn:
        rows, total, has_more, found = await apage(
            conn, table="orders", columns=ORDER_JSON, key=("sequence",), where=where, limit=n,
            offset=skip, cursor=cursor, backwards=ending_before is not None,
            count=order_counts(**filters),
        )
    if not found:
        param = "starting_after" if starting_after is not None else "ending_before"
        raise errors.ParameterInvalid(f"no order {cursor_id}", param=param)
    return StoredJSONResponse(list_body("orders", [order_bytes(r) for r in rows], total,
                                        has_more))


async def _payment(conn, payment_id: str) -> dict | None:
    cur = await conn.execute(
        "SELECT o.doc FROM payments p JOIN orders o ON o.id = p.order_id WHERE p.id = %s",
        (payment_id,),
    )
    row = await cur.fetchone()
    if row is None:
        return None
    doc = row[0]
    for p in doc.get("payments", []):
        if p.get("id") == payment_id:
            return render_payment(p, doc)
    return None


@router.get("/payments/{payment_id}", summary="Get a payment")
async def get_payment(request: Request, payment_id: str) -> dict:
    async with aconnection(request) as conn:
        payment = await _payment(conn, payment_id)
    if payment is None:
        raise errors.ResourceMissing(f"no payment {payment_id}", param="id")
    return payment


@router.get("/payments", summary="List payments (newest first), filtered, with cursors")
async def list_payments(
    request: Request,
    order_id: str | None = None,
    payer: str | None = None,
    cross_chain: bool | None = None,
    created_after: str | None = None,
    created_before: str | None = None,
    limit: int | None = None,
    offset: int | None = None,
    starting_after: str | None = None,
    ending_before: str | None = None,
) -> dict:
    where = Where([], [])
    where.add_if("p.order_id = %s", order_id)
    where.add_if("p.payer = %s", payer)
    where.add_if("p.cross_chain = %s", cross_chain)
    where.add_if("p.time > %s", params.timestamp(created_after, "created_after"))
    where.add_if("p.time < %s", params.timestamp(created_before, "created_before"))
    n, skip = params.limit(limit), params.offset(offset)
    cursor_id = params.cursors(skip, starting_after, ending_before)
    cursor = None if cursor_id is None else ("SELECT height, id FROM payments WHERE id = %s",
                                             (cursor_id,))
    async with aconnection(request) as conn:
        rows, total, has_more, found = await apage(
            conn, table="payments p JOIN orders o ON o.id = p.order_id", columns="p.id, o.doc",
            key=("p.height", "p.id"), where=where, limit=n, offset=skip, cursor=cursor,
            backwards=ending_before is not None,
        )
    if not found:
        param = "starting_after" if starting_after is not None else "ending_before"
        raise errors.ParameterInvalid(f"no payment {cursor_id}", param=param)
    payments = []
    for payment_id, doc in rows:
        for p in doc.get("payments", []):
            if p.get("id") == payment_id:
                payments.append(render_payment(p, doc))
    return {"object": "list", "payments": payments, "total_count": total, "has_more": has_more}


@router.get("/accounts/{address}/balances", summary="An account's balances per denom")
async def get_balances(request: Request, address: str) -> dict:
    async with aconnection(request) as conn:
        cur = await conn.execute(
            "SELECT denom, amount, height FROM balances WHERE address = %s AND amount > 0 "
            "ORDER BY denom",
            (address,),
        )
        rows = await cur.fetchall()
    return {
        "object": "balances",
        "address": address,
        "balances": [
            {"denom": d, "amount": base_units_str(int(a)), "amount_base_units": str(int(a)),
             "height": int(h)}
            for d, a, h in rows
        ],
    }
