"""``GET /v1/webhooks`` and ``GET /v1/webhooks/{id}/deliveries`` page like the orders list:
newest first, ``limit`` 1..100, ``starting_after`` / ``ending_before`` cursors both ways,
``has_more`` and ``total_count``; each walk is checked against the table read directly."""

from __future__ import annotations

import pytest

from stateset_chain.api.app import ApiConfig
from stateset_chain.api.keys import create_key
from stateset_chain.webhooks.delivery import DeliveryConfig
from tests.api.conftest import ApiServer


@pytest.fixture
def server(db_url):
    s = ApiServer(ApiConfig(db_url=db_url, run_worker=False, rate=0,
                            delivery=DeliveryConfig(allow_private=True)))
    yield s
    s.stop()


def bearer(key: str) -> dict:
    return {"Authorization": f"Bearer {key}"}


def walk_forward(get, limit: int) -> list[list]:
    """Pages from the newest, each after the last item of the previous one."""
    pages, cursor = [], None
    while True:
        params = {"limit": limit, **({"starting_after": cursor} if cursor is not None else {})}
        body = get(params)
        pages.append([d["id"] for d in body["data"]])
        if not body["has_more"]:
            return pages
        cursor = body["data"][-1]["id"]


def walk_backward(get, limit: int, oldest) -> list[list]:
    """Pages from the oldest item towards the newest, each before the first of the previous."""
    pages, cursor = [], oldest
    while True:
        body = get({"limit": limit, "ending_before": cursor})
        pages.append([d["id"] for d in body["data"]])
        if not body["has_more"]:
            return pages
        cursor = body["data"][0]["id"]


def check_walks(get, expected: list, limit: int) -> None:
    forward = walk_forward(get, limit)
    assert [i for p in forward for i in p] == expected
    assert all(len(p) == limit for p in forward[:-1]) and 0 < len(forward[-1]) <= limit
    backward = walk_backward(get, limit, expected[-1])
    # newer pages, each still newest first; together they are everything before the oldest
    assert [i for p in reversed(backward) for i in p] == expected[:-1]
    assert all(len(p) == limit for p in backward[:-1])
    assert get({"limit": limit})["total_count"] == len(expected)


def test_webhook_endpoints_page_both_ways(server, conn):
    _, key = create_key(conn, kind="secret", livemode=False)
    _, live = create_key(conn, kind="secret", livemode=True)
    h = bearer(key)
    made = [server.post("/v1/webhooks", headers=h,
                        json={"url": f"http://127.0.0.1:9/h{i}", "events": ["*"]}).json()["id"]
            for i in range(8)]
    server.post("/v1/webhooks", headers=bearer(live),
                json={"url": "http://127.0.0.1:9/live", "events": ["*"]})
    gone = made.pop(3)
    assert server.delete(f"/v1/webhooks/{gone}", headers=h).status_code == 200
    expected = [r[0] for r in conn.execute(
        "SELECT id FROM webhook_endpoints WHERE livemode = false AND deleted_at IS NULL "
        "ORDER BY created_at DESC, id DESC").fetchall()]
    assert sorted(expected) == sorted(made)

    def get(params):
        r = server.get("/v1/webhooks", headers=h, params=params)
        assert r.status_code == 200, r.text
        return r.json()

    for limit in (1, 3, 7, 100):
        check_walks(get, expected, limit)
    first = get({})
    assert [d["id"] for d in first["data"]] == expected and first["has_more"] is False
    assert "secret" not in first["data"][0]


@pytest.mark.parametrize("params,code,param", [
    ({"limit": 0}, "parameter_invalid", "limit"),
    ({"limit": 101}, "parameter_invalid", "limit"),
    ({"starting_after": "we_nope"}, "parameter_invalid", "starting_after"),
    ({"ending_before": "we_nope"}, "parameter_invalid", "ending_before"),
    ({"starting_after": "a", "ending_before": "b"}, "parameters_exclusive", "ending_before"),
])
def test_webhook_list_parameters_are_checked(server, conn, params, code, param):
    _, key = create_key(conn, kind="secret", livemode=False)
    r = server.get("/v1/webhooks", headers=bearer(key), params=params)
    assert r.status_code == 400
    assert r.json()["error"]["code"] == code and r.json()["error"]["param"] == param


def test_a_cursor_of_the_other_mode_is_unknown(server, conn):
    _, key = create_key(conn, kind="secret", livemode=False)
    _, live = create_key(conn, kind="secret", livemode=True)
    theirs = server.post("/v1/webhooks", headers=bearer(live),
                         json={"url": "http://127.0.0.1:9/x", "events": ["*"]}).json()["id"]
    r = server.get("/v1/webhooks", headers=bearer(key), params={"starting_after": theirs})
    assert r.status_code == 400 and r.json()["error"]["param"] == "starting_after"


def test_deliveries_page_both_ways(server, conn):
    _, key = create_key(conn, kind="secret", livemode=False)
    h = bearer(key)
    ep = server.post("/v1/webhooks", headers=h,
                     json={"url": "http://127.0.0.1:9/d", "events": ["*"]}).json()["id"]
    other = server.post("/v1/webhooks", headers=h,
                        json={"url": "http://127.0.0.1:9/o", "events": ["*"]}).json()["id"]
    for i in range(11):
        for endpoint in (ep, other):
            conn.execute(
                "INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, payload, "
                "status) VALUES (%s, %s, 'order.paid', '{}', %s)",
                (endpoint, f"evt_{i}_0_0", "delivered" if i % 3 == 0 else "pending"),
            )
    expected = [r[0] for r in conn.execute(
        "SELECT id FROM webhook_deliveries WHERE endpoint_id = %s ORDER BY id DESC", (ep,)
    ).fetchall()]
    pending = [r[0] for r in conn.execute(
        "SELECT id FROM webhook_deliveries WHERE endpoint_id = %s AND status = 'pending' "
        "ORDER BY id DESC", (ep,)).fetchall()]

    def get(params, status=None):
        r = server.get(f"/v1/webhooks/{ep}/deliveries", headers=h,
                       params={**params, **({"status": status} if status else {})})
        assert r.status_code == 200, r.text
        return r.json()

    for limit in (1, 4, 11, 100):
        check_walks(get, expected, limit)
        check_walks(lambda p: get(p, "pending"), pending, limit)
    r = server.get(f"/v1/webhooks/{ep}/deliveries", headers=h, params={"limit": 101})
    assert r.status_code == 400 and r.json()["error"]["param"] == "limit"
