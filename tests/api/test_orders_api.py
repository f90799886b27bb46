"""The Orders API against PostgreSQL: get, list with every filter, cursors both ways, errors."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.api import factory


@pytest.fixture
def client(api):
    return api


def test_get_order_renders_the_documents_shape(client, conn):
    o = factory.paid_order(1, "cust1", "merch1", "SHIPPED", 1_096_470_000, factory.EPOCH)
    factory.insert(conn, o)
    r = client.get(f"/v1/orders/{o.id}")
    assert r.status_code == 200
    body = r.json()
    assert body["id"] == o.id and body["status"] == "SHIPPED"
    assert body["customer_id"] == "cust1"
    assert body["payment"]["amount"] == "1096.47"
    assert body["items"][0]["total_price"] == "1096.47"
    assert body["shipping"]["carrier"] == "UPS"
    assert [t["status"] for t in body["timeline"]] == ["CREATED", "SHIPPED"]


def test_stored_json_is_byte_for_byte_the_rendering(client, conn):
    """get order and the list return ``orders.api_json`` as stored (even sequences here) or, for
    a row without it (odd), the rendering of ``doc``: either way the bytes and headers that
    ``FastJSONResponse`` writes for ``render_order(doc)``."""
    from stateset_chain.readside import jsoncodec
    from stateset_chain.readside.render import render_order

    orders = [factory.paid_order(i, "cust1", "merch1", s, 10**6 * i, factory.EPOCH)
              for i, s in enumerate(["SHIPPED", "PAID", "CREATED"], start=1)]
    for o in orders:
        factory.insert(conn, o)
    stored = dict(conn.execute("SELECT id, api_json IS NOT NULL FROM orders").fetchall())
    assert sorted(stored.values()) == [False, False, True]
    rendered = {o.id: render_order(o.doc()) for o in orders}
    for o in orders:
        r = client.get(f"/v1/orders/{o.id}")
        assert r.content == jsoncodec.dumps(rendered[o.id])
        assert r.headers["content-type"] == "application/json"
        assert int(r.headers["content-length"]) == len(r.content)
    for query in ("", "?status=PAID,SHIPPED", "?customer_id=cust1&limit=2"):
        r = client.get(f"/v1/orders{query}")
        page = r.json()
        assert r.content == jsoncodec.dumps(page)
        assert page["orders"] == [rendered[o["id"]] for o in page["orders"]]


def test_amounts_compare_within_the_named_currency(client, conn):
    """Amounts of different currencies do not compare: amount_min/amount_max need currency, and
    then compare each order's total in that currency."""
    for i, (currency, total) in enumerate([("usd", 50), ("EUR", 50), ("usdc", 5), ("EUR", 5)],
                                          start=1):
        factory.insert(conn, factory.paid_order(i, "c", "m", "PAID", total * 10**6,
                                                factory.EPOCH, currency))
    r = client.get("/v1/orders?amount_min=10")
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "parameter_missing"
    assert r.json()["error"]["param"] == "currency"
    page = client.get("/v1/orders?amount_min=10&currency=eur").json()
    assert [o["id"] for o in page["orders"]] == ["ord_0000000002"]
    assert page["total_count"] == 1
    page = client.get("/v1/orders?amount_max=10&currency=USDC").json()
    assert [o["id"] for o in page["orders"]] == ["ord_0000000003"]
    page = client.get("/v1/orders?currency=EUR").json()  # the currency alone, counted
    assert page["total_count"] == 2


def test_order_counts_follow_every_write_of_orders(conn):
    """``order_counts`` (the list's total_count of merchant/status/currency filters) is kept by
    triggers, in the writer's transaction: insert, update, delete, truncate."""

    def check():
        counts = conn.execute(
            "SELECT merchant, status, currency, n FROM order_counts WHERE n <> 0 "
            "ORDER BY 1, 2, 3").fetchall()
        assert counts == conn.execute(
            "SELECT merchant, status, currency, count(*) FROM orders GROUP BY 1, 2, 3 "
            "ORDER BY 1, 2, 3").fetchall()
        return counts

    for i in range(1, 13):
        factory.insert(conn, factory.paid_order(
            i, "c", f"m{i % 3}", factory.STATUSES[i % 4], 10**6, factory.EPOCH,
            ["usd", "EUR"][i % 2]))
    assert sum(n for *_, n in check()) == 12
    conn.execute("UPDATE orders SET status = 'REFUNDED' WHERE sequence % 4 = 1")
    check()
    with conn.transaction():
        conn.execute("UPDATE orders SET merchant = 'm9' WHERE sequence < 5")
        conn.execute("DELETE FROM orders WHERE sequence > 10")
    assert sum(n for *_, n in check()) == 10
    with pytest.raises(RuntimeError, match="abort"), conn.transaction():  # rolled back
        conn.execute("DELETE FROM orders")
        raise RuntimeError("abort")
    assert sum(n for *_, n in check()) == 10
    conn.execute("TRUNCATE orders CASCADE")
    assert check() == []


def test_missing_order_is_resource_missing(client):
    r = client.get("/v1/orders/ord_nope")
    assert r.status_code == 404
    assert r.json() == {"error": {"type": "invalid_request_error", "code": "resource_missing",
                                  "message": "no order ord_nope", "param": "id"}}


@pytest.mark.parametrize("query,param,code", [
    ("limit=0", "limit", "parameter_invalid"),
    ("limit=101", "limit", "parameter_invalid"),
    ("limit=abc", "limit", "parameter_invalid"),
    ("offset=-1", "offset", "parameter_invalid"),
    ("status=PENDINGX", "status", "parameter_invalid"),
    ("amount_min=1.1234567", "amount_min", "parameter_invalid"),
    ("amount_max=-5", "amount_max", "parameter_invalid"),
    ("created_after=yesterday", "created_after", "parameter_invalid"),
    ("created_after=2026-12-01T10:00:00", "created_after", "parameter_invalid"),  # no zone
    ("created_before=253402300800", "created_before", "parameter_invalid"),  # after 9999
    ("created_before=2026-02-30", "created_before", "parameter_invalid"),
    ("starting_after=a&ending_before=b", "ending_before", "parameters_exclusive"),
    ("offset=3&starting_after=a", "offset", "parameters_exclusive"),
    ("starting_after=ord_unknown", "starting_after", "parameter_invalid"),
])
def test_bad_list_parameters_name_the_parameter(client, query, param, code):
    r = client.get(f"/v1/orders?{query}")
    assert r.status_code == 400, r.text
    err = r.json()["error"]
    assert (err["code"], err["param"]) == (code, param)


def test_a_time_filter_reads_every_spelling_of_one_instant_alike(client, conn):
    for seq in range(1, 6):
        factory.insert(conn, factory.paid_order(seq, "c", "m", "PAID", seq * 1_000_000,
                                                factory.EPOCH + timedelta(hours=seq)))
    at = factory.EPOCH + timedelta(hours=2)
    spellings = [f"{int(at.timestamp())}", "2026-01-01T02:00:00Z", "2026-01-01T03:00:00+01:00",
                 "2026-01-01T02:00:00.000000000Z"]
    pages = [client.get("/v1/orders", params={"created_after": t}) for t in spellings]
    ids = [[o["id"] for o in r.json()["orders"]] for r in pages]
    assert len(ids[0]) == 3
    assert all(i == ids[0] for i in ids)
    day = client.get("/v1/orders?created_before=2026-01-01").json()
    assert day["total_count"] == 0


def test_unknown_route_and_method_have_the_error_shape(client):
    r = client.get("/v1/nothing")
    assert r.status_code == 404 and r.json()["error"]["code"] == "route_missing"
    r = client.put("/v1/orders/x")
    assert r.status_code == 405 and r.json()["error"]["code"] == "method_not_allowed"


def test_cursor_pagination_walks_both_ways(client, conn):
    for seq in range(1, 26):
        factory.insert(conn, factory.paid_order(seq, "c", "m", "PAID", seq * 1_000_000,
                                                factory.EPOCH + timedelta(hours=seq)))
    seen, cursor = [], None
    while True:
        q = "limit=7" + (f"&starting_after={cursor}" if cursor else "")
        page = client.get(f"/v1/orders?{q}").json()
        assert page["total_count"] == 25
        seen += [o["id"] for o in page["orders"]]
        if not page["has_more"]:
            break
        cursor = page["orders"][-1]["id"]
    assert seen == [f"ord_{s:010d}" for s in range(25, 0, -1)]
    back, cursor = [], seen[-1]
    while True:
        page = client.get(f"/v1/orders?limit=4&ending_before={cursor}").json()
        back = [o["id"] for o in page["orders"]] + back
        if not page["has_more"]:
            break
        cursor = page["orders"][0]["id"]
    assert back == seen[:-1]


def test_payments_and_balances(client, conn):
    o = factory.paid_order(3, "payerA", "m", "PAID", 25_000_000, factory.EPOCH)
    factory.insert(conn, o)
    factory.insert(conn, factory.paid_order(4, "payerB", "m", "PAID", 5_000_000, factory.EPOCH))
    r = client.get("/v1/payments/pay_0000000003").json()
    assert (r["order_id"], r["payer"], r["amount"]) == (o.id, "payerA", "25.00")
    listed = client.get("/v1/payments?payer=payerB").json()
    assert listed["total_count"] == 1 and listed["payments"][0]["amount"] == "5.00"
    listed = client.get(f"/v1/payments?order_id={o.id}").json()
    assert [p["id"] for p in listed["payments"]] == ["pay_0000000003"]
    assert client.get("/v1/payments/pay_x").json()["error"]["code"] == "resource_missing"
    conn.execute("INSERT INTO balances (address, denom, amount, height) VALUES "
                 "('addr1', 'ussusd', 1500000, 7), ('addr1', 'uusdc', 1, 8)")
    b = client.get("/v1/accounts/addr1/balances").json()
    assert b["balances"] == [
        {"denom": "ussusd", "amount": "1.50", "amount_base_units": "1500000", "height": 7},
        {"denom": "uusdc", "amount": "0.000001", "amount_base_units": "1", "height": 8},
    ]


def test_the_get_order_fast_path_answers_as_the_route(db_url, conn):
    """The middleware's get-order fast path (``fast_get_order``) and the FastAPI route give the
    same status, headers and bytes, found or not, whatever the id; and the same metrics."""
    from stateset_chain.api.app import ApiConfig
    from tests.api.conftest import ApiServer

    for i in (1, 2):  # one with stored JSON, one rendered from doc
        factory.insert(conn, factory.paid_order(i, "c", "m", "SHIPPED", 10**6, factory.EPOCH))
    fast = ApiServer(ApiConfig(db_url=db_url, run_worker=False))
    slow = ApiServer(ApiConfig(db_url=db_url, run_worker=False, fast_get_order=False))
    try:
        for path in ("/v1/orders/ord_0000000001", "/v1/orders/ord_0000000002",
                     "/v1/orders/ord_missing", "/v1/orders/ord%20x", "/v1/orders/%C3%A9",
                     "/v1/orders/ord_0000000001?expand=x", "/v1/orders/ord_0000000001/"):
            a, b = fast.get(path, allow_redirects=False), slow.get(path, allow_redirects=False)
            assert (a.status_code, a.content) == (b.status_code, b.content), path
            skip = {"date", "server"}  # (a redirect's location names its own server)
            assert ([(k, v.replace(fast.url, "")) for k, v in a.headers.items()
                     if k.lower() not in skip]
                    == [(k, v.replace(slow.url, "")) for k, v in b.headers.items()
                        if k.lower() not in skip]), path
        metric = 'api_requests_total{method="GET",route="/v1/orders/{order_id}",status="200"}'
        assert f"{metric} 3.0" in fast.get("/metrics").text
        assert f"{metric} 3.0" in slow.get("/metrics").text
    finally:
        fast.stop()
        slow.stop()
