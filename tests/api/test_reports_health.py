"""CSV reports against brute force, /health in the documents' shape, /metrics, and the checked-in
OpenAPI document."""

from __future__ import annotations

import csv
import io
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from stateset_chain.api.app import ApiConfig
from stateset_chain.api.keys import create_key
from tests.api import factory
from tests.api.conftest import ApiServer
from tests.api.receiver import free_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def server(db_url):
    s = ApiServer(ApiConfig(db_url=db_url, run_worker=False, rate=0))
    yield s
    s.stop()


def seed(conn, n=40):
    orders = []
    for seq in range(1, n + 1):
        o = factory.paid_order(seq, f"c{seq % 3}", f"m{seq % 2}",
                               factory.STATUSES[seq % len(factory.STATUSES)],
                               seq * 1_234_567, factory.EPOCH + timedelta(hours=7 * seq),
                               refunded=(seq * 1_234_567) // 4 if seq % 5 == 0 else 0)
        factory.insert(conn, o)
        orders.append(o)
    return orders


def amount(base: int) -> str:
    whole, frac = divmod(base, 10**6)
    return f"{whole}.{f'{frac:06d}'.rstrip('0').ljust(2, '0')}"


def test_orders_report_csv_matches_the_orders(server, conn):
    orders = seed(conn)
    _, sk = create_key(conn, kind="secret", livemode=False)
    h = {"Authorization": f"Bearer {sk}", "Idempotency-Key": "rep-1"}
    req = {"type": "orders", "filters": {"merchant_id": "m1", "status": "PAID,SHIPPED"},
           "dimensions": ["id", "status", "total"], "format": "csv"}
    made = server.post("/v1/reports", json=req, headers=h)
    assert made.status_code == 201, made.text
    rep = made.json()
    again = server.post("/v1/reports", json=req, headers=h).json()
    assert again["id"] == rep["id"]
    csv_text = server.get(rep["download_url"], headers=h)
    assert csv_text.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(csv_text.text)))
    want = [o for o in orders if o.merchant == "m1" and o.status in ("PAID", "SHIPPED")]
    assert rows[0] == ["id", "status", "total"]
    assert rows[1:] == [[o.id, o.status, amount(o.total)] for o in want]
    assert rep["row_count"] == len(want)
    assert server.get(f"/v1/reports/{rep['id']}", headers=h).json()["row_count"] == len(want)


def test_summary_report_by_day_and_status(server, conn):
    orders = seed(conn)
    _, sk = create_key(conn, kind="secret", livemode=False)
    h = {"Authorization": f"Bearer {sk}"}
    req = {"type": "orders_summary", "dimensions": ["day", "status"],
           "metrics": ["count", "revenue"], "format": "csv"}
    rep = server.post("/v1/reports", json=req, headers=h).json()
    rows = list(csv.reader(io.StringIO(server.get(rep["download_url"], headers=h).text)))
    assert rows[0] == ["day", "status", "count", "revenue"]
    sums: dict = {}
    for o in orders:
        k = (o.created_at.date().isoformat(), o.status)
        n, r = sums.get(k, (0, 0))
        sums[k] = (n + 1, r + o.amount_paid - o.amount_refunded)
    assert {(d, s): (int(n), rev) for d, s, n, rev in rows[1:]} == {
        k: (n, amount(r)) for k, (n, r) in sums.items()
    }


@pytest.mark.parametrize("req,param", [
    ({"type": "nope"}, "type"),
    ({"type": "orders", "format": "xlsx"}, "format"),
    ({"type": "orders", "filters": {"color": "red"}}, "filters.color"),
    ({"type": "orders", "filters": {"amount_min": "1.1234567"}}, "amount_min"),
    ({"type": "orders_summary", "dimensions": ["planet"]}, "dimensions"),
    ({"type": "orders_summary", "metrics": ["median"]}, "metrics"),
    ({"filters": {}}, "type"),
])
def test_bad_report_requests(server, conn, req, param):
    _, sk = create_key(conn, kind="secret", livemode=False)
    r = server.post("/v1/reports", json=req, headers={"Authorization": f"Bearer {sk}"})
    assert r.status_code == 400, r.text
    assert r.json()["error"]["param"] == param


def test_report_of_another_mode_is_missing(server, conn):
    _, sk = create_key(conn, kind="secret", livemode=False)
    _, live = create_key(conn, kind="restricted", livemode=True)
    rep = server.post("/v1/reports", json={"type": "orders"},
                      headers={"Authorization": f"Bearer {sk}"}).json()
    r = server.get(rep["download_url"], headers={"Authorization": f"Bearer {live}"})
    assert r.status_code == 404


class FakeStatus:
    """Answers /status like CometBFT with a chosen height (only /health's lag rule is tested
    here; the real node is used by the localnet tests)."""

    def __init__(self, height: int, catching_up: bool = False) -> None:
        me = self
        self.height, self.catching_up = height, catching_up

        class H(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                body = json.dumps({"result": {"sync_info": {
                    "latest_block_height": str(me.height), "catching_up": me.catching_up}}})
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.end_headers()
                self.wfile.write(body.encode())

            def log_message(self, *a):
                pass

        self.port = free_port()
        self.srv = ThreadingHTTPServer(("127.0.0.1", self.port), H)
        threading.Thread(target=self.srv.serve_forever, daemon=True).start()

    def close(self):
        self.srv.shutdown()
        self.srv.server_close()


def test_health_shape_and_degraded_rules(db_url, conn):
    conn.execute("INSERT INTO watermark (chain_id, height, block_hash, app_hash) "
                 "VALUES ('c', 100, 'h', 'a')")
    node = FakeStatus(105)
    s = ApiServer(ApiConfig(db_url=db_url, run_worker=False, rpc_url=f"http://127.0.0.1:{node.port}",
                            max_lag_blocks=10))
    try:
        body = s.get("/health").json()
        assert body["status"] == "healthy"
        assert set(body) == {"status", "checks", "timestamp"}
        assert body["checks"]["database"]["status"] == "up"
        assert isinstance(body["checks"]["database"]["response_time"], float | int)
        assert body["checks"]["blockchain"] == {"status": "up", "block_height": 105,
                                                "sync_status": "synced"}
        assert body["checks"]["indexer"]["lag_blocks"] == 5
        node.height = 150
        body = s.get("/health").json()
        assert body["status"] == "degraded" and body["checks"]["indexer"]["lag_blocks"] == 50
        node.height, node.catching_up = 100, True
        assert s.get("/health").json()["status"] == "degraded"
        node.close()
        body = s.get("/health").json()
        assert body["status"] == "degraded" and body["checks"]["blockchain"]["status"] == "down"
    finally:
        s.stop()


def test_health_unhealthy_without_database(pg_cluster):
    s = ApiServer(ApiConfig(db_url="postgresql://postgres@127.0.0.1:1/none", run_worker=False))
    try:
        r = s.get("/health")
        assert r.status_code == 503 and r.json()["status"] == "unhealthy"
        r = s.get("/v1/orders/ord_x")
        assert r.status_code == 503 and r.json()["error"]["code"] == "database_unavailable"
    finally:
        s.stop()


def test_metrics_count_requests_by_route(server, conn):
    seed(conn, 3)
    server.get("/v1/orders/ord_0000000001")
    server.get("/v1/orders/ord_0000000002")
    server.get("/v1/orders?limit=2")
    text = server.get("/metrics").text
    assert 'api_requests_total{method="GET",route="/v1/orders/{order_id}",status="200"} 2.0' in text
    assert 'api_request_seconds_count{route="/v1/orders"} 1.0' in text
    for name in ("webhook_deliveries_pending", "webhook_deliveries_delivered_total",
                 "webhook_deliveries_failed_total", "webhook_delivery_retries_total"):
        assert name in text


def test_openapi_document_is_checked_in(server):
    from stateset_chain.cli.apicmd import openapi_document

    served = server.get("/openapi.json").json()
    checked_in = json.loads((ROOT / "docs" / "orders-api.openapi.json").read_text())
    assert served == checked_in == json.loads(json.dumps(openapi_document())), (
        "docs/openapi.json is stale: statesetd api openapi > docs/orders-api.openapi.json"
    )
    paths = set(served["paths"])
    for p in ("/v1/orders", "/v1/orders/{order_id}", "/v1/payments", "/v1/payments/{payment_id}",
              "/v1/accounts/{address}/balances", "/v1/analytics/orders", "/v1/reports",
              "/v1/reports/{report_id}/download", "/v1/webhooks", "/v1/webhooks/{endpoint_id}",
              "/v1/webhooks/{endpoint_id}/rotate_secret", "/v1/webhooks/{endpoint_id}/deliveries",
              "/health", "/metrics"):
        assert p in paths, p
