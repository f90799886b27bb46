"""The indexer: catch-up ingest rate over a chain of many orders, and follow lag under load.

1. A 1-validator localnet (real CometBFT + our app) and a throwaway PostgreSQL cluster.
2. Build the chain: ``orders`` orders created by ``MsgBatchCreateOrders`` (``batch`` orders per
   tx, the demo accounts signing in turn), then ``paid`` of them paid by ``MsgBatchPayOrders``.
   The indexer does not run meanwhile.
3. Catch-up: ``statesetd indexer --stop-at TOP`` from height 1 into an empty database; wall time
   from start to exit gives blocks/s and events/s (events = every raw event written, genesis
   included). Row counts are checked against the orders sent.
4. Follow: the indexer runs at the tip while order flows of every kind
   (``bench.orderflow``) go through the chain for ``follow_seconds``; the indexer's lag is
   sampled from its metrics (blocks behind) and from the database (seconds between a block's
   header time and the moment the watermark reached it).
"""

from __future__ import annotations

import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import requests

import stateset_chain.pb  # noqa: F401
from benchmarks.orderflow import OrderFlows, Signer
from localnet import Localnet
from localnet.pgcluster import PgCluster
from stateset_chain.client import default_fee, sign_tx, wallet_from_mnemonic
from stateset_chain.coins import SSUSD, Coin
from stateset_chain.localnet import CHAIN_ID, free_ports, load_demo_accounts
from stateset_chain.orders.ids import ORDER_PREFIX, make_id

from stateset.orders.v1 import orders_pb2
from stateset.orders.v1 import tx_pb2 as orders_tx

UNIT_PRICE = "10.00"
TOTAL = 10_000_000  # one item at 10.00, no shipping address (no tax), no shipping method


@dataclass
class IndexerResult:
    orders: int
    paid: int
    top: int = 0
    txs: int = 0
    build_seconds: float = 0.0
    catchup_seconds: float = 0.0
    events: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    follow_seconds: float = 0.0
    follow_txs: int = 0
    lag_blocks: list[float] = field(default_factory=list)
    lag_seconds: list[float] = field(default_factory=list)

    def markdown(self) -> str:
        bps = self.top / self.catchup_seconds if self.catchup_seconds else 0.0
        eps = self.events / self.catchup_seconds if self.catchup_seconds else 0.0
        lines = [
            f"Chain: {self.orders:,} orders created ({self.paid:,} of them paid) in "
            f"{self.txs:,} txs over {self.top:,} blocks (built in {self.build_seconds:.0f} s).",
            "",
            "| catch-up from height 1 | value |",
            "|---|---|",
            f"| blocks | {self.top:,} |",
            f"| events (raw, genesis included) | {self.events:,} |",
            f"| wall time | {self.catchup_seconds:.1f} s |",
            f"| **blocks/s** | **{bps:,.1f}** |",
            f"| **events/s** | **{eps:,.0f}** |",
            f"| orders rows / payments rows / outbox rows | {self.rows.get('orders', 0):,} / "
            f"{self.rows.get('payments', 0):,} / {self.rows.get('webhook_outbox', 0):,} |",
            "",
        ]
        if self.lag_blocks:
            lines += [
                f"Follow: {self.follow_txs:,} order-flow txs in {self.follow_seconds:.0f} s at "
                "the tip; lag sampled every 0.2 s.",
                "",
                "| follow lag | p50 | p95 | max |",
                "|---|---|---|---|",
                f"| blocks behind the node | {_pct(self.lag_blocks, 50):.0f} | "
                f"{_pct(self.lag_blocks, 95):.0f} | {max(self.lag_blocks):.0f} |",
                f"| block time -> in PostgreSQL (s) | {_pct(self.lag_seconds, 50):.2f} | "
                f"{_pct(self.lag_seconds, 95):.2f} | {max(self.lag_seconds):.2f} |",
                "",
            ]
        return "\n".join(lines)


def _pct(values: list[float], p: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def _batch_create(signer: Signer, merchant: str, n: int, tag: str) -> bytes:
    orders = [
        orders_tx.MsgCreateOrder(
            creator=signer.address, customer=signer.address, merchant=merchant,
            name=f"bench {tag}-{i}",
            items=[orders_pb2.LineItem(sku="BENCH", name="Bench item", quantity=1,
                                       unit_price=UNIT_PRICE)],
        )
        for i in range(n)
    ]
    msg = orders_tx.MsgBatchCreateOrders(creator=signer.address, orders=orders)
    return _sign(signer, msg)


def _batch_pay(signer: Signer, order_ids: list[str]) -> bytes:
    msg = orders_tx.MsgBatchPayOrders(payer=signer.address, payments=[
        orders_tx.PayOrderItem(order_id=oid, amount=Coin(SSUSD, TOTAL).to_proto())
        for oid in order_ids
    ])
    return _sign(signer, msg)


def _sign(signer: Signer, msg) -> bytes:
    gas = 8_000_000  # a 100-order batch uses ~3.2M; the block limit is 100M (12 per block)
    tx = sign_tx(signer.wallet, [msg], chain_id=CHAIN_ID, account_number=signer.number,
                 sequence=signer.sequence, fees=[default_fee(gas)], gas=gas)
    signer.sequence += 1
    return tx


def _send_all(net: Localnet, txs: list[tuple[str, bytes]], log) -> None:
    """Broadcast in waves the mempool holds, then wait until every tx is in a block."""
    client = net.client(0)
    hashes = []
    for i in range(0, len(txs), 200):
        for _, tx in txs[i:i + 200]:
            res = client.broadcast(tx)
            if res.code != 0:
                raise RuntimeError(f"CheckTx refused a bench tx: {res.code} {res.log}")
            hashes.append(res.txhash)
        log(f"  broadcast {min(i + 200, len(txs))}/{len(txs)} txs, height {client.height()}")
        # let the mempool drain a little (blocks of ~200 txs take seconds to execute)
        while _mempool_size(net) > 400:
            time.sleep(0.5)
    for h in hashes:
        done = client.wait_for_tx(h, timeout=600)
        if done.code != 0:
            raise RuntimeError(f"a bench tx failed in its block: {done.log}")


def _mempool_size(net: Localnet) -> int:
    return int(net.rpc(0, "num_unconfirmed_txs")["n_txs"])


def _metric(url: str, name: str) -> float | None:
    try:
        text = requests.get(url, timeout=2).text
    except requests.RequestException:
        return None
    match = re.search(rf"^{name} (\S+)$", text, re.M)
    return float(match.group(1)) if match else None


def _count(conn: psycopg.Connection, table: str) -> int:
    row = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(row[0]) if row else 0


def _indexer(rpc: str, url: str, log_path: Path, *extra: str) -> subprocess.Popen:
    with open(log_path, "ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "stateset_chain.cli.main", "indexer", "--rpc", rpc, "--db",
             url, *extra], stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)


def run(orders: int, paid: int, batch: int, follow_seconds: float, log) -> IndexerResult:
    result = IndexerResult(orders=orders, paid=min(paid, orders))
    # SIGTERM stops the run through the finally below (localnet and PostgreSQL go too)
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(143))
    work = Path(tempfile.mkdtemp(prefix="stateset-bench-indexer-"))
    work.chmod(0o755)  # as root, PostgreSQL runs as `postgres`
    net = Localnet(work / "net", validators=1, base_port=0)
    cluster = PgCluster(work / "postgres")
    try:
        net.start()
        cluster.start()
        wallets = [wallet_from_mnemonic(a["mnemonic"]) for a in load_demo_accounts()]
        client = net.client(0)
        signers = [Signer(client, w, CHAIN_ID) for w in wallets]
        merchant = signers[2].address
        customers = [s for i, s in enumerate(signers) if i != 2]

        started = time.monotonic()
        log(f"indexer bench: creating {orders:,} orders ({batch} per tx)")
        creates = []
        for k in range(0, orders, batch):
            signer = customers[(k // batch) % len(customers)]
            creates.append((signer.address, _batch_create(signer, merchant, min(batch, orders - k),
                                                          str(k))))
        _send_all(net, creates, log)
        ids = [make_id(ORDER_PREFIX, seq) for seq in range(1, result.paid + 1)]
        log(f"indexer bench: paying {result.paid:,} orders")
        pays = []
        for k in range(0, len(ids), batch):
            # order seq s was created by customers[((s-1)//batch) % len(customers)]
            signer = customers[(k // batch) % len(customers)]
            pays.append((signer.address, _batch_pay(signer, ids[k:k + batch])))
        _send_all(net, pays, log)
        result.txs = len(creates) + len(pays)
        result.build_seconds = time.monotonic() - started
        result.top = client.height()

        log(f"indexer bench: catch-up of {result.top:,} blocks")
        url = cluster.create_database("catchup")
        started = time.monotonic()
        proc = _indexer(net.rpc_url(0), url, work / "catchup.log", "--stop-at", str(result.top))
        if proc.wait() != 0:
            raise RuntimeError(f"the indexer failed; see {work / 'catchup.log'}")
        result.catchup_seconds = time.monotonic() - started
        with psycopg.connect(url) as conn:
            result.events = _count(conn, "events")
            for table in ("orders", "payments", "webhook_outbox"):
                result.rows[table] = _count(conn, table)
        if result.rows["orders"] != orders or result.rows["payments"] != result.paid:
            raise RuntimeError(f"indexed rows {result.rows} != {orders} orders, {paid} paid")

        if follow_seconds > 0:
            _follow(net, url, wallets, follow_seconds, work, result, log)
    finally:
        net.stop()
        cluster.destroy()
        shutil.rmtree(work, ignore_errors=True)
    return result


def _follow(net: Localnet, url: str, wallets, seconds: float, work: Path,
            result: IndexerResult, log) -> None:
    (port,) = free_ports(1)
    metrics = f"http://127.0.0.1:{port}/metrics"
    proc = _indexer(net.rpc_url(0), url, work / "follow.log", "--metrics", f"127.0.0.1:{port}",
                    "--no-progress")
    try:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:  # first catch up with what the chain made meanwhile
            lag = _metric(metrics, "stateset_indexer_lag_blocks")
            if lag is not None and lag <= 1 and _metric(metrics, "stateset_indexer_height"):
                break
            time.sleep(0.5)
        flows = OrderFlows(net.client(0), wallets, CHAIN_ID, seed=5)
        box: dict = {}
        stop_at = time.monotonic() + seconds
        load = threading.Thread(target=lambda: box.setdefault(
            "report", flows.run(10_000, concurrency=30, deadline=stop_at)))
        log(f"indexer bench: following the tip for {seconds:.0f} s under order-flow load")
        started = time.monotonic()
        load.start()
        seen: dict[int, float] = {}
        while load.is_alive():
            lag = _metric(metrics, "stateset_indexer_lag_blocks")
            height = _metric(metrics, "stateset_indexer_height")
            now = time.time()
            if lag is not None and height:
                result.lag_blocks.append(lag)
                seen.setdefault(int(height), now)
            time.sleep(0.2)
        load.join()
        result.follow_seconds = time.monotonic() - started
        result.follow_txs = box["report"].txs
        with psycopg.connect(url) as conn:
            times: dict[int, int] = dict(conn.execute(
                "SELECT height, time_ns FROM blocks WHERE height = ANY(%s)", (list(seen),)
            ).fetchall())
        result.lag_seconds = [max(0.0, seen[h] - times[h] / 1e9) for h in seen if h in times]
    finally:
        proc.terminate()
        proc.wait(timeout=30)
