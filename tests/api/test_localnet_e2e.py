"""Chain -> indexer -> Orders API -> webhooks, end to end on a real localnet (CometBFT + app,
its PostgreSQL, ``statesetd indexer`` and ``statesetd api`` as real processes, started by
``Localnet(readside=True)``), with orders of every kind, an exchange rate a feeder submits (the
API's ``/v1/rates`` against the chain's own oracle query over the node's REST gateway) and a real
loopback receiver that checks every signature by hand. No mocks."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import pytest
import requests

from benchmarks.orderflow import FLOWS, OrderFlows
from localnet import Localnet
from stateset_chain.client import address_of
from stateset_chain.localnet import CHAIN_ID
from tests.api.receiver import Receiver
from tests.indexer.helpers import chain_order, demo_wallets, quiet_height, wait_watermark

from stateset.oracle.v1 import oracle_pb2
from stateset.oracle.v1 import tx_pb2 as oracle_tx

pytestmark = pytest.mark.e2e
RFC3339 = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$")


def api_time(chain_time: str) -> str:
    """The chain's proto JSON time (fraction trimmed, up to nanoseconds) as the API writes times
    (milliseconds, truncated): docs/api.md's conventions, re-derived here by hand."""
    m = RFC3339.match(chain_time)
    assert m, chain_time
    return f"{m.group(1)}.{(m.group(2) or '').ljust(9, '0')[:3]}Z"


def served_rate(r: dict) -> tuple:
    return r["currency"], r["rate"], r["height"], r["time"], r["submissions"], r["source"]


def chain_rate(r: dict) -> tuple:
    return (
        r["currency"],
        r["rate"],
        int(r["height"]),
        api_time(r["time"]),
        int(r["submissions"]),
        r["source"].removeprefix("RATE_SOURCE_"),
    )


def wait_http(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=2)
            return
        except requests.ConnectionError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer in {timeout}s")


def test_orders_of_every_kind_reach_the_api_and_the_webhook_receiver():
    parent = Path(tempfile.mkdtemp(prefix="stateset-api-e2e-"))
    parent.chmod(0o755)
    net = Localnet(parent / "net", validators=1, base_port=0, readside=True)
    receiver = Receiver()
    receiver.up()
    try:
        net.start()
        api = net.api_url
        wait_http(api + "/health")
        made = subprocess.run(
            [
                sys.executable,
                "-m",
                "stateset_chain.cli.main",
                "api",
                "keys",
                "create",
                "--db",
                net.db_url,
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        key = json.loads(made.stdout)["key"]
        auth = {"Authorization": f"Bearer {key}"}
        ep = requests.post(
            api + "/v1/webhooks",
            headers=auth,
            timeout=10,
            json={"url": receiver.url, "events": ["*"]},
        ).json()
        assert ep["secret"].startswith("whsec_"), ep

        client = net.client(0)
        report = OrderFlows(client, demo_wallets(), CHAIN_ID, seed=5).run(
            len(FLOWS), concurrency=10
        )
        assert not report.failures, report.failures
        # a feeder (the localnet's first demo account) moves EUR; the median is accepted at the
        # end of the tx's block
        alice = demo_wallets()[0]
        sent = client.send(
            alice,
            [
                oracle_tx.MsgSubmitRates(
                    feeder=address_of(alice),
                    rates=[oracle_pb2.CurrencyRate(currency="EUR", rate="1.09")],
                )
            ],
            gas=400_000,
        )
        assert sent.code == 0, sent.log
        rated = client.wait_for_tx(sent.txhash)
        assert rated.code == 0, rated.log
        top = quiet_height(client)
        wait_watermark(net.db_url, top)

        with psycopg.connect(net.db_url) as conn:
            outbox = dict(
                conn.execute(
                    "SELECT id, payload::text FROM webhook_outbox WHERE seq > "
                    "(SELECT start_seq FROM webhook_endpoints WHERE id = %s)",
                    (ep["id"],),
                ).fetchall()
            )
            order_ids = [r[0] for r in conn.execute("SELECT id FROM orders ORDER BY sequence")]
        assert len(outbox) >= 4 * len(FLOWS)
        receiver.wait_for(lambda: receiver.delivered_ids() >= set(outbox), timeout=120)

        got = receiver.snapshot()
        assert all(r.valid_for(ep["secret"]) for r in got)
        assert {r.id for r in got} == set(outbox), "an event was invented"
        for r in got:
            assert json.loads(r.body) == json.loads(outbox[r.id])
        kinds = {r.event["event"] for r in got}
        assert {
            "order.created",
            "order.paid",
            "order.shipped",
            "order.delivered",
            "order.cancelled",
            "order.refunded",
            "order.disputed",
            "order.resolved",
            "order.settled",
            "order.held",
            "order.released",
            "order.returned",
            "payment.cross_chain_received",
        } <= kinds

        # the API serves the chain's orders: each equals the last webhook's data.order and the
        # chain's own query (status, totals)
        last: dict[str, dict] = {}
        for r in sorted(got, key=lambda r: json.loads(outbox[r.id])["height"]):
            order = r.event["data"].get("order")
            if order:
                last[order["id"]] = order
        listed = requests.get(api + "/v1/orders", params={"limit": 100}, timeout=10).json()
        assert listed["total_count"] == len(order_ids)
        assert [o["id"] for o in listed["orders"]] == list(reversed(order_ids))[:100]
        for oid in order_ids:
            served = requests.get(f"{api}/v1/orders/{oid}", timeout=10).json()
            chain = chain_order(client, oid)
            assert served["status"] == chain["status"].removeprefix("ORDER_STATUS_")
            assert served == last[oid], oid
        # /v1/rates against the chain's own oracle query (the node's REST gateway): the same
        # rate, height, time, submissions and source for every currency, the new EUR one included
        rest = net.nodes[0].rest_url
        on_chain = requests.get(rest + "/stateset/oracle/v1/rates", timeout=10).json()["rates"]
        eur = requests.get(rest + "/stateset/oracle/v1/rates/EUR", timeout=10).json()["rate"]
        assert (eur["rate"], int(eur["height"]), eur["source"]) == (
            "1.09",
            rated.height,
            "RATE_SOURCE_MEDIAN",
        )
        assert eur in on_chain and len(on_chain) >= 4
        served = requests.get(api + "/v1/rates", timeout=10).json()
        assert [served_rate(r) for r in served["data"]] == [chain_rate(r) for r in on_chain]
        one = requests.get(api + "/v1/rates/eur", timeout=10).json()
        assert served_rate(one) == chain_rate(eur)
        history = requests.get(api + "/v1/rates/EUR/history", timeout=10).json()["data"]
        assert served_rate(history[0]) == chain_rate(eur) and history[0]["previous"] == "1.0842"

        health = requests.get(api + "/health", timeout=10).json()
        assert health["checks"]["database"]["status"] == "up"
        assert health["checks"]["blockchain"]["block_height"] >= top
        assert health["checks"]["indexer"]["lag_blocks"] is not None
        deliveries = requests.get(
            f"{api}/v1/webhooks/{ep['id']}/deliveries",
            params={"status": "delivered"},
            headers=auth,
            timeout=10,
        ).json()
        assert deliveries["total_count"] == len(outbox)
    finally:
        receiver.down()
        net.stop()
        net.reset()
