"""Webhook delivery end to end: outbox rows -> the API's worker -> a real receiver on loopback.

The receiver verifies every signature by hand (tests/api/receiver.py). It is down for a while,
answers 500s, then 2xx; the service is restarted mid-retry; finally the receiver answers 410.
Every event arrives at least once with a valid signature, a duplicate only with the same id and
body, none after the 410, and nothing is lost across the restart.
"""

from __future__ import annotations

import time

import psycopg
import pytest

from stateset_chain.api.app import ApiConfig
from stateset_chain.api.keys import create_key
from stateset_chain.webhooks.backoff import RetryPolicy
from stateset_chain.webhooks.delivery import DeliveryConfig
from tests.api.conftest import ApiServer
from tests.api.outbox import add_event
from tests.api.receiver import Receiver

FAST = DeliveryConfig(
    allow_private=True, timeout=2.0, lease=5.0, poll_interval=0.05,
    policy=RetryPolicy(base=0.05, cap=0.3, max_age=3600.0),
)


def serve(db_url: str, delivery: DeliveryConfig = FAST) -> ApiServer:
    return ApiServer(ApiConfig(db_url=db_url, delivery=delivery))


@pytest.fixture
def secret_key(conn) -> str:
    return create_key(conn, kind="secret", livemode=False)[1]


def create_endpoint(api: ApiServer, key: str, url: str, events=("*",)) -> dict:
    r = api.post("/v1/webhooks", json={"url": url, "events": list(events), "description": "t"},
                 headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 201, r.text
    return r.json()


def statuses(conn, endpoint_id: str) -> dict[str, str]:
    rows = conn.execute(
        "SELECT event_id, status FROM webhook_deliveries WHERE endpoint_id = %s", (endpoint_id,)
    ).fetchall()
    return dict(rows)


def test_down_then_500_then_ok_then_restart_then_410(db_url, conn, secret_key):
    receiver = Receiver()  # not listening yet: connection refused
    api = serve(db_url)
    try:
        endpoint = create_endpoint(api, secret_key, receiver.url)
        secret = endpoint["secret"]
        assert secret.startswith("whsec_")
        first = [add_event(conn, h, 0, 0, "order.paid") for h in range(1, 11)]
        first += [add_event(conn, 10, -1, i, "order.settled") for i in range(3)]
        time.sleep(1.0)  # the worker retries against a closed port
        attempts = conn.execute("SELECT count(*) FROM webhook_attempts").fetchone()[0]
        assert attempts >= 1
        assert set(statuses(conn, endpoint["id"]).values()) == {"pending"}

        receiver.mode = "error"
        receiver.up()
        receiver.wait_for(lambda: len(receiver.snapshot()) >= 3)
        assert receiver.delivered_ids() == set()
        receiver.mode = "ok"
        receiver.wait_for(lambda: receiver.delivered_ids() >= set(first))

        # restart mid-retry: the receiver fails again, events pile up, the service stops
        receiver.mode = "error"
        second = [add_event(conn, h, 1, 0, "order.shipped") for h in range(11, 21)]
        receiver.wait_for(lambda: any(r.id in second for r in receiver.snapshot()))
    finally:
        api.stop()
    pending = [e for e, s in statuses(conn, endpoint["id"]).items() if s == "pending"]
    assert set(second) <= set(pending)
    third = [add_event(conn, h, 0, 1, "order.delivered") for h in range(21, 26)]
    receiver.mode = "ok"
    api = serve(db_url)
    try:
        receiver.wait_for(lambda: receiver.delivered_ids() >= set(first + second + third))

        receiver.mode = "gone"
        gone_event = add_event(conn, 30, 0, 0, "order.refunded")
        receiver.wait_for(lambda: any(r.answered == 410 for r in receiver.snapshot()))
        n_at_410 = len(receiver.snapshot())
        later = [add_event(conn, h, 0, 0, "order.paid") for h in range(31, 36)]
        time.sleep(1.5)
        info = api.get(f"/v1/webhooks/{endpoint['id']}",
                       headers={"Authorization": f"Bearer {secret_key}"}).json()
    finally:
        api.stop()
        receiver.down()

    received = receiver.snapshot()
    assert len(received) == n_at_410, "requests arrived after the endpoint answered 410"
    assert info["status"] == "disabled" and "410" in info["disabled_reason"]
    assert all(r.valid_for(secret) for r in received)
    bodies: dict[str, bytes] = {}
    for r in received:
        assert bodies.setdefault(r.id, r.body) == r.body, "a retry changed the body"
        assert r.event["id"] == r.id
    delivered = receiver.delivered_ids()
    assert delivered == set(first + second + third)
    assert gone_event in {r.id for r in received}
    assert not set(later) & {r.id for r in received}
    final = statuses(conn, endpoint["id"])
    assert final[gone_event] == "failed"
    assert all(final[e] == "delivered" for e in first + second + third)
    assert not set(later) & set(final), "deliveries were created for a disabled endpoint"


def test_every_event_fans_out_once_per_subscribed_endpoint(db_url, conn, secret_key):
    a, b = Receiver(), Receiver()
    a.up()
    b.up()
    api = serve(db_url)
    try:
        ea = create_endpoint(api, secret_key, a.url, events=["order.paid"])
        eb = create_endpoint(api, secret_key, b.url, events=["order.paid", "order.shipped"])
        ids = [add_event(conn, h, 0, 0, "order.paid" if h % 2 else "order.shipped")
               for h in range(1, 21)]
        paid = [e for h, e in zip(range(1, 21), ids, strict=True) if h % 2]
        b.wait_for(lambda: b.delivered_ids() == set(ids))
        a.wait_for(lambda: a.delivered_ids() == set(paid))
    finally:
        api.stop()
        a.down()
        b.down()
    assert all(r.valid_for(ea["secret"]) for r in a.snapshot())
    assert all(r.valid_for(eb["secret"]) for r in b.snapshot())
    assert len(a.snapshot()) == len(paid) and len(b.snapshot()) == len(ids)


def test_events_before_an_endpoint_existed_are_not_sent_to_it(db_url, conn, secret_key):
    r = Receiver()
    r.up()
    old = add_event(conn, 1, 0, 0, "order.paid")
    api = serve(db_url)
    try:
        create_endpoint(api, secret_key, r.url)
        new = add_event(conn, 2, 0, 0, "order.paid")
        r.wait_for(lambda: new in r.delivered_ids())
        time.sleep(0.3)
    finally:
        api.stop()
        r.down()
    assert old not in {x.id for x in r.snapshot()}


def test_rotation_signs_with_both_secrets_until_the_old_one_expires(db_url, conn, secret_key):
    r = Receiver()
    r.up()
    api = serve(db_url)
    auth = {"Authorization": f"Bearer {secret_key}"}
    try:
        ep = create_endpoint(api, secret_key, r.url)
        rotated = api.post(f"/v1/webhooks/{ep['id']}/rotate_secret",
                           json={"expire_previous_in": 3600}, headers=auth)
        assert rotated.status_code == 200, rotated.text
        new_secret = rotated.json()["secret"]
        assert new_secret != ep["secret"]
        e1 = add_event(conn, 1, 0, 0, "order.paid")
        r.wait_for(lambda: e1 in r.delivered_ids())
        api.post(f"/v1/webhooks/{ep['id']}/rotate_secret", json={"expire_previous_in": 0},
                 headers=auth)
        newest = conn.execute(
            "SELECT secret FROM webhook_secrets WHERE endpoint_id = %s ORDER BY id DESC LIMIT 1",
            (ep["id"],),
        ).fetchone()[0]
        e2 = add_event(conn, 2, 0, 0, "order.paid")
        r.wait_for(lambda: e2 in r.delivered_ids())
    finally:
        api.stop()
        r.down()
    got = {x.id: x for x in r.snapshot()}
    assert len(got[e1].signatures) == 2
    assert got[e1].valid_for(ep["secret"]) and got[e1].valid_for(new_secret)
    assert len(got[e2].signatures) == 1
    assert got[e2].valid_for(newest) and not got[e2].valid_for(ep["secret"])


def test_a_delivery_older_than_max_age_fails(db_url, conn, secret_key):
    r = Receiver()  # never up
    short = DeliveryConfig(allow_private=True, timeout=1.0, lease=5.0, poll_interval=0.05,
                           policy=RetryPolicy(base=0.05, cap=0.1, max_age=0.5))
    api = serve(db_url, short)
    try:
        ep = create_endpoint(api, secret_key, r.url)
        e = add_event(conn, 1, 0, 0, "order.paid")
        deadline = time.monotonic() + 20
        while statuses(conn, ep["id"]).get(e) != "failed" and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        api.stop()
    assert statuses(conn, ep["id"])[e] == "failed"
    row = conn.execute(
        "SELECT attempts, last_error FROM webhook_deliveries WHERE event_id = %s", (e,)
    ).fetchone()
    assert row[0] >= 2 and "Connect" in row[1]


def test_refused_url_is_not_posted_to(db_url, conn, secret_key):
    """Created while loopback was allowed, then the service runs without the flag."""
    r = Receiver()
    r.up()
    api = serve(db_url)
    try:
        ep = create_endpoint(api, secret_key, r.url)
    finally:
        api.stop()
    strict = DeliveryConfig(allow_private=False, timeout=1.0, lease=5.0, poll_interval=0.05,
                            policy=RetryPolicy(base=0.05, cap=0.1, max_age=3600))
    api = serve(db_url, strict)
    try:
        e = add_event(conn, 1, 0, 0, "order.paid")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            row = conn.execute("SELECT last_error FROM webhook_deliveries WHERE event_id = %s",
                               (e,)).fetchone()
            if row and row[0]:
                break
            time.sleep(0.05)
    finally:
        api.stop()
        r.down()
    assert r.snapshot() == []
    assert "url refused" in row[0]
    assert statuses(conn, ep["id"])[e] == "pending"


def test_worker_survives_a_database_outage(pg_cluster, db_url, conn, secret_key):
    """PostgreSQL restarts under the worker: it logs, reconnects and delivers."""
    r = Receiver()
    r.up()
    api = serve(db_url)
    try:
        create_endpoint(api, secret_key, r.url)
        e1 = add_event(conn, 1, 0, 0, "order.paid")
        r.wait_for(lambda: e1 in r.delivered_ids())
        pg_cluster.restart()
        with psycopg.connect(db_url, autocommit=True) as c2:
            e2 = add_event(c2, 2, 0, 0, "order.paid")
        r.wait_for(lambda: e2 in r.delivered_ids())
    finally:
        api.stop()
        r.down()


def test_a_slow_endpoint_keeps_its_lease_so_a_second_worker_never_double_sends(
        db_url, conn, secret_key):
    """Two services on one database; the receiver takes 1 s per request, so a batch outlives the
    3 s lease unless the worker extends it: every event must arrive exactly once."""
    r = Receiver()
    r.delay = 1.0
    r.up()
    slow = DeliveryConfig(allow_private=True, timeout=2.0, lease=3.0, poll_interval=0.05,
                          policy=RetryPolicy(base=0.05, cap=0.3, max_age=3600.0))
    first = serve(db_url, slow)
    second = None
    try:
        create_endpoint(first, secret_key, r.url)
        ids = [add_event(conn, h, 0, 0, "order.paid") for h in range(1, 8)]
        r.wait_for(lambda: len(r.snapshot()) >= 1)
        second = serve(db_url, slow)
        r.wait_for(lambda: r.delivered_ids() == set(ids), timeout=60)
        time.sleep(1.0)
    finally:
        first.stop()
        if second is not None:
            second.stop()
        r.down()
    got = [x.id for x in r.snapshot()]
    assert sorted(got) == sorted(ids), "an event was sent twice at once"
