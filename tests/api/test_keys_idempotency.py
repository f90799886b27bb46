"""API keys (prefixes, hashing, restricted = read-only, modes), Idempotency-Key on POSTs, rate
limits, and the key requirement of the webhook and report endpoints."""

from __future__ import annotations

import json
import subprocess
import sys
import threading

import pytest

from stateset_chain.api.app import ApiConfig
from stateset_chain.api.keys import create_key
from stateset_chain.webhooks.delivery import DeliveryConfig
from tests.api.conftest import ApiServer
from tests.api.receiver import Receiver

LOOPBACK_OK = DeliveryConfig(allow_private=True)


@pytest.fixture
def server(db_url):
    s = ApiServer(ApiConfig(db_url=db_url, run_worker=False, rate=0, delivery=LOOPBACK_OK))
    yield s
    s.stop()


def bearer(key: str) -> dict:
    return {"Authorization": f"Bearer {key}"}


def hook(url="http://127.0.0.1:9/h"):
    return {"url": url, "events": ["order.paid"], "description": "d"}


def test_key_prefixes_and_only_hashes_are_stored(conn):
    _, sk = create_key(conn, kind="secret", livemode=False)
    _, sl = create_key(conn, kind="secret", livemode=True)
    _, rk = create_key(conn, kind="restricted", livemode=False)
    assert sk.startswith("sk_test_") and sl.startswith("sk_live_") and rk.startswith("rk_test_")
    assert len(sk) == len("sk_test_") + 32
    dump = json.dumps(conn.execute("SELECT row_to_json(k)::text FROM api_keys k").fetchall())
    for key in (sk, sl, rk):
        assert key not in dump and key[8:] not in dump


@pytest.mark.parametrize("method,path", [
    ("get", "/v1/webhooks"), ("post", "/v1/webhooks"), ("get", "/v1/webhooks/we_x"),
    ("post", "/v1/reports"), ("get", "/v1/reports/rpt_x/download"),
    ("get", "/v1/webhooks/we_x/deliveries"),
])
def test_webhook_and_report_endpoints_need_a_key(server, method, path):
    r = getattr(server, method)(path, json={})
    assert r.status_code == 401 and r.json()["error"]["code"] == "authentication_required"
    r = getattr(server, method)(path, json={}, headers=bearer("sk_test_" + "x" * 32))
    assert r.status_code == 401 and r.json()["error"]["code"] == "api_key_invalid"


def test_restricted_key_reads_but_cannot_write(server, conn):
    _, sk = create_key(conn, kind="secret", livemode=False)
    _, rk = create_key(conn, kind="restricted", livemode=False)
    made = server.post("/v1/webhooks", json=hook(), headers=bearer(sk)).json()
    r = server.post("/v1/webhooks", json=hook(), headers=bearer(rk))
    assert r.status_code == 403 and r.json()["error"]["code"] == "permission_denied"
    assert server.delete(f"/v1/webhooks/{made['id']}", headers=bearer(rk)).status_code == 403
    listed = server.get("/v1/webhooks", headers=bearer(rk)).json()["data"]
    assert [e["id"] for e in listed] == [made["id"]]
    assert "secret" not in listed[0]


def test_modes_do_not_see_each_other(server, conn):
    _, test_key = create_key(conn, kind="secret", livemode=False)
    _, live_key = create_key(conn, kind="secret", livemode=True)
    made = server.post("/v1/webhooks", json=hook(), headers=bearer(test_key)).json()
    assert server.get("/v1/webhooks", headers=bearer(live_key)).json()["data"] == []
    r = server.get(f"/v1/webhooks/{made['id']}", headers=bearer(live_key))
    assert r.status_code == 404


def test_revoked_key_is_refused(server, conn):
    from stateset_chain.api.keys import revoke_key

    key, sk = create_key(conn, kind="secret", livemode=False)
    assert server.get("/v1/webhooks", headers=bearer(sk)).status_code == 200
    assert revoke_key(conn, key.id)
    assert server.get("/v1/webhooks", headers=bearer(sk)).status_code == 401


def test_webhook_crud(server, conn):
    _, sk = create_key(conn, kind="secret", livemode=False)
    h = bearer(sk)
    made = server.post("/v1/webhooks", json=hook(), headers=h)
    assert made.status_code == 201
    ep = made.json()
    assert ep["id"].startswith("we_") and ep["secret"].startswith("whsec_")
    assert ep["events"] == ["order.paid"] and ep["status"] == "enabled"
    got = server.get(f"/v1/webhooks/{ep['id']}", headers=h).json()
    assert got["url"] == ep["url"] and "secret" not in got
    upd = server.post(f"/v1/webhooks/{ep['id']}", json={"events": ["*"], "enabled": False},
                      headers=h).json()
    assert upd["events"] == ["*"] and upd["status"] == "disabled"
    upd = server.post(f"/v1/webhooks/{ep['id']}", json={"enabled": True}, headers=h).json()
    assert upd["status"] == "enabled"
    bad = server.post(f"/v1/webhooks/{ep['id']}", json={"events": ["order.nope"]}, headers=h)
    assert bad.status_code == 400 and bad.json()["error"]["param"] == "events"
    deliveries = server.get(f"/v1/webhooks/{ep['id']}/deliveries", headers=h).json()
    assert deliveries["data"] == [] and deliveries["total_count"] == 0
    assert server.delete(f"/v1/webhooks/{ep['id']}", headers=h).json()["deleted"] is True
    assert server.get(f"/v1/webhooks/{ep['id']}", headers=h).status_code == 404
    assert server.delete(f"/v1/webhooks/{ep['id']}", headers=h).status_code == 404


def test_webhook_url_policy(db_url, conn):
    _, sk = create_key(conn, kind="secret", livemode=False)
    strict = ApiServer(ApiConfig(db_url=db_url, run_worker=False, rate=0))
    try:
        for url in ("http://127.0.0.1:8000/h", "http://10.1.2.3/h", "http://[::1]/h",
                    "http://169.254.169.254/latest", "http://localhost/h", "ftp://8.8.8.8/x",
                    "http://user:pw@8.8.8.8/h"):
            r = strict.post("/v1/webhooks", json=hook(url), headers=bearer(sk))
            assert r.status_code == 400, url
            assert r.json()["error"]["code"] == "url_not_allowed", url
        ok = strict.post("/v1/webhooks", json=hook("https://8.8.8.8/hooks"), headers=bearer(sk))
        assert ok.status_code == 201
    finally:
        strict.stop()


def test_idempotency_same_body_replays_other_body_fails(server, conn):
    _, sk = create_key(conn, kind="secret", livemode=False)
    h = {**bearer(sk), "Idempotency-Key": "k-1"}
    first = server.post("/v1/webhooks", json=hook(), headers=h)
    again = server.post("/v1/webhooks", data=json.dumps(hook(), indent=4),
                        headers={**h, "content-type": "application/json"})
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert conn.execute("SELECT count(*) FROM webhook_endpoints").fetchone()[0] == 1
    other = server.post("/v1/webhooks", json=hook("http://127.0.0.1:10/x"), headers=h)
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    # another API key has its own key space
    _, sk2 = create_key(conn, kind="secret", livemode=False)
    mine = server.post("/v1/webhooks", json=hook(),
                       headers={**bearer(sk2), "Idempotency-Key": "k-1"})
    assert mine.status_code == 201 and mine.json()["id"] != first.json()["id"]


def test_idempotency_stores_client_errors_and_serialises_duplicates(server, conn):
    _, sk = create_key(conn, kind="secret", livemode=False)
    h = {**bearer(sk), "Idempotency-Key": "bad-1"}
    body = {"url": "http://127.0.0.1:9/h", "events": ["order.nope"]}
    a = server.post("/v1/webhooks", json=body, headers=h)
    b = server.post("/v1/webhooks", json=body, headers=h)
    assert a.status_code == b.status_code == 400 and a.json() == b.json()
    assert b.headers.get("Idempotent-Replayed") == "true"

    answers = []

    def post():
        import requests

        answers.append(requests.post(server.url + "/v1/webhooks", json=hook(),
                                     headers={**bearer(sk), "Idempotency-Key": "race"}).json())

    threads = [threading.Thread(target=post) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({a["id"] for a in answers}) == 1
    assert conn.execute("SELECT count(*) FROM webhook_endpoints").fetchone()[0] == 1


def test_idempotency_key_too_long(server, conn):
    _, sk = create_key(conn, kind="secret", livemode=False)
    r = server.post("/v1/webhooks", json=hook(),
                    headers={**bearer(sk), "Idempotency-Key": "x" * 256})
    assert r.status_code == 400 and r.json()["error"]["code"] == "idempotency_key_invalid"


def test_rate_limit_per_key(db_url, conn):
    _, a = create_key(conn, kind="secret", livemode=False)
    _, b = create_key(conn, kind="secret", livemode=False)
    s = ApiServer(ApiConfig(db_url=db_url, run_worker=False, rate=0.5, burst=3))
    try:
        codes = [s.get("/v1/webhooks", headers=bearer(a)).status_code for _ in range(5)]
        assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
        r = s.get("/v1/webhooks", headers=bearer(a))
        assert r.json()["error"]["code"] == "rate_limited" and int(r.headers["Retry-After"]) >= 1
        assert s.get("/v1/webhooks", headers=bearer(b)).status_code == 200
    finally:
        s.stop()


def test_cli_creates_a_working_key(db_url, server):
    out = subprocess.run(
        [sys.executable, "-m", "stateset_chain.cli.main", "api", "keys", "create", "--db", db_url,
         "--restricted", "--name", "dash"],
        capture_output=True, text=True, check=True, timeout=60,
    )
    made = json.loads(out.stdout)
    assert made["key"].startswith("rk_test_") and made["kind"] == "restricted"
    assert server.get("/v1/webhooks", headers=bearer(made["key"])).status_code == 200
    listed = subprocess.run(
        [sys.executable, "-m", "stateset_chain.cli.main", "api", "keys", "list", "--db", db_url],
        capture_output=True, text=True, check=True, timeout=60,
    )
    assert made["key"] not in listed.stdout and made["id"] in listed.stdout


def test_receiver_helper_rejects_a_forged_signature():
    """The receiver's hand-written check is not vacuous."""
    from tests.api.receiver import Received, expected_signature

    secret = "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    good = expected_signature(secret, "evt_1_0_0", "1700000000", b"{}")
    r = Received("evt_1_0_0", "1700000000", [good], b"{}", 204, 0.0)
    assert r.valid_for(secret)
    assert not Received("evt_1_0_1", "1700000000", [good], b"{}", 204, 0.0).valid_for(secret)
    assert not Received("evt_1_0_0", "1700000000", [good], b"{ }", 204, 0.0).valid_for(secret)
    assert Receiver  # imported for the module's users
