"""``/v1/analytics/orders`` and CSV reports (``/v1/reports``), in exact decimal arithmetic.

Definitions (docs/api.md):

- an order belongs to the bucket (UTC day, ISO week starting Monday, or month) of its
  ``created_at``; buckets from ``start_date`` to ``end_date`` (inclusive) are all listed, empty
  ones with zeros;
- ``order_count``: the orders created in the bucket that pass the order list's filters
  (customer, merchant, statuses, currency, created after/before, amounts within the currency);
- ``revenue``: Σ (amount_paid − amount_refunded) of those orders: the money the orders kept;
- ``avg_order_value``: revenue / order_count, rounded half up to the base unit (6 decimals),
  "0.00" for an empty bucket.

PostgreSQL sums ``numeric`` base units (exact); the division happens in Python ``Decimal`` on the
integer sums.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from stateset_chain.api import errors, idempotency, params
from stateset_chain.api.app import (
    AnyKey,
    IdempotencyKey,
    RawBody,
    SecretKey,
    connection,
    replayed_headers,
)
from stateset_chain.api.fmt import base_units_str, iso
from stateset_chain.api.orders import order_filters
from stateset_chain.timefmt import format_iso8601_date
from stateset_chain.webhooks.endpoints import new_id

router = APIRouter(prefix="/v1")

GROUPS = ("day", "week", "month")
METRICS = ("count", "revenue", "avg_order_value")
REVENUE_SQL = "(amount_paid - amount_refunded)"
MAX_BUCKETS = 3700


def average(revenue: int, count: int) -> int:
    """Base units, half up."""
    if count == 0:
        return 0
    return int((Decimal(revenue) / Decimal(count)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def bucket_start(d: date, group_by: str) -> date:
    if group_by == "week":
        return d - timedelta(days=d.weekday())
    if group_by == "month":
        return d.replace(day=1)
    return d


def buckets(start: date, end: date, group_by: str) -> list[date]:
    out, d = [], bucket_start(start, group_by)
    while d <= end:
        out.append(d)
        if group_by == "day":
            d += timedelta(days=1)
        elif group_by == "week":
            d += timedelta(days=7)
        else:
            d = (d.replace(day=28) + timedelta(days=4)).replace(day=1)
        if len(out) > MAX_BUCKETS:
            raise errors.ParameterInvalid("too many buckets: narrow the range", param="end_date")
    return out


def parse_metrics(value: str | None) -> list[str]:
    if value is None:
        return list(METRICS)
    names = [m.strip() for m in value.split(",") if m.strip()]
    for name in names:
        if name not in METRICS:
            raise errors.ParameterInvalid(
                f"unknown metric {name!r}; one of {', '.join(METRICS)}", param="metrics"
            )
    return names or list(METRICS)


def _row(label: str, count: int, revenue: int, metrics: list[str], count_key: str) -> dict:
    out: dict = {"date": label}
    if "count" in metrics:
        out[count_key] = count
    if "revenue" in metrics:
        out["revenue"] = base_units_str(revenue)
    if "avg_order_value" in metrics:
        out["avg_order_value"] = base_units_str(average(revenue, count))
    return out


@router.get("/analytics/orders", summary="Order count, revenue and average value per period")
def order_analytics(
    request: Request,
    start_date: str,
    end_date: str,
    group_by: str = "day",
    metrics: str | None = None,
    merchant_id: str | None = None,
    currency: str | None = None,
    status: str | None = None,
    customer_id: str | None = None,
    created_after: str | None = None,
    created_before: str | None = None,
    amount_min: str | None = None,
    amount_max: str | None = None,
) -> dict:
    start, end = params.day(start_date, "start_date"), params.day(end_date, "end_date")
    assert start is not None and end is not None
    if end < start:
        raise errors.ParameterInvalid("end_date is before start_date", param="end_date")
    if group_by not in GROUPS:
        raise errors.ParameterInvalid(f"group_by must be one of {', '.join(GROUPS)}", "group_by")
    wanted = parse_metrics(metrics)
    labels = buckets(start, end, group_by)
    # the order list's filters, as GET /v1/orders reads them (the dashboard's chart follows its
    # table this way); the buckets' day range comes on top
    where = order_filters(
        customer_id=customer_id,
        merchant_id=merchant_id,
        status=status,
        currency=currency,
        created_after=created_after,
        created_before=created_before,
        amount_min=amount_min,
        amount_max=amount_max,
    )
    midnight = datetime.min.time()
    where.add("created_at >= %s", datetime.combine(start, midnight, UTC))
    where.add("created_at < %s", datetime.combine(end + timedelta(days=1), midnight, UTC))
    with connection(request) as conn:
        rows = conn.execute(
            f"SELECT date_trunc('{group_by}', created_at AT TIME ZONE 'UTC')::date AS b, "
            f"count(*), coalesce(sum({REVENUE_SQL}), 0) FROM orders WHERE {where.sql()} "
            "GROUP BY b",
            where.args,
        ).fetchall()
    sums = {b: (int(c), int(r)) for b, c, r in rows}
    data = [
        _row(format_iso8601_date(b), *sums.get(b, (0, 0)), wanted, "order_count") for b in labels
    ]
    total_count = sum(c for c, _ in sums.values())
    total_revenue = sum(r for _, r in sums.values())
    summary: dict = {}
    if "count" in wanted:
        summary["total_orders"] = total_count
    if "revenue" in wanted:
        summary["total_revenue"] = base_units_str(total_revenue)
    if "avg_order_value" in wanted:
        summary["avg_order_value"] = base_units_str(average(total_revenue, total_count))
    return {
        "object": "analytics",
        "group_by": group_by,
        "start_date": format_iso8601_date(start),
        "end_date": format_iso8601_date(end),
        "data": data,
        "summary": summary,
    }


# --- reports --------------------------------------------------------------------------------

REPORT_TYPES = ("orders", "orders_summary")
ORDER_COLUMNS = {
    "id": "id",
    "created_at": "created_at",
    "status": "status",
    "payment_status": "payment_status",
    "customer_id": "customer",
    "merchant_id": "merchant",
    "currency": "currency",
    "total": "total",
    "amount_paid": "amount_paid",
    "amount_refunded": "amount_refunded",
}
MONEY_COLUMNS = {"total", "amount_paid", "amount_refunded"}
DIMENSIONS = {
    "day": "(date_trunc('day', created_at AT TIME ZONE 'UTC')::date)",
    "week": "(date_trunc('week', created_at AT TIME ZONE 'UTC')::date)",
    "month": "(date_trunc('month', created_at AT TIME ZONE 'UTC')::date)",
    "status": "status",
    "merchant_id": "merchant",
    "customer_id": "customer",
    "currency": "currency",
}
FILTERS = (
    "customer_id",
    "merchant_id",
    "status",
    "currency",
    "created_after",
    "created_before",
    "amount_min",
    "amount_max",
)
MAX_REPORT_ROWS = 1_000_000


class ReportRequest(BaseModel):
    type: str = Field(description="orders (one row per order) or orders_summary (grouped)")
    filters: dict[str, str] = Field(default_factory=dict, description="as GET /v1/orders")
    dimensions: list[str] = Field(default_factory=list)
    metrics: list[str] = Field(default_factory=list)
    format: str = "csv"


def render_report(conn, req: ReportRequest) -> tuple[str, int]:
    """The CSV text and its number of data rows."""
    if req.type not in REPORT_TYPES:
        raise errors.ParameterInvalid(f"type must be one of {', '.join(REPORT_TYPES)}", "type")
    if req.format != "csv":
        raise errors.ParameterInvalid("format must be csv", param="format")
    for name in req.filters:
        if name not in FILTERS:
            raise errors.ParameterInvalid(f"unknown filter {name!r}", param=f"filters.{name}")
    where = order_filters(**req.filters)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    if req.type == "orders":
        columns = req.dimensions or list(ORDER_COLUMNS)
        for c in columns:
            if c not in ORDER_COLUMNS:
                raise errors.ParameterInvalid(f"unknown column {c!r}", param="dimensions")
        if req.metrics:
            raise errors.ParameterInvalid("an orders report takes no metrics", param="metrics")
        w.writerow(columns)
        sql_cols = ", ".join(ORDER_COLUMNS[c] for c in columns)
        rows = conn.execute(
            f"SELECT {sql_cols} FROM orders WHERE {where.sql()} ORDER BY sequence LIMIT %s",
            [*where.args, MAX_REPORT_ROWS],
        ).fetchall()
        for row in rows:
            w.writerow([_cell(c, v) for c, v in zip(columns, row, strict=True)])
        return out.getvalue(), len(rows)
    for d in req.dimensions:
        if d not in DIMENSIONS:
            raise errors.ParameterInvalid(f"unknown dimension {d!r}", param="dimensions")
    metrics = req.metrics or list(METRICS)
    for m in metrics:
        if m not in METRICS:
            raise errors.ParameterInvalid(f"unknown metric {m!r}", param="metrics")
    dims = [DIMENSIONS[d] for d in req.dimensions]
    select = ", ".join([*dims, "count(*)", f"coalesce(sum({REVENUE_SQL}), 0)"])
    group = f"GROUP BY {', '.join(dims)} ORDER BY {', '.join(dims)}" if dims else ""
    rows = conn.execute(f"SELECT {select} FROM orders WHERE {where.sql()} {group}", where.args)
    w.writerow([*req.dimensions, *metrics])
    n = 0
    for row in rows.fetchall():
        *keys, count, revenue = row
        values = {
            "count": str(count),
            "revenue": base_units_str(int(revenue)),
            "avg_order_value": base_units_str(average(int(revenue), int(count))),
        }
        w.writerow(
            [
                *(format_iso8601_date(k) if isinstance(k, date) else k for k in keys),
                *(values[m] for m in metrics),
            ]
        )
        n += 1
    return out.getvalue(), n


def _cell(column: str, value) -> str:
    if column in MONEY_COLUMNS:
        return base_units_str(int(value))
    if isinstance(value, datetime):
        return iso(value) or ""
    return str(value)


def _report_json(report_id: str, livemode: bool, request: dict, rows: int, created) -> dict:
    return {
        "id": report_id,
        "object": "report",
        "status": "succeeded",
        "livemode": livemode,
        "type": request.get("type"),
        "format": request.get("format", "csv"),
        "row_count": rows,
        "download_url": f"/v1/reports/{report_id}/download",
        "created_at": iso(created),
    }


@router.post("/reports", status_code=201, summary="Create a CSV report (synchronously)")
def create_report(
    request: Request,
    body: ReportRequest,
    key: SecretKey,
    raw: RawBody,
    idempotency_key: IdempotencyKey = None,
):
    def handler(conn) -> tuple[int, dict]:
        text, rows = render_report(conn, body)
        report_id = new_id("rpt_")
        created = conn.execute(
            "INSERT INTO reports (id, livemode, request, row_count, body) "
            "VALUES (%s, %s, %s, %s, %s) RETURNING created_at",
            (report_id, key.livemode, json.dumps(body.model_dump()), rows, text),
        ).fetchone()[0]
        return 201, _report_json(report_id, key.livemode, body.model_dump(), rows, created)

    with connection(request) as conn:
        status, answer, replayed = idempotency.run(
            conn, key, idempotency_key, "POST", request.url.path, raw, handler
        )
    return JSONResponse(answer, status_code=status, headers=replayed_headers(replayed))


@router.get("/reports/{report_id}", summary="Get a report")
def get_report(request: Request, report_id: str, key: AnyKey) -> dict:
    with connection(request) as conn:
        row = conn.execute(
            "SELECT request, row_count, created_at FROM reports WHERE id = %s AND livemode = %s",
            (report_id, key.livemode),
        ).fetchone()
    if row is None:
        raise errors.ResourceMissing(f"no report {report_id}", param="id")
    return _report_json(report_id, key.livemode, row[0], row[1], row[2])


@router.get(
    "/reports/{report_id}/download", summary="Download a report's CSV", response_class=Response
)
def download_report(request: Request, report_id: str, key: AnyKey):
    with connection(request) as conn:
        row = conn.execute(
            "SELECT body FROM reports WHERE id = %s AND livemode = %s", (report_id, key.livemode)
        ).fetchone()
    if row is None:
        raise errors.ResourceMissing(f"no report {report_id}", param="id")
    return Response(
        row[0],
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{report_id}.csv"'},
    )
