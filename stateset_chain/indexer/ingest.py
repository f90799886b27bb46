"""The ingest loop: follow a node and write each block, exactly once, into PostgreSQL.

    run(rpc_url, db_url)  ==  statesetd indexer --rpc URL --db URL

1. Migrate the schema; take the database's advisory lock (one indexer per database).
2. Check the database against the node: same chain id, and the watermark's block hash is the
   node's block hash at that height (else: refuse, ``IndexerError``). Rebuild the typed views
   first if their stored version is older than ``views.VIEWS_VERSION``.
3. Loop: the target is the newest height the node has (announced over the websocket, or polled
   from ``/status`` every ``poll_interval``). Heights after the watermark are fetched (several
   at once) and written ``batch`` at a time, each batch in ONE transaction together with the new
   watermark, which is checked (``FOR UPDATE``) to be still where this indexer left it. A crash
   before the commit leaves nothing of the batch; after it, everything: the next start resumes
   after the watermark, whatever the moment of the crash.
4. A lost database connection (PostgreSQL restarted) or an unreachable node is retried with
   backoff, and the loop goes on from the watermark in the database.

The very first transaction also stores the genesis balances (as height-0 ``genesis.balance``
events), so ``balances`` always equals the chain's bank state at the watermark height, and the
oracle's genesis rates (height-0 ``genesis.rate`` events), so ``rates`` starts where the chain
does.
"""

from __future__ import annotations

import json
import logging
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import psycopg
from psycopg.types.json import Jsonb

from stateset_chain.indexer import views
from stateset_chain.indexer.decode import Block, decode_block
from stateset_chain.indexer.metrics import IndexerMetrics
from stateset_chain.indexer.rpc import BlockWatcher, NodeRPC, RpcError, block_of_meta
from stateset_chain.indexer.views import (
    BLOCK_EVENT,
    GENESIS_BALANCE,
    GENESIS_RATE,
    RawEvent,
    ViewBatch,
)
from stateset_chain.readside import db, jsoncodec
from stateset_chain.timefmt import ns_datetime

log = logging.getLogger("stateset.indexer")

ADVISORY_LOCK = 0x5E7A5E7  # one indexer per database
_DB_ERRORS = (psycopg.OperationalError, psycopg.InterfaceError)


class IndexerError(RuntimeError):
    """The indexer must not run over this database (another chain, another history) or cannot
    start; the message says why."""


@dataclass(frozen=True)
class Watermark:
    chain_id: str
    height: int
    block_hash: str
    app_hash: str


def read_watermark(conn: psycopg.Connection) -> Watermark | None:
    row = conn.execute(
        "SELECT chain_id, height, block_hash, app_hash FROM watermark"
    ).fetchone()
    return Watermark(*row) if row else None


def genesis_events(genesis: dict) -> list[RawEvent]:
    """The genesis balances and the oracle's genesis rates as height-0 raw events (see the
    module docstring)."""
    app_state = genesis.get("app_state") or {}
    balances = app_state.get("bank", {}).get("balances", [])
    out = []
    for i, entry in enumerate(sorted(balances, key=lambda b: b["address"])):
        coins = [{"denom": c["denom"], "amount": str(c["amount"])} for c in entry.get("coins", [])]
        out.append(RawEvent(
            0, BLOCK_EVENT, i, GENESIS_BALANCE,
            [("address", json.dumps(entry["address"])), ("coins", json.dumps(coins))], 0,
        ))
    for r in sorted((app_state.get("oracle") or {}).get("rates", []),
                    key=lambda r: r["currency"]):
        # as the oracle's init_genesis stores it: no time = the genesis time and height
        rate = {"currency": r["currency"], "rate": r["rate"],
                "height": str(r.get("height") or genesis.get("initial_height") or 1),
                "time": r.get("time") or genesis.get("genesis_time"),
                "submissions": int(r.get("submissions") or 0),
                "source": r.get("source") or "RATE_SOURCE_GENESIS"}
        out.append(RawEvent(0, BLOCK_EVENT, len(out), GENESIS_RATE,
                            [("rate", json.dumps(rate))], 0))
    return out


class Progress:
    """A progress line on stderr while catching up: height, %, blocks/s, events/s, ETA."""

    def __init__(self, enabled: bool, stream=sys.stderr) -> None:
        self.enabled = enabled
        self.stream = stream
        self.tty = bool(getattr(stream, "isatty", lambda: False)())
        self.samples: deque[tuple[float, int, int]] = deque(maxlen=64)
        self.events = 0
        self._last_print = 0.0
        self._shown = False

    def update(self, height: int, target: int, events: int) -> tuple[float, float]:
        now = time.monotonic()
        self.events += events
        self.samples.append((now, height, self.events))
        rate, erate = self.rates()
        behind = target - height
        if self.enabled and behind > 1 and now - self._last_print >= (0.2 if self.tty else 5.0):
            self._last_print = now
            eta = f"{behind / rate:.0f}s" if rate > 0 else "?"
            pct = 100.0 * height / target if target else 100.0
            width = 30
            filled = int(width * pct / 100)
            bar = "#" * filled + "-" * (width - filled)
            line = (f"indexer [{bar}] {height}/{target} {pct:5.1f}%  {rate:7.1f} blocks/s  "
                    f"{erate:8.1f} events/s  ETA {eta}")
            self.stream.write(("\r" + line) if self.tty else (line + "\n"))
            self.stream.flush()
            self._shown = True
        elif self._shown and behind <= 1 and self.tty:
            self.stream.write("\n")
            self._shown = False
        return rate, erate

    def rates(self) -> tuple[float, float]:
        if len(self.samples) < 2:
            return 0.0, 0.0
        (t0, h0, e0), (t1, h1, e1) = self.samples[0], self.samples[-1]
        dt = t1 - t0
        return ((h1 - h0) / dt, (e1 - e0) / dt) if dt > 0 else (0.0, 0.0)


class Indexer:
    def __init__(
        self,
        node: NodeRPC,
        db_url: str,
        batch: int = 100,
        progress: bool = True,
        metrics: IndexerMetrics | None = None,
        poll_interval: float = 1.0,
        fetchers: int = 4,
        websocket: bool = True,
        stop_at: int = 0,
    ) -> None:
        self.node = node
        self.db_url = db_url
        self.batch = max(1, batch)
        self.progress = Progress(progress)
        self.metrics = metrics or IndexerMetrics()
        self.poll_interval = poll_interval
        self.fetchers = fetchers
        self.stop_event = threading.Event()
        self.watcher = BlockWatcher(node.websocket_url) if websocket else None
        self.conn: psycopg.Connection | None = None
        self.chain_id = ""
        self.target = 0
        self.stop_at = stop_at  # > 0: exit once this height is written
        self._pool = ThreadPoolExecutor(max_workers=fetchers, thread_name_prefix="indexer-rpc")
        self._ahead: dict[int, Future[Block]] = {}
        self._metas: dict[int, dict] = {}  # /blockchain headers of heights not yet fetched

    # -- setup ------------------------------------------------------------------------------

    def connect(self) -> psycopg.Connection:
        conn = db.connect(self.db_url)
        jsoncodec.use_on(conn)  # the documents, payloads and JSONB columns, both ways
        locked = conn.execute("SELECT pg_try_advisory_lock(%s)", (ADVISORY_LOCK,)).fetchone()
        conn.commit()
        if not locked or not locked[0]:
            conn.close()
            raise IndexerError("another indexer holds this database (advisory lock taken)")
        return conn

    def check(self, conn: psycopg.Connection) -> Watermark | None:
        """Refuse a database of another chain or history; rebuild outdated views."""
        node_chain = self.node.chain_id()
        mark = read_watermark(conn)
        conn.commit()
        if mark is None and self.node.earliest_height() > 1:
            raise IndexerError(
                f"the node keeps blocks from {self.node.earliest_height()} on only: index from "
                "a node with the whole history (the views start at genesis)"
            )
        if mark is not None:
            if mark.chain_id != node_chain:
                raise IndexerError(
                    f"the database holds chain {mark.chain_id!r}, the node runs {node_chain!r}: "
                    "use another database"
                )
            try:
                node_hash = self.node.block_hash(mark.height)
            except RpcError as e:
                if self.node.latest_height() < mark.height:
                    raise IndexerError(
                        f"the database is at height {mark.height}, beyond the node's "
                        f"{self.node.latest_height()}: another history? ({e})"
                    ) from None
                raise
            if node_hash != mark.block_hash:
                raise IndexerError(
                    f"block {mark.height} is {mark.block_hash} in the database but {node_hash} "
                    "on the node: another history; index into a fresh database"
                )
            version = views.stored_version(conn)
            if version is None or version < views.VIEWS_VERSION:
                log.info("typed views at version %s, code at %s: rebuilding from raw events",
                         version, views.VIEWS_VERSION)
                views.rebuild(conn)
            elif version > views.VIEWS_VERSION:
                raise IndexerError(
                    f"the typed views are at version {version}, newer than this indexer's "
                    f"{views.VIEWS_VERSION}"
                )
            conn.commit()
        self.chain_id = node_chain
        return mark

    # -- the loop ---------------------------------------------------------------------------

    def run(self) -> None:
        if self.watcher is not None:
            self.watcher.start()
        backoff = 0.5
        try:
            while not self.stop_event.is_set():
                try:
                    if self.conn is None or self.conn.closed:
                        self.conn = self.connect()
                        self.check(self.conn)
                        backoff = 0.5
                    self.step(self.conn)
                    backoff = 0.5
                except _DB_ERRORS as e:
                    log.warning("database connection lost (%s); reconnecting", _one_line(e))
                    self.metrics.db_reconnects.inc()
                    self._drop_connection()
                    self.stop_event.wait(backoff)
                    backoff = min(backoff * 2, 5.0)
                except db.DatabaseError as e:
                    log.warning("%s; retrying", _one_line(e))
                    self._drop_connection()
                    self.stop_event.wait(backoff)
                    backoff = min(backoff * 2, 5.0)
                except RpcError as e:
                    log.warning("node: %s; retrying", _one_line(e))
                    self.stop_event.wait(backoff)
                    backoff = min(backoff * 2, 5.0)
        finally:
            if self.watcher is not None:
                self.watcher.stop()
            self._drop_connection()
            self._pool.shutdown(wait=False, cancel_futures=True)

    def stop(self) -> None:
        self.stop_event.set()
        if self.watcher is not None:
            self.watcher.wake.set()

    def _drop_connection(self) -> None:
        if self.conn is not None:
            try:
                self.conn.close()
            except Exception:  # already broken
                pass
        self.conn = None

    def step(self, conn: psycopg.Connection) -> int:
        """Write what the node has beyond the watermark (one batch); wait if nothing. Returns
        the number of blocks written."""
        mark = read_watermark(conn)
        conn.commit()
        height = mark.height if mark else 0
        if self.stop_at and height >= self.stop_at:
            self.stop()
            return 0
        self._refresh_target()
        if self.stop_at:
            self.target = min(self.target, self.stop_at)
        self.metrics.observe_heights(height, self.target)
        if height >= self.target:
            self._wait_for_block()
            return 0
        last = min(self.target, height + self.batch)
        blocks = self.fetch(range(height + 1, last + 1))
        self.fetch_ahead(range(last + 1, min(self.target, last + self.batch) + 1))
        genesis = genesis_events(self.node.genesis()) if mark is None else []
        self.write(conn, mark, blocks, genesis)
        events = sum(b.event_count for b in blocks)
        rate, erate = self.progress.update(blocks[-1].height, self.target, events)
        self.metrics.observe_batch(blocks[-1].height, self.target, len(blocks), events,
                                   rate, erate)
        return len(blocks)

    def _refresh_target(self) -> None:
        announced = self.watcher.latest if self.watcher is not None else 0
        if announced > self.target:
            self.target = announced
            return
        self.target = max(self.target, self.node.latest_height())

    def _wait_for_block(self) -> None:
        if self.watcher is not None and self.watcher.connected:
            self.watcher.wake.wait(self.poll_interval)
            self.watcher.wake.clear()
        else:
            self.stop_event.wait(min(self.poll_interval, 0.25))

    def fetch(self, heights: Sequence[int]) -> list[Block]:
        """The blocks of ``heights``, decoded, in order: taken from the websocket's
        announcements, from what ``fetch_ahead`` started while the previous batch was being
        written, or fetched now (concurrently)."""
        self._start(heights)
        futures = [self._ahead.pop(h) for h in heights]
        try:
            return [f.result() for f in futures]
        except BaseException:
            self._ahead.clear()  # a failed fetch is not kept for the retry
            self._metas.clear()
            raise

    def fetch_ahead(self, heights: Sequence[int]) -> None:
        """Start fetching the next batch (CometBFT encodes it on the other core meanwhile)."""
        if not heights:
            return
        for stale in [h for h in self._ahead if h < heights[0]]:
            self._ahead.pop(stale).cancel()
        self._start(heights)

    def _start(self, heights: Sequence[int]) -> None:
        """A future for each height of ``heights`` in ``_ahead``. The headers of the heights
        not announced come first, ``BLOCKCHAIN_LIMIT`` a request (``/blockchain``, on this
        thread: small answers), so that ``/block`` is asked only for blocks with txs."""
        wanted = [h for h in heights if h not in self._ahead]
        announced: dict[int, tuple[dict, dict]] = {}
        if self.watcher is not None:
            for h in wanted:
                got = self.watcher.take(h)
                if got is not None:
                    announced[h] = got
        need = [h for h in wanted if h not in announced and h not in self._metas]
        if need:
            wanted_metas = set(need)
            for meta in self.node.block_metas(need[0], need[-1]):
                height = int(meta["header"]["height"])
                if height in wanted_metas:
                    self._metas[height] = meta
        for h in wanted:
            if h in announced:
                future: Future[Block] = Future()
                future.set_result(decode_block(*announced[h]))
                self._ahead[h] = future
            else:
                self._ahead[h] = self._pool.submit(self._fetch_one, h, self._metas.pop(h))

    def _fetch_one(self, height: int, meta: dict) -> Block:
        if int(meta.get("num_txs") or 0) == 0:
            block = block_of_meta(meta)
        else:
            block = self.node.block(height)
        return decode_block(block, self._results(height))

    def _results(self, height: int) -> dict:
        for attempt in range(20):  # the tip's results can lag its announcement by a moment
            try:
                return self.node.block_results(height)
            except RpcError:
                if attempt == 19:
                    raise
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")

    def write(self, conn: psycopg.Connection, mark: Watermark | None, blocks: Sequence[Block],
              genesis: Sequence[RawEvent] = ()) -> None:
        """Every row of ``blocks`` and the new watermark, in one transaction."""
        expected = mark.height if mark else None
        with conn.transaction():
            row = conn.execute("SELECT height FROM watermark FOR UPDATE").fetchone()
            if (row[0] if row else None) != expected:
                raise IndexerError(f"the watermark moved from {expected} to {row}: two writers?")
            with conn.cursor() as cur:
                write_raw(cur, blocks, genesis)
            batch = ViewBatch(conn)
            batch.apply_all([*genesis, *(e for b in blocks for e in b.events)])
            batch.flush()
            last = blocks[-1]
            conn.execute(
                "INSERT INTO watermark (id, chain_id, height, block_hash, app_hash, updated_at) "
                "VALUES (true, %s, %s, %s, %s, now()) ON CONFLICT (id) DO UPDATE SET "
                "chain_id = EXCLUDED.chain_id, height = EXCLUDED.height, "
                "block_hash = EXCLUDED.block_hash, app_hash = EXCLUDED.app_hash, "
                "updated_at = now()",
                (self.chain_id, last.height, last.hash, last.result_app_hash),
            )
            if mark is None:
                views.set_version(conn)


def write_raw(cur: psycopg.Cursor, blocks: Sequence[Block], extra: Sequence[RawEvent]) -> None:
    """COPY the raw tables: blocks, txs, events, attributes."""
    with cur.copy("COPY blocks (height, hash, time, time_ns, proposer, num_txs, app_hash, "
                  "last_results_hash) FROM STDIN") as copy:
        for b in blocks:
            copy.write_row((b.height, b.hash, ns_datetime(b.time_ns), b.time_ns, b.proposer,
                            len(b.txs), b.app_hash, b.last_results_hash))
    with cur.copy("COPY txs (height, index, hash, code, codespace, log, gas_wanted, gas_used, "
                  "fee, signer, memo, messages) FROM STDIN") as copy:
        for b in blocks:
            for t in b.txs:
                copy.write_row((b.height, t.index, t.hash, t.code, t.codespace, t.log,
                                t.gas_wanted, t.gas_used, Jsonb(t.fee), t.signer, t.memo,
                                Jsonb(t.messages)))
    events = [*extra, *(e for b in blocks for e in b.events)]
    with cur.copy("COPY events (height, tx_index, index, type) FROM STDIN") as copy:
        for e in events:
            copy.write_row((e.height, e.tx_index, e.index, e.type))
    with cur.copy("COPY event_attributes (height, tx_index, event_index, index, key, value) "
                  "FROM STDIN") as copy:
        for e in events:
            for i, (k, v) in enumerate(e.attributes):
                copy.write_row((e.height, e.tx_index, e.index, i, k, v))


def _one_line(e: BaseException) -> str:
    return " ".join(str(e).split())


def run(rpc_url: str, db_url: str, metrics: str = "", batch: int = 100,
        progress: bool = True, stop_at: int = 0) -> int:
    """``statesetd indexer``: migrate, check, then follow the node until SIGTERM/SIGINT."""
    deadline = time.monotonic() + 60
    while True:  # the database may still be starting (the localnet starts both together)
        try:
            db.migrate(db_url)
            break
        except db.DatabaseError as e:
            if time.monotonic() > deadline:
                raise
            log.warning("%s; retrying", _one_line(e))
            time.sleep(1.0)
    node = NodeRPC(rpc_url)
    indexer_metrics = IndexerMetrics()
    node.on_call = indexer_metrics.observe_request
    if metrics:
        indexer_metrics.serve(metrics)
    indexer = Indexer(node, db_url, batch=batch, progress=progress, metrics=indexer_metrics,
                      stop_at=stop_at)
    # fail fast on a database of another chain, before the loop's retries
    for attempt in range(60):
        try:
            conn = indexer.connect()
            indexer.check(conn)
            indexer.conn = conn
            break
        except RpcError as e:
            if attempt == 59:
                raise IndexerError(f"node {rpc_url} unreachable: {e}") from None
            time.sleep(1.0)

    def on_signal(signum, frame):
        indexer.stop()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    log.info("indexing %s (%s) into %s", rpc_url, indexer.chain_id, db.redact(db_url))
    indexer.run()
    return 0
