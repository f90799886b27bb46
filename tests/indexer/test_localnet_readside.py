"""`localnet start` runs the read side too: its own PostgreSQL cluster in the localnet folder,
the indexer of node 0 into it, and each app's Prometheus metrics; `status`, `stop` and `reset`
cover them (real processes, real PostgreSQL, real HTTP)."""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import requests

from stateset_chain.client import address_of, msg_send
from stateset_chain.coins import USDC, Coin
from tests.cometbft_helpers import REPO_ROOT
from tests.indexer.helpers import demo_wallets, wait_watermark

pytestmark = pytest.mark.e2e


def localnet(*args: str) -> subprocess.CompletedProcess:
    """The localnet's command (what scripts/localnet.sh runs), from the checkout."""
    return subprocess.run([sys.executable, "-m", "localnet", *args], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=180)


def metric(url: str, name: str) -> float:
    text = requests.get(url, timeout=5).text
    match = re.search(rf"^{name} (\S+)$", text, re.M)
    assert match, f"{name} not in {url}"
    return float(match.group(1))


def test_localnet_starts_postgres_and_the_indexer_and_stops_them():
    from localnet import Localnet

    parent = Path(tempfile.mkdtemp(prefix="stateset-ln-rs-"))
    parent.chmod(0o755)  # as root, PostgreSQL runs as `postgres`, which must reach the folder
    directory = parent / "net"
    started = localnet("start", "--dir", str(directory), "--validators", "1", "--base-port", "0")
    try:
        assert started.returncode == 0, started.stderr
        assert "postgres  postgresql://" in started.stdout
        assert "indexer   " in started.stdout and "/metrics" in started.stdout
        assert "/dashboard" in started.stdout
        assert "api keys create --db postgresql://" in started.stdout
        net = Localnet(directory)
        assert (directory / "postgres" / "data" / "PG_VERSION").exists()

        alice, bob = demo_wallets()[:2]
        client = net.client(0)
        res = client.send(alice, [msg_send(address_of(alice), address_of(bob), [Coin(USDC, 7)])])
        assert res.code == 0, res.log
        height = client.wait_for_tx(res.txhash).height
        wait_watermark(net.db_url, height)
        import psycopg

        with psycopg.connect(net.db_url) as conn:
            tx = conn.execute("SELECT hash, code, signer FROM txs WHERE height = %s",
                              (height,)).fetchone()
        assert tx == (res.txhash, 0, address_of(alice))

        app_metrics = f"http://127.0.0.1:{net.nodes[0].metrics}/metrics"
        assert metric(app_metrics, "stateset_app_txs_total") >= 1
        assert metric(app_metrics, "stateset_app_height") >= height
        assert metric(app_metrics, "stateset_app_commit_seconds_count") >= height
        assert metric(app_metrics, 'stateset_app_check_tx_total{result="ok"}') >= 1
        assert metric(net.indexer_metrics_url, "stateset_indexer_height") >= height
        assert metric(net.indexer_metrics_url, "stateset_indexer_lag_blocks") >= 0

        status = localnet("status", "--dir", str(directory))
        assert re.search(r"indexer   height=\d+", status.stdout), status.stdout
        stopped = localnet("stop", "--dir", str(directory))
        assert stopped.returncode == 0, stopped.stderr
        time.sleep(0.5)
        assert not net.pg_cluster().running()
        assert net.readside_status()["indexer_pid"] is None
    finally:
        localnet("reset", "--dir", str(directory))
    assert not directory.exists()
    parent.rmdir()
