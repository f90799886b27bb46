"""Orders, payments and balances: ``/v1/orders``, ``/v1/payments``, ``/v1/accounts``.

Objects are rendered by the indexer's ``readside.render`` from the ``orders.doc`` column, so an
order here and in a webhook's ``data.order`` are the same JSON. Lists are newest first (order
``sequence``, payment ``(height, id)``) with keyset cursors both ways (``paging``).
"""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from stateset_chain.api import errors, params
from stateset_chain.api.app import FastJSONResponse, aconnection, connection
from stateset_chain.api.fmt import base_units_str
from stateset_chain.api.paging import Where, page
from stateset_chain.readside.render import render_order, render_payment

router = APIRouter(prefix="/v1")


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
    """The WHERE of an order list (also used by reports and analytics)."""
    where = Where([], [])
    where.add_if("customer = %s", customer_id)
    where.add_if("merchant = %s", merchant_id)
    where.add_if("status = ANY (%s)", params.statuses(status))
    where.add_if("lower(currency) = lower(%s)", currency)
    where.add_if("created_at > %s", params.timestamp(created_after, "created_after"))
    where.add_if("created_at < %s", params.timestamp(created_before, "created_before"))
    where.add_if("total >= %s", params.amount(amount_min, "amount_min"))
    where.add_if("total <= %s", params.amount(amount_max, "amount_max"))
    return where


@router.get("/orders/{order_id}", summary="Get an order")
async def get_order(request: Request, order_id: str) -> FastJSONResponse:
    # on the event loop (the async pool): one primary-key read, no hop to a worker thread
    async with aconnection(request) as conn:
        cur = await conn.execute("SELECT doc FROM orders WHERE id = %s", (order_id,))
        row = await cur.fetchone()
    if row is None:
        raise errors.ResourceMissing(f"no order {order_id}", param="id")
    return FastJSONResponse(render_order(row[0]))


@router.get("/orders", summary="List orders (newest first), filtered, with cursors")
def list_orders(
    request: Request,
    customer_id: str | None = None,
    merchant_id: str | None = None,
    status: str | None = Query(None, description="short names, comma-separated: PAID,SHIPPED"),
    currency: str | None = None,
    created_after: str | None = None,
    created_before: str | None = None,
    amount_min: str | None = Query(None, description="decimal, currency units: 10.50"),
    amount_max: str | None = None,
    limit: int | None = None,
    offset: int | None = None,
    starting_after: str | None = None,
    ending_before: str | None = None,
) -> JSONResponse:
    where = order_filters(
        customer_id=customer_id, merchant_id=merchant_id, status=status, currency=currency,
        created_after=created_after, created_before=created_before, amount_min=amount_min,
        amount_max=amount_max,
    )
    n, skip = params.limit(limit), params.offset(offset)
    params.cursors(skip, starting_after, ending_before)
    cursor_id = starting_after if starting_after is not None else ending_before
    with connection(request) as conn:
        cursor = None
        if cursor_id is not None:
            found = conn.execute(
                "SELECT sequence FROM orders WHERE id = %s", (cursor_id,)
            ).fetchone()
            if found is None:
                param = "starting_after" if starting_after is not None else "ending_before"
                raise errors.ParameterInvalid(f"no order {cursor_id}", param=param)
            cursor = (found[0],)
        rows, total, has_more = page(
            conn, table="orders", columns="doc", key=("sequence",), where=where, limit=n,
            offset=skip, cursor_key=cursor, backwards=ending_before is not None,
        )
    return FastJSONResponse({
        "object": "list",
        "orders": [render_order(r[0]) for r in rows],
        "total_count": total,
        "has_more": has_more,
    })


def _payment(conn, payment_id: str) -> dict | None:
    row = conn.execute(
        "SELECT o.doc FROM payments p JOIN orders o ON o.id = p.order_id WHERE p.id = %s",
        (payment_id,),
    ).fetchone()
    if row is None:
        return None
    doc = row[0]
    for p in doc.get("payments", []):
        if p.get("id") == payment_id:
            return render_payment(p, doc)
    return None


@router.get("/payments/{payment_id}", summary="Get a payment")
def get_payment(request: Request, payment_id: str) -> dict:
    with connection(request) as conn:
        payment = _payment(conn, payment_id)
    if payment is None:
        raise errors.ResourceMissing(f"no payment {payment_id}", param="id")
    return payment


@router.get("/payments", summary="List payments (newest first), filtered, with cursors")
def list_payments(
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
    params.cursors(skip, starting_after, ending_before)
    cursor_id = starting_after if starting_after is not None else ending_before
    with connection(request) as conn:
        cursor = None
        if cursor_id is not None:
            found = conn.execute(
                "SELECT height, id FROM payments WHERE id = %s", (cursor_id,)
            ).fetchone()
            if found is None:
                param = "starting_after" if starting_after is not None else "ending_before"
                raise errors.ParameterInvalid(f"no payment {cursor_id}", param=param)
            cursor = tuple(found)
        rows, total, has_more = page(
            conn, table="payments p JOIN orders o ON o.id = p.order_id", columns="p.id, o.doc",
            key=("p.height", "p.id"), where=where, limit=n, offset=skip, cursor_key=cursor,
            backwards=ending_before is not None,
        )
    payments = []
    for payment_id, doc in rows:
        for p in doc.get("payments", []):
            if p.get("id") == payment_id:
                payments.append(render_payment(p, doc))
    return {"object": "list", "payments": payments, "total_count": total, "has_more": has_more}


@router.get("/accounts/{address}/balances", summary="An account's balances per denom")
def get_balances(request: Request, address: str) -> dict:
    with connection(request) as conn:
        rows = conn.execute(
            "SELECT denom, amount, height FROM balances WHERE address = %s AND amount > 0 "
            "ORDER BY denom",
            (address,),
        ).fetchall()
    return {
        "object": "balances",
        "address": address,
        "balances": [
            {"denom": d, "amount": base_units_str(int(a)), "amount_base_units": str(int(a)),
             "height": int(h)}
            for d, a, h in rows
        ],
    }
