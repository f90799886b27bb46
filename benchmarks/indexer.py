"""The indexer: catch-up ingest rate over a chain of many orders, and follow lag under load.

1. A 1-validator localnet (real CometBFT + our app) and a throwaway PostgreSQL cluster.
2. Build the chain: ``orders`` orders created by ``MsgBatchCreateOrders`` (``batch`` orders per
   tx, the demo accounts signing in turn), then ``paid`` of them paid by ``MsgBatchPayOrders``,
   then ``flows`` order flows of every kind (``bench.orderflow``: shipped and settled,
   cancelled, held, refunded, returned, disputed, split payments, paid and refunded across
   chains, unclaimed funds, burns), one message per tx. The indexer does not run meanwhile.
3. Catch-up: ``statesetd indexer --stop-at TOP`` from height 1 into an empty database; wall time
   from start to exit gives blocks/s and events/s (events = every raw event written, genesis
   included). Row counts are checked against the orders sent.
4. Follow: the indexer runs at the tip while order flows of every kind
   (``bench.orderflow``) go through the chain for ``follow_seconds``; the indexer's lag is
   sampled from its metrics (blocks behind) and from the database (seconds between a block's
   header time and the moment the watermark reached it).
"""

from __future__ import annotations

import hashlib
import json
import os
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
from benchmarks import cputime
from benchmarks import txs as bench_txs
from benchmarks.orderflow import OrderFlows, Signer
from localnet import Localnet
from localnet.pgcluster import PgCluster
from stateset_chain.client import (
    ClientError,
    NodeClient,
    default_fee,
    sign_tx,
    wallet_from_mnemonic,
)
from stateset_chain.coins import SSUSD, Coin
from stateset_chain.localnet import CHAIN_ID, free_ports, load_demo_accounts, set_config
from stateset_chain.orders.ids import make_order_id

from stateset.orders.v1 import orders_pb2
from stateset.orders.v1 import query_pb2 as orders_query
from stateset.orders.v1 import tx_pb2 as orders_tx

UNIT_PRICE = "10.00"
BUILD_ATTEMPTS = 6  # a build resumes after its node was killed, up to this many times
TOTAL = 10_000_000  # one item at 10.00, no shipping address (no tax), no shipping method


@dataclass
class CatchUp:
    """One catch-up run from height 1 into an empty database."""

    tree: str  # "this tree", or the folder of the other tree's indexer (``base_tree``)
    seconds: float = 0.0
    events: int = 0
    indexer_cpu: float = 0.0
    postgres_cpu: float = 0.0
    cometbft_cpu: float = 0.0
    load_start: float = 0.0
    load_end: float = 0.0
    node_restarts: int = 0  # CometBFT killed from outside during the run and started again
    attribute_bytes: int = 0  # bytes of every raw event attribute's key and value written


@dataclass
class IndexerResult:
    orders: int
    paid: int
    flows: int = 0
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
    load_start: float = 0.0
    load_end: float = 0.0
    indexer_cpu: float = 0.0
    postgres_cpu: float = 0.0
    cometbft_cpu: float = 0.0
    profile: list[tuple[str, float, float]] = field(default_factory=list)
    sends_seconds: float = 0.0
    sends_txs: int = 0
    sends_blocks: int = 0
    sends_events: float = 0.0
    sends_indexer_cpu: float = 0.0
    sends_lag_blocks: list[float] = field(default_factory=list)
    sends_lag_seconds: list[float] = field(default_factory=list)
    catchups: list[CatchUp] = field(default_factory=list)  # every run, in order (A/B)
    node_profile: list[tuple[str, float, float]] = field(default_factory=list)

    def markdown(self) -> str:
        secs = self.catchup_seconds
        bps = self.top / secs if secs else 0.0
        eps = self.events / secs if secs else 0.0
        cpu = self.indexer_cpu
        lines = [
            f"Chain: {self.orders:,} orders created in batches ({self.paid:,} of them paid), "
            f"then {self.flows:,} order flows of every kind, in {self.txs:,} txs over "
            f"{self.top:,} blocks (built in {self.build_seconds:.0f} s).",
            f"Load average (1 min) {self.load_start:.1f} at the catch-up's start, "
            f"{self.load_end:.1f} at its end, on {os.cpu_count()} cores.",
            "",
            "| catch-up from height 1 | value |",
            "|---|---|",
            f"| blocks | {self.top:,} |",
            f"| events (raw, genesis included) | {self.events:,} |",
            f"| wall time | {secs:.1f} s |",
            f"| **blocks/s** (wall) | **{bps:,.1f}** |",
            f"| **events/s** (wall) | **{eps:,.0f}** |",
            f"| indexer CPU (every thread) | {cpu:.1f} s: **{self.events / cpu if cpu else 0:,.0f} "
            f"events per indexer CPU-s**, {self.top / cpu if cpu else 0:,.1f} blocks per CPU-s |",
            f"| PostgreSQL CPU (every backend) | {self.postgres_cpu:.1f} s "
            f"({self.events / self.postgres_cpu if self.postgres_cpu else 0:,.0f} events per "
            "CPU-s) |",
            f"| CometBFT CPU (serving /block, /block_results) | {self.cometbft_cpu:.1f} s |",
            f"| orders rows / payments rows / outbox rows | {self.rows.get('orders', 0):,} / "
            f"{self.rows.get('payments', 0):,} / {self.rows.get('webhook_outbox', 0):,} |",
            "",
        ]
        if len(self.catchups) > 1:
            lines += [
                "Catch-up runs back to back, in this order, on the same chain and node:",
                "",
                "| indexer | wall s | blocks/s | events/s | indexer CPU s | events per indexer "
                "CPU-s | PostgreSQL CPU s | CometBFT CPU s | attribute MB | load start/end |",
                "|---|---|---|---|---|---|---|---|---|---|",
                *[
                    f"| {c.tree} | {c.seconds:.1f} | {self.top / c.seconds:,.2f} | "
                    f"{c.events / c.seconds:,.0f} | {c.indexer_cpu:.1f} | "
                    f"{c.events / c.indexer_cpu if c.indexer_cpu else 0:,.0f} | "
                    f"{c.postgres_cpu:.1f} | {c.cometbft_cpu:.1f} | "
                    f"{c.attribute_bytes / 1e6:,.1f} | "
                    f"{c.load_start:.1f} / {c.load_end:.1f} |"
                    for c in self.catchups
                ],
                "",
            ]
        if self.profile:
            lines += [
                "py-spy samples of the catch-up (every thread; own time, and inclusive):",
                "",
                "| function | own % | inclusive % |",
                "|---|---|---|",
                *[f"| `{name}` | {own:.1f} | {inc:.1f} |" for name, own, inc in self.profile],
                "",
            ]
        if self.node_profile:
            lines += [
                "CometBFT's own CPU profile over this tree's first catch-up (Go pprof, "
                "`go tool pprof -top` of consecutive 10 s profiles):",
                "",
                "| function | flat % | cumulative % |",
                "|---|---|---|",
                *[
                    f"| `{name}` | {flat:.1f} | {cum:.1f} |"
                    for name, flat, cum in self.node_profile
                ],
                "",
            ]
        if self.lag_blocks:
            lines += [
                f"Follow: {self.follow_txs:,} order-flow txs in {self.follow_seconds:.0f} s at "
                "the tip; lag sampled every 0.2 s.",
                "",
                *_lag_table(self.lag_blocks, self.lag_seconds),
            ]
        if self.sends_lag_blocks:
            rate = self.sends_txs / self.sends_seconds if self.sends_seconds else 0.0
            ev = self.sends_events
            lines += [
                f"Follow under the localnet benchmark's MsgSend load: {self.sends_txs:,} txs "
                f"committed in {self.sends_seconds:.0f} s ({rate:,.0f} tx/s, "
                f"{self.sends_blocks:,} blocks); the indexer wrote {ev:,.0f} events in that "
                f"time on {self.sends_indexer_cpu:.1f} indexer CPU-s "
                f"({ev / self.sends_indexer_cpu if self.sends_indexer_cpu else 0:,.0f} events "
                "per CPU-s).",
                "",
                *_lag_table(self.sends_lag_blocks, self.sends_lag_seconds),
            ]
        return "\n".join(lines)


def _lag_table(blocks: list[float], seconds: list[float]) -> list[str]:
    return [
        "| follow lag | p50 | p95 | max |",
        "|---|---|---|---|",
        f"| blocks behind the node | {_pct(blocks, 50):.0f} | {_pct(blocks, 95):.0f} | "
        f"{max(blocks):.0f} |",
        f"| block time -> in PostgreSQL (s) | {_pct(seconds, 50):.2f} | "
        f"{_pct(seconds, 95):.2f} | {max(seconds):.2f} |",
        "",
    ]


def _pct(values: list[float], p: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def _batch_create(signer: Signer, merchant: str, n: int, tag: str) -> bytes:
    orders = [
        orders_tx.MsgCreateOrder(
            creator=signer.address,
            customer=signer.address,
            merchant=merchant,
            name=f"bench {tag}-{i}",
            items=[
                orders_pb2.LineItem(
                    sku="BENCH", name="Bench item", quantity=1, unit_price=UNIT_PRICE
                )
            ],
        )
        for i in range(n)
    ]
    msg = orders_tx.MsgBatchCreateOrders(creator=signer.address, orders=orders)
    return _sign(signer, msg)


def _batch_pay(signer: Signer, order_ids: list[str]) -> bytes:
    msg = orders_tx.MsgBatchPayOrders(
        payer=signer.address,
        payments=[
            orders_tx.PayOrderItem(order_id=oid, amount=Coin(SSUSD, TOTAL).to_proto())
            for oid in order_ids
        ],
    )
    return _sign(signer, msg)


def _sign(signer: Signer, msg) -> bytes:
    gas = 8_000_000  # a 100-order batch uses ~3.2M; the block limit is 100M (12 per block)
    tx = sign_tx(
        signer.wallet,
        [msg],
        chain_id=CHAIN_ID,
        account_number=signer.number,
        sequence=signer.sequence,
        fees=[default_fee(gas)],
        gas=gas,
    )
    signer.sequence += 1
    return tx


def _send_all(net: Localnet, txs: list[tuple[str, bytes]], log) -> None:
    """Broadcast in waves the mempool holds, then wait until every tx is in a block."""
    # a 100-order batch's CheckTx can take seconds on a loaded machine
    client = NodeClient(net.rpc_url(0), timeout=300)
    hashes = []
    for i in range(0, len(txs), 200):
        for _, tx in txs[i : i + 200]:
            hashes.append(_broadcast(client, tx))
        log(f"  broadcast {min(i + 200, len(txs))}/{len(txs)} txs, height {client.height()}")
        # let the mempool drain a little (blocks of ~200 txs take seconds to execute)
        while _mempool_size(net) > 400:
            time.sleep(0.5)
    for h in hashes:
        done = client.wait_for_tx(h, timeout=600)
        if done.code != 0:
            raise RuntimeError(f"a bench tx failed in its block: {done.log}")


def _broadcast(client: NodeClient, tx: bytes) -> str:
    """``broadcast_tx_sync`` of one tx; its hash. CheckTx waits while the app executes a block,
    which takes tens of seconds for a block of twelve 100-order txs on a loaded machine: an
    answer cut off by the node's RPC write timeout (a ConnectionError) is asked again, and
    "already in the cache" then means the first attempt got in."""
    for attempt in range(30):
        try:
            res = client.broadcast(tx)
        except ClientError as e:
            if "already exists in cache" in str(e):
                return hashlib.sha256(tx).hexdigest().upper()
            if attempt == 29:
                raise
            time.sleep(1.0)
            continue
        if res.code != 0:
            raise RuntimeError(f"CheckTx refused a bench tx: {res.code} {res.log}")
        return res.txhash
    raise AssertionError("unreachable")


def _mempool_size(net: Localnet) -> int:
    return int(net.rpc(0, "num_unconfirmed_txs")["n_txs"])


def _metric(url: str, name: str) -> float | None:
    try:
        text = requests.get(url, timeout=2).text
    except requests.RequestException:
        return None
    match = re.search(rf"^{name} (\S+)$", text, re.M)
    return float(match.group(1)) if match else None


def _count(conn: psycopg.Connection, table: str, where: str = "") -> int:
    row = conn.execute(f"SELECT count(*) FROM {table} {where}").fetchone()
    return int(row[0]) if row else 0


def _attribute_bytes(conn: psycopg.Connection) -> int:
    row = conn.execute(
        "SELECT coalesce(sum(octet_length(key) + octet_length(value)), 0) FROM event_attributes"
    ).fetchone()
    return int(row[0]) if row else 0


def _compared_rows(conn: psycopg.Connection) -> dict[str, int]:
    """The row counts two trees' indexers must agree on. Raw events and their attributes are
    counted from height 1: what an indexer writes for the genesis (height 0: the genesis
    balances, and the oracle's genesis rates since views version 4) depends on its version, not
    on the chain."""
    rows = {t: _count(conn, t) for t in _COMPARED}
    for table in ("events", "event_attributes"):
        rows[table] = _count(conn, table, "WHERE height > 0")
    return rows


def _indexer(
    rpc: str,
    url: str,
    log_path: Path,
    *extra: str,
    prefix: list[str] | None = None,
    tree: Path | None = None,
) -> subprocess.Popen:
    """The indexer as a subprocess; ``tree``: the checkout (an export of another commit) whose
    ``stateset_chain`` it runs, with this virtualenv."""
    env = dict(os.environ)
    if tree is not None:
        env["PYTHONPATH"] = str(tree)
    with open(log_path, "ab") as out:
        return subprocess.Popen(
            [
                *(prefix or []),
                sys.executable,
                "-m",
                "stateset_chain.cli.main",
                "indexer",
                "--rpc",
                rpc,
                "--db",
                url,
                *extra,
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=str(tree) if tree is not None else None,
        )


def _load_chain(chain_dir: Path | None) -> dict | None:
    if chain_dir is None or not (chain_dir / "chain.json").exists():
        return None
    return json.loads((chain_dir / "chain.json").read_text())


def run(
    orders: int,
    paid: int,
    batch: int,
    follow_seconds: float,
    log,
    *,
    chain_dir: Path | None = None,
    sends: float = 0.0,
    senders: int = 20,
    blocks_per_tx: int = 100,
    profile: bool = False,
    flows: int = 0,
    base_tree: Path | None = None,
    rounds: int = 1,
    node_profile: bool = False,
) -> IndexerResult:
    """See the module docstring. ``chain_dir``: build the chain there and keep it, or reuse the
    chain built there before (same orders/paid/flows); ``sends``: seconds of MsgSend load (the
    localnet benchmark's) at the tip; ``profile``: sample the catch-up with py-spy;
    ``base_tree``: also catch up with the indexer of that checkout, alternating with this
    tree's (``rounds`` of each, the other tree first), each into an empty database;
    ``node_profile``: CometBFT's own CPU profile (Go pprof) over this tree's first catch-up."""
    result = IndexerResult(orders=orders, paid=min(paid, orders), flows=flows)
    # SIGTERM stops the run through the finally below (localnet and PostgreSQL go too)
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(143))
    work = Path(tempfile.mkdtemp(prefix="stateset-bench-indexer-"))
    work.chmod(0o755)  # as root, PostgreSQL runs as `postgres`
    built = _load_chain(chain_dir)
    if built is not None and built["paid"] < 0:  # a build cut short in its pays: count them
        result.paid = paid = -1
    if built is not None and (built["orders"], built["paid"], built.get("flows", 0)) != (
        orders,
        result.paid,
        flows,
    ):
        raise RuntimeError(
            f"{chain_dir} holds a chain of {built['orders']} orders "
            f"({built['paid']} paid, {built.get('flows', 0)} flows), not "
            f"{orders} ({result.paid}, {flows})"
        )
    net_dir = (chain_dir / "net") if chain_dir is not None else (work / "net")
    senders = built["senders"] if built is not None else senders
    bench_accounts = bench_txs.accounts(senders)
    net = Localnet(
        net_dir,
        validators=1,
        base_port=0,
        start_timeout=1200,
        accounts=[*load_demo_accounts(), *bench_txs.genesis_entries(bench_accounts)],
    )
    # a reused chain's node replays its last block (up to 1,200 payments) and the app opens a
    # large state before it listens: minutes on a loaded box
    wait_app = net._wait_app_listening
    net._wait_app_listening = lambda i, timeout=600.0: wait_app(i, timeout)  # type: ignore
    cluster = PgCluster(work / "postgres")
    if not net.generated():
        net.generate()
    # CometBFT's RPC write timeout is timeout_broadcast_tx_commit + 1 s: a broadcast_tx_sync
    # waiting for CheckTx behind a 30 s block must not be cut off
    config: dict[str, object] = {"rpc.timeout_broadcast_tx_commit": "120s"}
    pprof = ""
    if node_profile:
        (pprof_port,) = free_ports(1)
        pprof = f"127.0.0.1:{pprof_port}"
    config["rpc.pprof_laddr"] = pprof
    set_config(Path(net.nodes[0].home) / "config" / "config.toml", config)
    try:
        net.start()
        cluster.start()
        wallets = [wallet_from_mnemonic(a["mnemonic"]) for a in load_demo_accounts()]
        client = net.client(0)
        if built is None or built.get("building"):
            if chain_dir is not None:  # marks the build as under way, for a resume
                (chain_dir / "chain.json").write_text(
                    json.dumps(
                        {
                            "orders": orders,
                            "paid": result.paid,
                            "flows": flows,
                            "senders": senders,
                            "building": True,
                            "build_seconds": (built or {}).get("build_seconds", 0),
                        }
                    )
                )
            started = time.monotonic()
            for attempt in range(BUILD_ATTEMPTS):
                try:
                    _build(
                        net,
                        wallets,
                        result,
                        batch,
                        log,
                        resume=built if attempt == 0 else (built or {"building": True}),
                    )
                    break
                except Exception as e:  # the node killed from outside (seen twice): resume
                    if attempt == BUILD_ATTEMPTS - 1:
                        raise
                    log(
                        f"indexer bench: the build stopped ({type(e).__name__}: {e}); "
                        "restarting the localnet and resuming from what the chain holds"
                    )
                    net.stop()
                    net.start()
            result.build_seconds = (
                time.monotonic() - started + (built or {}).get("build_seconds", 0)
            )
            if chain_dir is not None:
                (chain_dir / "chain.json").write_text(
                    json.dumps(
                        {
                            "orders": orders,
                            "paid": result.paid,
                            "flows": flows,
                            "top": result.top,
                            "txs": result.txs,
                            "senders": senders,
                            "build_seconds": result.build_seconds,
                        }
                    )
                )
        else:
            result.top, result.txs = built["top"] or client.height(), built["txs"]
            result.build_seconds = built["build_seconds"]
            log(f"indexer bench: reusing the chain in {chain_dir} (top {result.top:,})")

        log(f"indexer bench: catch-up of {result.top:,} blocks")
        url = ""
        base_rows: dict[str, int] = {}
        for r in range(rounds):
            if base_tree is not None:
                base_url = cluster.create_database(f"base{r}")
                run_ = _catch_up(
                    net, cluster, base_url, work, result, blocks_per_tx, False, log, tree=base_tree
                )
                with psycopg.connect(base_url) as conn:
                    run_.events = _count(conn, "events")
                    run_.attribute_bytes = _attribute_bytes(conn)
                    base_rows = _compared_rows(conn)
                cluster.drop_database(f"base{r}")
                log(f"  {base_tree}: {run_.seconds:.1f} s, indexer CPU {run_.indexer_cpu:.1f} s")
            url = cluster.create_database(f"catchup{r}")
            spy = _NodeProfile(pprof, work) if pprof and r == 0 else None
            run_ = _catch_up(
                net, cluster, url, work, result, blocks_per_tx, profile and r == 0, log
            )
            if spy is not None:
                result.node_profile = spy.stop()
            with psycopg.connect(url) as conn:
                run_.events = _count(conn, "events")
                run_.attribute_bytes = _attribute_bytes(conn)
                rows = _compared_rows(conn)
            if base_rows and rows != base_rows:
                raise RuntimeError(
                    f"the two indexers wrote different row counts: {base_rows} (base) != {rows}"
                )
            log(f"  this tree: {run_.seconds:.1f} s, indexer CPU {run_.indexer_cpu:.1f} s")
            if r == 0:
                result.catchup_seconds, result.indexer_cpu = run_.seconds, run_.indexer_cpu
                result.postgres_cpu, result.cometbft_cpu = run_.postgres_cpu, run_.cometbft_cpu
                result.load_start, result.load_end = run_.load_start, run_.load_end
            if r < rounds - 1:
                cluster.drop_database(f"catchup{r}")
        with psycopg.connect(url) as conn:
            result.events = _count(conn, "events")
            for table in ("orders", "payments", "webhook_outbox"):
                result.rows[table] = _count(conn, table)
        if result.paid < 0:
            result.paid = paid = result.rows["payments"]
        # the flows add orders and payments of their own (a burn flow none, a split pay two)
        exact = result.flows == 0
        if (
            result.rows["orders"] < orders
            or result.rows["payments"] < result.paid
            or exact
            and (result.rows["orders"], result.rows["payments"]) != (orders, result.paid)
        ):
            raise RuntimeError(f"indexed rows {result.rows} != {orders} orders, {paid} paid")

        if follow_seconds > 0:
            _follow(net, url, wallets, follow_seconds, work, result, log)
        if sends > 0:
            _follow_sends(net, url, bench_accounts, sends, work, result, log)
    finally:
        net.stop()
        cluster.destroy()
        shutil.rmtree(work, ignore_errors=True)
    return result


def _chain_order(client: NodeClient, seq: int) -> orders_pb2.Order | None:
    try:
        response = client.query(
            "/stateset.orders.v1.Query/Order",
            orders_query.QueryOrderRequest(order_id=make_order_id(CHAIN_ID, seq)),
            orders_query.QueryOrderResponse,
        )
    except ClientError:
        return None
    return response.order if response.order.id else None


def _count_prefix(upto: int, holds) -> int:
    """The largest n <= upto with ``holds(1..n)``, for a property that holds for a prefix of
    the order sequence numbers (created, paid)."""
    lo, hi = 0, upto
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if holds(mid):
            lo = mid
        else:
            hi = mid - 1
    return lo


def _build(
    net: Localnet, wallets, result: IndexerResult, batch: int, log, resume: dict | None = None
) -> None:
    """Creates, pays, flows. ``resume``: the ``chain.json`` of a build cut short (a kill from
    outside): what the chain already holds is counted from its own queries and skipped."""
    client = net.client(0)
    signers = [Signer(client, w, CHAIN_ID) for w in wallets]
    merchant = signers[2].address
    customers = [s for i, s in enumerate(signers) if i != 2]
    orders = result.orders
    done_creates = done_pays = 0
    if resume is not None:
        done_creates = _count_prefix(orders, lambda n: _chain_order(client, n) is not None)
        done_creates -= done_creates % batch  # batches are atomic: whole ones are in
        done_pays = _count_prefix(
            result.paid,
            lambda n: (o := _chain_order(client, n)) is not None and int(o.amount_paid or 0) > 0,
        )
        done_pays -= done_pays % batch
        log(
            f"indexer bench: resuming a build cut short: {done_creates:,} orders created, "
            f"{done_pays:,} paid"
        )
    log(f"indexer bench: creating {orders - done_creates:,} orders ({batch} per tx)")
    creates = []
    for k in range(done_creates, orders, batch):
        signer = customers[(k // batch) % len(customers)]
        creates.append(
            (signer.address, _batch_create(signer, merchant, min(batch, orders - k), str(k)))
        )
    _send_all(net, creates, log)
    ids = [make_order_id(CHAIN_ID, seq) for seq in range(1, result.paid + 1)]
    log(f"indexer bench: paying {result.paid - done_pays:,} orders")
    pays = []
    for k in range(done_pays, len(ids), batch):
        # order seq s was created by customers[((s-1)//batch) % len(customers)]
        signer = customers[(k // batch) % len(customers)]
        pays.append((signer.address, _batch_pay(signer, ids[k : k + batch])))
    _send_all(net, pays, log)
    result.txs = -(-orders // batch) + -(-result.paid // batch)
    if result.flows:
        log(f"indexer bench: {result.flows:,} order flows of every kind")
        report = OrderFlows(client, wallets, CHAIN_ID, seed=11).run(result.flows, concurrency=30)
        if report.failures:
            raise RuntimeError(f"order flows failed: {report.failures[:3]}")
        result.txs += report.txs
    result.top = client.height()


def _catch_up(
    net: Localnet,
    cluster: PgCluster,
    url: str,
    work: Path,
    result: IndexerResult,
    blocks_per_tx: int,
    profile: bool,
    log,
    tree: Path | None = None,
) -> CatchUp:
    """``statesetd indexer --stop-at TOP`` into the empty database at ``url``: wall time, and
    the CPU seconds of the indexer, of PostgreSQL and of CometBFT (serving /block and
    /block_results) over the run; appended to ``result.catchups``."""
    run_ = CatchUp(tree=str(tree) if tree is not None else "this tree")
    comet_pid = net._pid(0, "cometbft")
    pg0, comet0 = cputime.tree_cpu(cluster.pid()), cputime.own_cpu(comet_pid or -1)
    run_.load_start = cputime.load_average()
    started = time.monotonic()
    extra = ["--stop-at", str(result.top), "--batch", str(blocks_per_tx), "--no-progress"]
    prefix: list[str] = []
    if profile:
        spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
        if not Path(spy).exists():
            raise RuntimeError("--profile needs py-spy (pip install py-spy into the venv)")
        prefix = [
            spy,
            "record",
            "--subprocesses",
            "--threads",
            "--rate",
            "50",
            "--format",
            "raw",
            "-o",
            str(work / "catchup.spy"),
            "--",
        ]
    proc = _indexer(net.rpc_url(0), url, work / "catchup.log", *extra, prefix=prefix, tree=tree)
    done = threading.Event()

    def watchdog() -> None:  # a node killed from outside is started again (the run flagged)
        while not done.wait(1.0):
            if net._pid(0, "cometbft") is None:
                run_.node_restarts += 1
                log("  CometBFT is gone (killed from outside?): starting it again")
                net.start_node(0)

    dog = threading.Thread(target=watchdog, daemon=True)
    dog.start()
    _, status, usage = os.wait4(proc.pid, 0)
    done.set()
    dog.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    run_.seconds = time.monotonic() - started
    run_.load_end = cputime.load_average()
    if proc.returncode != 0:
        raise RuntimeError(
            f"the indexer failed; see {work / 'catchup.log'}: "
            + (work / "catchup.log").read_text()[-2000:]
        )
    run_.indexer_cpu = usage.ru_utime + usage.ru_stime
    run_.postgres_cpu = cputime.tree_cpu(cluster.pid()) - pg0
    run_.cometbft_cpu = cputime.own_cpu(comet_pid or -1) - comet0
    if run_.node_restarts:  # the figure lost the first CometBFT's CPU: not comparable
        run_.cometbft_cpu = float("nan")
    if profile:
        result.profile = _spy_summary(work / "catchup.spy")
        shutil.copy(work / "catchup.spy", Path(tempfile.gettempdir()) / "indexer-catchup.spy")
    result.catchups.append(run_)
    return run_


class _NodeProfile:
    """CometBFT's CPU profile while a catch-up runs: consecutive 10 s profiles from the node's
    pprof server, merged and ranked by ``go tool pprof -top`` (flat and cumulative %)."""

    def __init__(self, address: str, work: Path) -> None:
        self.base = f"http://{address}/debug/pprof/profile?seconds=10"
        self.files: list[Path] = []
        self.work = work
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._collect, daemon=True)
        self.thread.start()

    def _collect(self) -> None:
        while not self.done.is_set():
            try:
                data = requests.get(self.base, timeout=60).content
            except requests.RequestException:
                time.sleep(0.5)
                continue
            path = self.work / f"cometbft-{len(self.files)}.pprof"
            path.write_bytes(data)
            self.files.append(path)

    def stop(self, top: int = 25) -> list[tuple[str, float, float]]:
        self.done.set()
        self.thread.join(timeout=30)
        go = shutil.which("go") or "/usr/local/go/bin/go"
        if not self.files:
            return []
        out = subprocess.run(
            [go, "tool", "pprof", "-top", f"-nodecount={top}", *map(str, self.files)],
            capture_output=True,
            text=True,
            timeout=300,
        ).stdout
        for f in self.files:
            shutil.copy(f, Path(tempfile.gettempdir()) / f"indexer-{f.name}")
        rows = []
        for line in out.splitlines():
            m = re.match(
                r"^\s*[\d.]+\w*\s+([\d.]+)%\s+[\d.]+%\s+[\d.]+\w*\s+([\d.]+)%\s+(.+)$", line
            )
            if m:
                rows.append((m.group(3).strip(), float(m.group(1)), float(m.group(2))))
        return rows


_COMPARED = (
    "blocks",
    "txs",
    "events",
    "event_attributes",
    "orders",
    "payments",
    "refunds",
    "shipments",
    "settlements",
    "webhook_outbox",
    "balances",
)


def _spy_summary(path: Path, top: int = 25) -> list[tuple[str, float, float]]:
    """(function, own %, inclusive %) of py-spy's raw (collapsed) stacks, by own time."""
    own: dict[str, int] = {}
    incl: dict[str, int] = {}
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        frames = [f for f in stack.split(";") if f]
        if not frames:
            continue
        total += n
        leaf = _frame(frames[-1])
        own[leaf] = own.get(leaf, 0) + n
        for name in {_frame(f) for f in frames}:
            incl[name] = incl.get(name, 0) + n
    ranked = sorted(own.items(), key=lambda kv: -kv[1])[:top]
    return [(name, 100.0 * n / total, 100.0 * incl.get(name, 0) / total) for name, n in ranked]


def _frame(frame: str) -> str:
    """``func (path/to/file.py:123)`` -> ``func (file.py)``."""
    name, _, where = frame.partition(" (")
    file = where.split(":", 1)[0].rsplit("/", 1)[-1]
    return f"{name} ({file})" if file else name


class _Lag:
    """The indexer (with ``--metrics``) at the tip; ``sample`` while a load runs records blocks
    behind the node and, per height, when the watermark first reached it."""

    def __init__(self, net: Localnet, url: str, work: Path, name: str) -> None:
        (port,) = free_ports(1)
        self.metrics = f"http://127.0.0.1:{port}/metrics"
        self.url = url
        self.proc = _indexer(
            net.rpc_url(0),
            url,
            work / f"{name}.log",
            "--metrics",
            f"127.0.0.1:{port}",
            "--no-progress",
        )
        self.blocks: list[float] = []
        self.seen: dict[int, float] = {}
        self.events0 = 0.0

    def wait_caught_up(self) -> None:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:  # first catch up with what the chain made meanwhile
            lag = _metric(self.metrics, "stateset_indexer_lag_blocks")
            if lag is not None and lag <= 1 and _metric(self.metrics, "stateset_indexer_height"):
                break
            time.sleep(0.5)
        self.events0 = _metric(self.metrics, "stateset_indexer_events_total") or 0.0
        self.cpu0 = cputime.own_cpu(self.proc.pid)

    def sample(self, alive) -> None:
        while alive():
            lag = _metric(self.metrics, "stateset_indexer_lag_blocks")
            height = _metric(self.metrics, "stateset_indexer_height")
            now = time.time()
            if lag is not None and height:
                self.blocks.append(lag)
                self.seen.setdefault(int(height), now)
            time.sleep(0.2)

    def finish(self) -> tuple[list[float], list[float], float, float]:
        """(blocks behind, seconds block time -> watermark, events indexed, indexer CPU-s)."""
        # let the indexer write what the load's last blocks hold
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            lag = _metric(self.metrics, "stateset_indexer_lag_blocks")
            height = _metric(self.metrics, "stateset_indexer_height")
            if height:
                self.seen.setdefault(int(height), time.time())
            if lag is not None and lag <= 0:
                break
            time.sleep(0.2)
        events = (_metric(self.metrics, "stateset_indexer_events_total") or 0.0) - self.events0
        cpu = cputime.own_cpu(self.proc.pid) - self.cpu0
        self.proc.terminate()
        self.proc.wait(timeout=30)
        with psycopg.connect(self.url) as conn:
            times: dict[int, int] = dict(
                conn.execute(
                    "SELECT height, time_ns FROM blocks WHERE height = ANY(%s)", (list(self.seen),)
                ).fetchall()
            )
        seconds = [max(0.0, self.seen[h] - times[h] / 1e9) for h in self.seen if h in times]
        return self.blocks, seconds, events, cpu


def _follow(
    net: Localnet, url: str, wallets, seconds: float, work: Path, result: IndexerResult, log
) -> None:
    lag = _Lag(net, url, work, "follow")
    try:
        lag.wait_caught_up()
        flows = OrderFlows(net.client(0), wallets, CHAIN_ID, seed=5)
        box: dict = {}
        stop_at = time.monotonic() + seconds
        load = threading.Thread(
            target=lambda: box.setdefault(
                "report", flows.run(10_000, concurrency=30, deadline=stop_at)
            )
        )
        log(f"indexer bench: following the tip for {seconds:.0f} s under order-flow load")
        started = time.monotonic()
        load.start()
        lag.sample(load.is_alive)
        load.join()
        result.follow_seconds = time.monotonic() - started
        result.follow_txs = box["report"].txs
    finally:
        result.lag_blocks, result.lag_seconds, _, _ = lag.finish()


def _follow_sends(
    net: Localnet, url: str, accounts, seconds: float, work: Path, result: IndexerResult, log
) -> None:
    """The localnet benchmark's load (pre-signed MsgSends, one client thread per sender, as fast
    as CheckTx answers: ``benchmarks.network``) for ``seconds`` while the indexer follows."""
    from benchmarks import network

    client = net.client(0)
    groups = []
    per_sender = int(1500 * seconds / len(accounts)) + 1  # more than the chain can take
    log(f"indexer bench: signing {per_sender * len(accounts):,} MsgSends")
    for s, sender in enumerate(accounts):
        acct = client.account(sender.address)
        to = accounts[(s + 1) % len(accounts)].address
        groups.append(
            [
                bench_txs.sign_send(
                    sender,
                    to,
                    1,
                    chain_id=CHAIN_ID,
                    account_number=acct.account_number,
                    sequence=acct.sequence + q,
                )
                for q in range(per_sender)
            ]
        )
    lag = _Lag(net, url, work, "follow-sends")
    try:
        lag.wait_caught_up()
        h0 = client.height()
        box: dict = {}
        load = threading.Thread(
            target=lambda: box.setdefault(
                "load",
                network._drive(
                    [net.rpc_url(0)], groups, per_sender * len(accounts), seconds, 0.05, 30.0, log
                ),
            )
        )
        log(f"indexer bench: following the tip for {seconds:.0f} s under MsgSend load")
        load.start()
        lag.sample(load.is_alive)
        load.join()
        sent_at, watcher, sent, rejected, t_start, send_s, _retries = box["load"]
        committed = [watcher.seen[h] for h in sent_at if h in watcher.seen]
        result.sends_txs = len(committed)
        result.sends_seconds = (max(committed) - t_start) if committed else 0.0
        result.sends_blocks = client.height() - h0
    finally:
        (
            result.sends_lag_blocks,
            result.sends_lag_seconds,
            result.sends_events,
            result.sends_indexer_cpu,
        ) = lag.finish()
