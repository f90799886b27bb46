"""Commit cost against state size: CommitStore stage + commit of a 10,000-key block.

For each state size ``n`` a fresh LevelDB (``CommitStore.open`` in a temporary directory) is
populated with ``n`` keys in chunks (each chunk one stage + commit, untimed), then ``repeats``
blocks are timed, each changing ``block`` keys: half updates of existing keys spread over the
whole key space, half inserts of new keys. ``stage`` is the Merkle tree update (node reads,
hashes); ``commit`` is the one synced LevelDB write batch (state, tree nodes, height, app hash).

Keys look like state keys (``b"bench/" + 8-byte index``, 14 bytes), values like balances
(16 bytes). The claim under test: the cost of a block grows with the block's writes and only
through ``log2(n)`` with the state, never linearly.
"""

from __future__ import annotations

import hashlib
import math
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import report
from stateset_chain.store import commit as commit_store
from stateset_chain.store.commit import CommitStore
from stateset_chain.store.smt import SparseMerkleTree

CHUNK = 50_000


def key(i: int) -> bytes:
    return b"bench/" + i.to_bytes(8, "big")


def value(i: int, version: int) -> bytes:
    return hashlib.sha256(b"%d/%d" % (i, version)).digest()[:16]


@dataclass
class SizeResult:
    state_keys: int
    populate_s: float
    stage_ms: list[float] = field(default_factory=list)
    stage_cpu_ms: list[float] = field(default_factory=list)  # this thread's CPU time in stage
    commit_ms: list[float] = field(default_factory=list)
    node_writes: list[int] = field(default_factory=list)
    db_reads: list[int] = field(default_factory=list)
    db_mib: float = 0.0

    @property
    def total_ms(self) -> float:
        return report.median([s + c for s, c in zip(self.stage_ms, self.commit_ms, strict=True)])


@dataclass
class CommitResult:
    block: int
    sizes: list[SizeResult]
    peak_rss_mib: float = 0.0

    def markdown(self) -> str:
        rows = []
        base = self.sizes[0]
        for r in self.sizes:
            rows.append([
                r.state_keys, len(r.stage_ms), report.median(r.stage_ms),
                report.median(r.stage_cpu_ms),
                report.median(r.commit_ms), r.total_ms, r.total_ms / base.total_ms,
                math.log2(r.state_keys) / math.log2(base.state_keys),
                int(report.median(r.node_writes)), int(report.median(r.db_reads)),
                1000 * r.total_ms / report.median(r.node_writes), r.db_mib, r.populate_s,
            ])
        t = report.table(
            ["state keys", "blocks", "stage ms", "stage CPU ms", "commit ms", "stage+commit ms",
             "× smallest", "log2 n ratio", "tree node writes", "LevelDB reads",
             "µs per node write", "DB MiB", "populate s"],
            rows,
        )
        return (
            f"CommitStore stage + commit of a block changing {self.block:,} keys "
            f"({self.block // 2:,} updates, {self.block - self.block // 2:,} inserts), "
            f"LevelDB on disk; medians.\n\n{t}\n\nPeak RSS: {self.peak_rss_mib:,.0f} MiB.\n"
        )


def _measure(n: int, block: int, repeats: int, log) -> SizeResult:
    with tempfile.TemporaryDirectory(prefix="stateset-bench-commit-") as tmp:
        store = CommitStore.open(str(Path(tmp) / "state"))
        # Diagnostics only: count the tree-node reads that miss CommitStore's in-memory top of
        # the tree and go to LevelDB (everything the tree reads goes through ``_raw.get``).
        reads = _CountingKV(store._raw)
        store._raw = reads  # type: ignore[assignment]
        store._nodes = commit_store.node_cache(
            reads.get, commit_store.TREE, commit_store.CACHE_DEPTH, commit_store.DEEP_CACHE_NODES)
        store.tree = SparseMerkleTree(store._nodes)
        try:
            height = 0
            t = time.perf_counter()
            for start in range(0, n, CHUNK):
                height += 1
                store.stage([(key(i), value(i, 0)) for i in range(start, min(n, start + CHUNK))],
                            height)
                store.commit()
            result = SizeResult(n, time.perf_counter() - t)
            log(f"commit: populated {n:,} keys in {result.populate_s:.1f} s")
            next_new = n
            updates = block // 2
            for r in range(repeats):
                stride = max(1, n // updates)
                changed = [((j * stride + r * 7) % n) for j in range(updates)]
                ops = [(key(i), value(i, r + 1)) for i in changed]
                ops += [(key(i), value(i, 0)) for i in range(next_new, next_new + block - updates)]
                next_new += block - updates
                height += 1
                reads.count = 0
                c0 = time.thread_time()
                t0 = time.perf_counter()
                store.stage(ops, height)
                t1 = time.perf_counter()
                result.stage_cpu_ms.append((time.thread_time() - c0) * 1000)
                result.db_reads.append(reads.count)
                staged = store._staged  # the node writes, for the table
                nodes = len(staged.nodes) if staged is not None else 0
                store.commit()
                t2 = time.perf_counter()
                result.stage_ms.append((t1 - t0) * 1000)
                result.commit_ms.append((t2 - t1) * 1000)
                result.node_writes.append(nodes)
                log(f"commit: {n:,} keys: stage {result.stage_ms[-1]:.0f} ms, "
                    f"commit {result.commit_ms[-1]:.0f} ms, {nodes:,} node writes, "
                    f"{reads.count:,} LevelDB reads")
        finally:
            store.close()
        result.db_mib = sum(p.stat().st_size for p in Path(tmp).rglob("*") if p.is_file()) / 2**20
    return result


class _CountingKV:
    """Wraps the CommitStore's raw KV and counts ``get`` calls."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.count = 0

    def get(self, k: bytes) -> bytes | None:
        self.count += 1
        return self.inner.get(k)

    def __getattr__(self, name: str):
        return getattr(self.inner, name)


def run(
    sizes: list[int] | None = None, block: int = 10_000, repeats: int = 3, log=print
) -> CommitResult:
    sizes = sorted(sizes or [10_000, 1_000_000])
    results = [_measure(n, block, repeats, log) for n in sizes]
    return CommitResult(block, results, report.peak_rss_mib())
