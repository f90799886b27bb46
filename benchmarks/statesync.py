"""State sync: snapshot creation and restore time and size with many orders.

1. The standard app on LevelDB, the benchmark accounts funded at genesis, then ``orders``
   synthetic orders imported (``orders_data.import_orders``, untimed).
2. **Creation.** Empty blocks run (FinalizeBlock + Commit, timed) before the snapshot, then a
   snapshot of the last commit is started the way Commit starts it (``Snapshotter``: the view is
   a LevelDB snapshot, the work is on a worker thread), and empty blocks keep running while it
   is written, to show what the snapshot costs consensus on the same process. Reported: the
   time Commit spends starting it, the worker's total time, the chunks, items, raw and
   compressed sizes.
3. **Restore.** A fresh app over a new LevelDB restores the snapshot through OfferSnapshot and
   ApplySnapshotChunk (chunks read from the snapshot directory, as LoadSnapshotChunk serves
   them). Reported: total time, the time of the chunks (verify + write + tree), and the last
   chunk's step (root check, the orders' list indexes rebuilt, the final synced write). The
   restored app hash and every state key, node-local ones included, must equal the source's.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import stateset_chain.pb  # noqa: F401
from benchmarks import report, txs
from benchmarks.chain import BenchChain
from benchmarks.orders_data import OrderBook, app_state, import_orders
from stateset_chain.abci.adapter import AbciApp
from stateset_chain.statesync import format as fmt
from stateset_chain.statesync.application import StateSyncApplication
from stateset_chain.statesync.snapshots import SnapshotStore
from stateset_chain.store.commit import CommitStore
from stateset_chain.wiring import standard_app

from tendermint.abci import types_pb2 as abci

CHAIN_ID = "stateset-bench-statesync-1"


@dataclass
class StateSyncResult:
    orders: int
    import_s: float = 0.0
    state_keys: int = 0
    items: int = 0
    chunks: int = 0
    raw_mib: float = 0.0
    disk_mib: float = 0.0
    commit_start_ms: float = 0.0
    create_s: float = 0.0
    blocks_before_ms: list[float] = field(default_factory=list)
    blocks_during_ms: list[float] = field(default_factory=list)
    restore_s: float = 0.0
    chunks_s: float = 0.0
    finish_s: float = 0.0
    restored_local_keys: int = 0
    peak_rss_mib: float = 0.0
    checks: list[str] = field(default_factory=list)

    def markdown(self) -> str:
        rows: list[list[object]] = [
            ["orders", self.orders],
            ["state keys (consensus + node-local)", self.state_keys],
            ["snapshot items (consensus keys)", self.items],
            ["chunks", self.chunks],
            ["raw size, MiB", self.raw_mib],
            ["on disk / on the wire (zlib), MiB", self.disk_mib],
            ["Commit's share: start the snapshot, ms", self.commit_start_ms],
            ["creation (worker thread), s", self.create_s],
            ["empty block before, median ms", report.median(self.blocks_before_ms)],
            ["empty block while the snapshot is written, median / max ms",
             f"{report.median(self.blocks_during_ms):.1f} / {max(self.blocks_during_ms):.1f}"
             if self.blocks_during_ms else "n/a"],
            ["blocks committed while it was written", len(self.blocks_during_ms)],
            ["restore total, s", self.restore_s],
            ["  chunks (verify, write, tree), s", self.chunks_s],
            ["  last step (root check, index rebuild, synced write), s", self.finish_s],
            ["node-local keys rebuilt", self.restored_local_keys],
            ["peak RSS, MiB", self.peak_rss_mib],
        ]
        text = report.table(["figure", "value"], rows)
        return text + "\n" + "".join(f"- check: {c}\n" for c in self.checks)


def run(orders: int, chunk: int, log) -> StateSyncResult:
    result = StateSyncResult(orders)
    accounts = txs.accounts(10)
    with tempfile.TemporaryDirectory(prefix="stateset-bench-statesync-") as tmp:
        source = BenchChain(Path(tmp) / "source", app_state(accounts), CHAIN_ID)
        try:
            log(f"statesync: importing {orders:,} orders ...")
            t = time.perf_counter()
            import_orders(source, OrderBook(orders, chain_id=CHAIN_ID), chunk, log)
            result.import_s = time.perf_counter() - t
            store = source.store
            result.state_keys = sum(1 for _ in store.state.iterate())
            served = StateSyncApplication(source.app, SnapshotStore(Path(tmp) / "snapshots"),
                                          interval=1, keep=1)
            for _ in range(5):
                result.blocks_before_ms.append(_empty_block(source))
            t = time.perf_counter()
            started = served.snapshotter.maybe_snapshot(store.committed())
            result.commit_start_ms = (time.perf_counter() - t) * 1e3
            assert started
            worker = served.snapshotter._worker
            assert worker is not None
            while worker.is_alive():
                result.blocks_during_ms.append(_empty_block(source))
            worker.join()
            result.create_s = time.perf_counter() - t
            if served.snapshotter.last_error is not None:
                raise served.snapshotter.last_error
            log(f"statesync: snapshot written in {result.create_s:.1f} s")
            [snapshot] = [s for s in served.list_snapshots(abci.RequestListSnapshots()).snapshots
                          if s.height == store.last_height - len(result.blocks_during_ms)]
            directory = Path(tmp) / "snapshots" / str(snapshot.height)
            manifest = fmt.decode_manifest(snapshot.metadata)
            result.items, result.chunks = manifest.items, len(manifest.chunks)
            result.raw_mib = sum(c.raw_size for c in manifest.chunks) / 2**20
            result.disk_mib = sum(p.stat().st_size for p in directory.iterdir()) / 2**20
            _restore(served, snapshot, manifest, Path(tmp) / "target", result, log)
        finally:
            source.close()
    result.peak_rss_mib = report.peak_rss_mib()
    return result


def _empty_block(chain: BenchChain) -> float:
    t = time.perf_counter()
    chain.block([])
    return (time.perf_counter() - t) * 1e3


def _restore(served, snapshot, manifest, directory: Path, result: StateSyncResult, log) -> None:
    directory.mkdir()
    target = StateSyncApplication(AbciApp(standard_app(CommitStore.open(str(directory / "state")))),
                                  SnapshotStore(directory / "snapshots"))
    log(f"statesync: restoring {len(manifest.chunks)} chunks ...")
    t = time.perf_counter()
    offered = target.offer_snapshot(abci.RequestOfferSnapshot(
        snapshot=snapshot, app_hash=manifest.app_hash))
    assert offered.result == abci.ResponseOfferSnapshot.ACCEPT, offered
    last = len(manifest.chunks) - 1
    for i in range(len(manifest.chunks)):
        data = served.load_snapshot_chunk(abci.RequestLoadSnapshotChunk(
            height=snapshot.height, format=snapshot.format, chunk=i)).chunk
        if i == last:
            result.chunks_s = time.perf_counter() - t
        step = time.perf_counter()
        applied = target.apply_snapshot_chunk(abci.RequestApplySnapshotChunk(
            index=i, chunk=data, sender="bench"))
        assert applied.result == abci.ResponseApplySnapshotChunk.ACCEPT, (i, applied)
        if i == last:
            result.finish_s = time.perf_counter() - step
    result.restore_s = time.perf_counter() - t
    info = target.info(abci.RequestInfo())
    assert info.last_block_height == snapshot.height
    assert info.last_block_app_hash == manifest.app_hash
    result.checks.append(f"restored app hash = the source's at height {snapshot.height}")
    restored = target.core.store
    result.restored_local_keys = sum(1 for k, _ in restored.state.iterate()
                                     if restored.is_local(k))
    same = _state_digest(restored) == _state_digest(served.core.store)
    assert same, "restored state differs from the source's"
    result.checks.append("every state key, node-local indexes included, equals the source's "
                         "(empty blocks after the snapshot change no orders key)")
    restored.close()


def _state_digest(store) -> bytes:
    """SHA-256 over the state's orders keys (``orders/``: the bulk, and all node-local keys)."""
    import hashlib

    from stateset_chain.orders.keys import STORE_PREFIX
    from stateset_chain.store.kv import prefix_end

    h = hashlib.sha256()
    for k, v in store.state.iterate(STORE_PREFIX, prefix_end(STORE_PREFIX)):
        h.update(len(k).to_bytes(4, "big") + k + len(v).to_bytes(4, "big") + v)
    return h.digest()
