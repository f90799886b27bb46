"""The indexer end to end: a real 1-validator localnet (CometBFT v0.38 + our app), real
PostgreSQL, the indexer as a real subprocess. No mocks.

(a) Exactly once under SIGKILL: orders of every kind flow through the chain while the indexer is
    SIGKILLed at random moments and restarted; afterwards the database equals, table by table,
    an uninterrupted ingest of the same heights into another database, the typed views equal a
    rebuild from the raw events, and every order and balance equals the chain's own queries.
(b) PostgreSQL restarted under the running indexer: it reconnects and resumes.
(c) A database of another chain id, or whose watermark block hash is not the node's, is refused.
"""

from __future__ import annotations

import random
import shutil
import signal
import tempfile
import threading
import time
from collections import Counter

import pytest

from benchmarks.orderflow import FLOWS, OrderFlows
from localnet.pgcluster import PgCluster
from stateset_chain.indexer import views
from stateset_chain.indexer.decode import decode_block
from stateset_chain.indexer.ingest import Indexer
from stateset_chain.indexer.rpc import BLOCKCHAIN_LIMIT, BlockWatcher, NodeRPC, wait_for
from stateset_chain.localnet import CHAIN_ID
from stateset_chain.readside import db
from tests.indexer.helpers import (
    RAW,
    TYPED,
    assert_matches_chain,
    demo_wallets,
    quiet_height,
    snapshot,
    start_indexer,
    start_localnet,
    wait_watermark,
    watermark,
)

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def net():
    directory = tempfile.mkdtemp(prefix="stateset-idx-net-")
    localnet = start_localnet(directory)
    yield localnet
    localnet.stop()
    shutil.rmtree(directory, ignore_errors=True)


def test_a_sigkill_at_random_moments_neither_misses_nor_duplicates(net, pg_cluster, tmp_path):
    rng = random.Random(11)
    client = net.client(0)
    rpc = net.rpc_url(0)
    killed_db = pg_cluster.create_database("sigkill")
    log = tmp_path / "indexer.log"

    flows = OrderFlows(client, demo_wallets(), CHAIN_ID, seed=11)
    result: dict = {}
    load = threading.Thread(
        target=lambda: result.setdefault("report", flows.run(3 * len(FLOWS), concurrency=12))
    )
    load.start()
    kills = 0
    proc = start_indexer(rpc, killed_db, log, "--batch", "7")
    while load.is_alive() or kills < 6:
        time.sleep(rng.uniform(0.2, 1.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        kills += 1
        proc = start_indexer(rpc, killed_db, log, "--batch", str(rng.choice([1, 3, 7, 50])))
    load.join()
    report = result["report"]
    assert not report.failures, report.failures
    assert set(report.by_kind) == set(FLOWS)

    top = quiet_height(client)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    final = start_indexer(rpc, killed_db, log, "--stop-at", str(top))
    assert final.wait(timeout=120) == 0, log.read_text()[-3000:]
    assert watermark(killed_db) == top

    clean_db = pg_cluster.create_database("uninterrupted")
    clean = start_indexer(rpc, clean_db, tmp_path / "clean.log", "--stop-at", str(top))
    assert clean.wait(timeout=120) == 0
    killed, uninterrupted = snapshot(killed_db), snapshot(clean_db)
    for table in TYPED + RAW:
        assert killed[table] == uninterrupted[table], f"{table} differs after {kills} SIGKILLs"
    assert len(killed["blocks"]) == top  # every height once
    assert sorted(int(r[0]) for r in killed["blocks"]) == list(range(1, top + 1))

    with db.connect(killed_db) as conn:
        views.rebuild(conn)
    rebuilt = snapshot(killed_db, TYPED)
    for table in TYPED:
        assert rebuilt[table] == killed[table], f"{table} differs from a rebuild"

    compared = assert_matches_chain(killed_db, client)
    assert compared >= len(report.order_ids)  # every order of every flow


def test_b_postgres_restart_while_following(net, tmp_path):
    client = net.client(0)
    cluster = PgCluster(tempfile.mkdtemp(prefix="stateset-pg-restart-"))
    cluster.start()
    try:
        url = cluster.url
        proc = start_indexer(net.rpc_url(0), url, tmp_path / "indexer.log")
        wait_watermark(url, client.height(), proc=proc)
        flows = OrderFlows(client, demo_wallets(), CHAIN_ID, seed=22)
        cluster.stop()  # the indexer's connection breaks under it
        report = flows.run(len(FLOWS), concurrency=10)
        assert not report.failures, report.failures
        time.sleep(1.0)
        assert proc.poll() is None, "the indexer died with its database"
        cluster.start()
        top = quiet_height(client)
        wait_watermark(url, top, proc=proc)
        assert proc.poll() is None
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
        assert assert_matches_chain(url, client) >= len(report.order_ids)
        assert "reconnecting" in (tmp_path / "indexer.log").read_text()
    finally:
        cluster.destroy()


def _refused(net, url: str, tmp_path) -> str:
    log = tmp_path / "refused.log"
    proc = start_indexer(net.rpc_url(0), url, log)
    assert proc.wait(timeout=60) == 1
    return log.read_text()


def test_c_refuses_a_database_of_another_chain(net, migrated_url, tmp_path):
    with db.connect(migrated_url) as conn:
        conn.execute("INSERT INTO watermark (chain_id, height, block_hash, app_hash) "
                     "VALUES ('another-chain-1', 1, 'AB', 'CD')")
    out = _refused(net, migrated_url, tmp_path)
    assert "another-chain-1" in out and CHAIN_ID in out
    assert watermark(migrated_url) == 1  # nothing written


def test_c_refuses_a_watermark_whose_block_hash_is_not_the_nodes(net, migrated_url, tmp_path):
    with db.connect(migrated_url) as conn:
        conn.execute("INSERT INTO watermark (chain_id, height, block_hash, app_hash) "
                     "VALUES (%s, 1, %s, 'CD')", (CHAIN_ID, "AB" * 32))
    out = _refused(net, migrated_url, tmp_path)
    assert "another history" in out
    with db.connect(migrated_url) as conn:
        assert conn.execute("SELECT count(*) FROM blocks").fetchone()[0] == 0


def test_d_views_of_an_older_version_are_rebuilt_from_raw_events_on_start(net, pg_url, tmp_path):
    client = net.client(0)
    flows = OrderFlows(client, demo_wallets(), CHAIN_ID, seed=33)
    report = flows.run(4, concurrency=4, kinds=("held", "refunded"))
    assert not report.failures, report.failures
    top = client.height()
    log = tmp_path / "indexer.log"
    assert start_indexer(net.rpc_url(0), pg_url, log, "--stop-at", str(top)).wait(60) == 0
    good = snapshot(pg_url, TYPED)
    with db.connect(pg_url) as conn:
        conn.execute("UPDATE view_versions SET version = 0")
        conn.execute("UPDATE orders SET status = 'BOGUS'")
        conn.execute("DELETE FROM holds")
    assert start_indexer(net.rpc_url(0), pg_url, log, "--stop-at", str(top)).wait(60) == 0
    assert "rebuilding" in log.read_text()
    assert snapshot(pg_url, TYPED) == good
    with db.connect(pg_url) as conn:
        assert views.stored_version(conn) == views.VIEWS_VERSION


def _counting_node(net) -> tuple[NodeRPC, Counter]:
    node = NodeRPC(net.rpc_url(0))
    calls: Counter[str] = Counter()
    node.on_call = lambda method: calls.update([method])
    return node, calls


def test_e_headers_in_batches_and_block_only_with_txs_give_the_same_blocks(net):
    node, calls = _counting_node(net)
    report = OrderFlows(net.client(0), demo_wallets(), CHAIN_ID, seed=43).run(
        2, concurrency=2, kinds=("settled", "refunded"))
    assert not report.failures, report.failures
    top = quiet_height(net.client(0))  # the settlement (an end-block event) is in
    heights = range(1, top + 1)
    reference = [decode_block(node.block(h), node.block_results(h)) for h in heights]
    with_txs = sum(1 for b in reference if b.txs)
    assert 0 < with_txs < top  # the earlier tests' flows, and blocks without txs between them
    calls.clear()
    indexer = Indexer(node, "postgresql:///unused", websocket=False)
    try:
        assert indexer.fetch(heights) == reference
    finally:
        indexer._pool.shutdown()
    assert calls == {"blockchain": -(-top // BLOCKCHAIN_LIMIT), "block": with_txs,
                     "block_results": top}


def test_e_blocks_announced_over_the_websocket_cost_the_node_no_request(net):
    node, calls = _counting_node(net)
    indexer = Indexer(node, "postgresql:///unused")
    assert indexer.watcher is not None
    indexer.watcher.start()
    try:
        assert wait_for(lambda: indexer.watcher.connected, 30)
        first = node.latest_height() + 1
        report = OrderFlows(net.client(0), demo_wallets(), CHAIN_ID, seed=44).run(
            2, concurrency=2, kinds=("settled",))
        assert not report.failures, report.failures
        last = indexer.watcher.latest
        assert last > first
        calls.clear()
        got = indexer.fetch(range(first, last + 1))
        assert calls == {}  # every block (and its results) came with its announcement
        assert any(b.txs for b in got)
        assert got == [decode_block(node.block(h), node.block_results(h))
                       for h in range(first, last + 1)]
        assert indexer.watcher.take(first) is None  # handed out once
    finally:
        indexer.watcher.stop()
        indexer._pool.shutdown()


def test_e_the_watcher_keeps_a_bounded_window_of_announced_blocks():
    watcher = BlockWatcher("ws://127.0.0.1:1/websocket", keep=3, keep_bytes=250)
    for h in range(1, 6):
        watcher._keep(h, {"h": h}, {}, 100)
    assert [watcher.take(h) is not None for h in range(1, 6)] == [False] * 3 + [True] * 2
