"""Every list filter, both cursors and the analytics against a brute-force computation over the
same orders in Python (Hypothesis draws the orders and the queries), and analytics against a
direct SQL sum."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api import factory

CUSTOMERS = ["cust_a", "cust_b", "cust_c"]
MERCHANTS = ["m_1", "m_2"]
SPAN_HOURS = 24 * 40

order_st = st.builds(
    lambda c, m, s, total, hours, cur, refund: (c, m, s, total, hours, cur, refund),
    st.sampled_from(CUSTOMERS),
    st.sampled_from(MERCHANTS),
    st.sampled_from(factory.STATUSES),
    st.integers(1, 5_000_000_000),
    st.integers(0, SPAN_HOURS),
    st.sampled_from(["usd", "usdc"]),
    st.integers(0, 3),
)


def amount_text(base: int) -> str:
    return format(Decimal(base).scaleb(-6).normalize(), "f")


query_st = st.fixed_dictionaries(
    {},
    optional={
        "customer_id": st.sampled_from(CUSTOMERS),
        "merchant_id": st.sampled_from(MERCHANTS),
        "status": st.lists(st.sampled_from(factory.STATUSES), min_size=1, max_size=3, unique=True),
        "created_after": st.integers(0, SPAN_HOURS),
        "created_before": st.integers(0, SPAN_HOURS),
        "amount_min": st.integers(0, 5_000_000_000),
        "amount_max": st.integers(0, 5_000_000_000),
        "currency": st.sampled_from(["usd", "USDC", "EUR", "eur"]),
    },
)

# Orders priced in several currencies: dollars (``usd``, ``usdc``) and a fiat currency (``EUR``,
# stored upper-case, paid in a stablecoin); amounts compare within the one named currency.
CURRENCIES = ["usd", "usdc", "EUR"]


def amount_refused(q: dict) -> bool:
    """An amount filter without a currency is refused: amounts of different currencies do not
    compare."""
    return ("amount_min" in q or "amount_max" in q) and "currency" not in q


@pytest.fixture(scope="module")
def seeded(pg_cluster):
    """One database of drawn orders for the whole module (drawn once, deterministically)."""
    import random

    import psycopg

    from stateset_chain.readside.db import migrate

    url = pg_cluster.create_database("api_bruteforce")
    migrate(url)
    rng = random.Random(11)
    orders = []
    with psycopg.connect(url, autocommit=True) as conn:
        created = factory.EPOCH
        for seq in range(1, 301):
            created += timedelta(minutes=rng.randint(0, 300))
            status = rng.choice(factory.STATUSES)
            total = rng.choice([rng.randint(1, 10**10), rng.randint(1, 100) * 10**6])
            o = factory.paid_order(
                seq,
                rng.choice(CUSTOMERS),
                rng.choice(MERCHANTS),
                status,
                total,
                created,
                rng.choice(CURRENCIES),
                refunded=rng.choice([0, 0, total // 3]),
            )
            factory.insert(conn, o)
            orders.append(o)
    from stateset_chain.api.app import ApiConfig
    from tests.api.conftest import ApiServer

    server = ApiServer(ApiConfig(db_url=url, run_worker=False, rate=0))
    yield server, orders, url
    server.stop()


def to_params(q: dict) -> dict:
    p = {}
    for k, v in q.items():
        if k == "status":
            p[k] = ",".join(s.lower() if i % 2 else s for i, s in enumerate(v))
        elif k in ("created_after", "created_before"):
            p[k] = (factory.EPOCH + timedelta(hours=v)).isoformat().replace("+00:00", "Z")
        elif k in ("amount_min", "amount_max"):
            p[k] = amount_text(v)
        else:
            p[k] = v
    return p


def brute(orders, q: dict) -> list:
    out = []
    for o in orders:
        if "customer_id" in q and o.customer != q["customer_id"]:
            continue
        if "merchant_id" in q and o.merchant != q["merchant_id"]:
            continue
        if "status" in q and o.status not in q["status"]:
            continue
        if "currency" in q and o.currency.lower() != q["currency"].lower():
            continue
        if "created_after" in q and not o.created_at > factory.EPOCH + timedelta(
            hours=q["created_after"]
        ):
            continue
        if "created_before" in q and not o.created_at < factory.EPOCH + timedelta(
            hours=q["created_before"]
        ):
            continue
        if "amount_min" in q and o.total < q["amount_min"]:
            continue
        if "amount_max" in q and o.total > q["amount_max"]:
            continue
        out.append(o)
    return sorted(out, key=lambda o: -o.sequence)


SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(q=query_st, limit=st.integers(1, 100), offset=st.integers(0, 40))
def test_list_filters_match_brute_force(seeded, q, limit, offset):
    api, orders, _ = seeded
    r = api.get("/v1/orders", params={**to_params(q), "limit": limit, "offset": offset})
    if amount_refused(q):
        assert r.status_code == 400, r.text
        assert r.json()["error"]["code"] == "parameter_missing"
        assert r.json()["error"]["param"] == "currency"
        return
    want = brute(orders, q)
    assert r.status_code == 200, r.text
    page = r.json()
    assert page["total_count"] == len(want)
    assert [o["id"] for o in page["orders"]] == [o.id for o in want[offset : offset + limit]]
    assert page["has_more"] == (offset + limit < len(want))
    for got, o in zip(page["orders"], want[offset : offset + limit], strict=True):
        assert got["total"] == factory_amount(o.total)
        assert got["status"] == o.status and got["customer_id"] == o.customer


def factory_amount(base: int) -> str:
    whole, frac = divmod(base, 10**6)
    return f"{whole}.{f'{frac:06d}'.rstrip('0').ljust(2, '0')}"


@SETTINGS
@given(q=query_st, limit=st.integers(1, 30), start=st.integers(0, 299), forward=st.booleans())
def test_cursors_match_brute_force_both_ways(seeded, q, limit, start, forward):
    api, orders, _ = seeded
    if amount_refused(q):
        q = {**q, "currency": "usd"}
    want = brute(orders, q)
    cursor = sorted(orders, key=lambda o: -o.sequence)[start]
    key = "starting_after" if forward else "ending_before"
    page = api.get("/v1/orders", params={**to_params(q), "limit": limit, key: cursor.id}).json()
    if forward:
        rest = [o for o in want if o.sequence < cursor.sequence]
        expect = rest[:limit]
    else:
        rest = [o for o in want if o.sequence > cursor.sequence]
        expect = rest[-limit:] if rest else []
    assert [o["id"] for o in page["orders"]] == [o.id for o in expect]
    assert page["has_more"] == (len(rest) > limit)
    assert page["total_count"] == len(want)


def _bucket(t: datetime, group_by: str):
    d = t.astimezone(UTC).date()
    if group_by == "week":
        return d - timedelta(days=d.weekday())
    if group_by == "month":
        return d.replace(day=1)
    return d


def _avg(rev: int, n: int) -> int:
    if n == 0:
        return 0
    return int((Decimal(rev) / n).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@SETTINGS
@given(
    start=st.integers(0, 40),
    days=st.integers(0, 45),
    group_by=st.sampled_from(["day", "week", "month"]),
    q=query_st,
)
def test_analytics_match_brute_force(seeded, start, days, group_by, q):
    """Every filter of the order list (customer, merchant, statuses, currency in any case,
    created after/before, amounts within the currency) narrows the analytics as it narrows the
    list: the dashboard's chart follows its table through them."""
    api, orders, _ = seeded
    d0 = factory.EPOCH.date() + timedelta(days=start)
    d1 = d0 + timedelta(days=days)
    params = {
        "start_date": d0.isoformat(),
        "end_date": d1.isoformat(),
        "group_by": group_by,
        **to_params(q),
    }
    r = api.get("/v1/analytics/orders", params=params)
    if amount_refused(q):
        assert r.status_code == 400, r.text
        assert r.json()["error"]["param"] == "currency"
        return
    assert r.status_code == 200, r.text
    body = r.json()
    sums: dict = {}
    for o in brute(orders, q):
        if not d0 <= o.created_at.date() <= d1:
            continue
        b = _bucket(o.created_at, group_by)
        n, rev = sums.get(b, (0, 0))
        sums[b] = (n + 1, rev + o.amount_paid - o.amount_refunded)
    got = {row["date"]: row for row in body["data"]}
    assert len(got) == len(body["data"])
    for b, (n, rev) in sums.items():
        row = got[b.isoformat()]
        assert row["order_count"] == n
        assert row["revenue"] == factory_amount(rev)
        assert row["avg_order_value"] == factory_amount(_avg(rev, n))
    assert sum(row["order_count"] for row in body["data"]) == sum(n for n, _ in sums.values())
    total_n = sum(n for n, _ in sums.values())
    total_rev = sum(r for _, r in sums.values())
    assert body["summary"] == {
        "total_orders": total_n,
        "total_revenue": factory_amount(total_rev),
        "avg_order_value": factory_amount(_avg(total_rev, total_n)),
    }


def test_analytics_revenue_equals_a_direct_sql_sum(seeded):
    import psycopg

    api, _, url = seeded
    body = api.get(
        "/v1/analytics/orders",
        params={
            "start_date": "2026-01-01",
            "end_date": "2026-03-31",
            "group_by": "month",
            "metrics": "count,revenue",
        },
    ).json()
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT to_char(date_trunc('month', created_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD'), "
            "count(*), sum(amount_paid_decimal - amount_refunded_decimal)::text FROM orders "
            "WHERE created_at >= '2026-01-01' AND created_at < '2026-04-01' GROUP BY 1"
        ).fetchall()
    sql = {d: (n, Decimal(rev)) for d, n, rev in rows}
    for row in body["data"]:
        n, rev = sql.get(row["date"], (0, Decimal(0)))
        assert row["order_count"] == n
        assert Decimal(row["revenue"]) == rev
        assert "avg_order_value" not in row
    assert Decimal(body["summary"]["total_revenue"]) == sum(r for _, r in sql.values())


payment_query_st = st.fixed_dictionaries(
    {},
    optional={
        "payer": st.sampled_from(CUSTOMERS),
        "created_after": st.integers(0, SPAN_HOURS),
        "created_before": st.integers(0, SPAN_HOURS),
    },
)


@SETTINGS
@given(
    q=payment_query_st,
    limit=st.integers(1, 100),
    start=st.none() | st.integers(0, 200),
    forward=st.booleans(),
    by_order=st.booleans(),
)
def test_payment_list_matches_brute_force(seeded, q, limit, start, forward, by_order):
    api, orders, _ = seeded
    payments = [(int(p["height"]), p["id"], p, o) for o in orders for p in o.payments]
    payments.sort(key=lambda x: (x[0], x[1]), reverse=True)
    params = dict(q)
    for k in ("created_after", "created_before"):
        if k in params:
            params[k] = (factory.EPOCH + timedelta(hours=params[k])).isoformat()
    if by_order:
        params["order_id"] = payments[len(payments) // 2][3].id

    def keep(x) -> bool:
        height, _, p, o = x
        t = datetime.fromisoformat(p["time"])
        if "payer" in q and p["payer"] != q["payer"]:
            return False
        if "created_after" in q and not t > factory.EPOCH + timedelta(hours=q["created_after"]):
            return False
        if "created_before" in q and not t < factory.EPOCH + timedelta(hours=q["created_before"]):
            return False
        return not (by_order and o.id != params["order_id"])

    want = [x for x in payments if keep(x)]
    if start is not None and start < len(payments):
        cursor = payments[start]
        key = (cursor[0], cursor[1])
        params["starting_after" if forward else "ending_before"] = cursor[1]
        if forward:
            rest = [x for x in want if (x[0], x[1]) < key]
            expect, more = rest[:limit], len(rest) > limit
        else:
            rest = [x for x in want if (x[0], x[1]) > key]
            expect, more = rest[-limit:], len(rest) > limit
    else:
        expect, more = want[:limit], len(want) > limit
    page = api.get("/v1/payments", params={**params, "limit": limit}).json()
    assert page["total_count"] == len(want)
    assert [p["id"] for p in page["payments"]] == [x[1] for x in expect]
    assert page["has_more"] == more
    for got, x in zip(page["payments"], expect, strict=True):
        assert got["order_id"] == x[3].id and got["payer"] == x[2]["payer"]
        assert got["amount"] == factory_amount(int(x[2]["amount"]))
