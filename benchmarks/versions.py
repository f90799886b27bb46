"""Past versions: what keeping V versions costs per block, and reads at a past height.

For each ``keep`` V a fresh LevelDB store (``CommitStore.open(keep_versions=V)``) is populated
with ``keys`` state keys (untimed chunks), then ``blocks`` blocks are committed, each changing
``block`` keys (half updates spread over the key space, half inserts), as in the ``commit`` part.
Per V: the median stage+commit time of a block, the logical bytes a block adds to the history
(``h/`` and ``p/`` entries, keys plus values, read back after each commit) and the database's
growth on disk per block (directory size after a full compaction, at the first and the last
block, over the blocks between; with V < blocks the window is full for the later blocks, so
pruning takes its share).

Reads, on the store that keeps the most versions: a point read (``view.state.get``) of random
existing keys at the latest height and at past heights (1 and V/2 blocks back, and the
earliest kept), a 100-key range read, and an ICS23 proof (``ics23_proof``), in µs, medians over
``reads`` keys each.
"""

from __future__ import annotations

import hashlib
import random
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import report
from stateset_chain.store import versions
from stateset_chain.store.commit import CommitStore

CHUNK = 50_000


def key(i: int) -> bytes:
    return b"bench/" + i.to_bytes(8, "big")


def value(i: int, version: int) -> bytes:
    return hashlib.sha256(b"%d/%d" % (i, version)).digest()[:16]


def _du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.iterdir() if f.is_file())


@dataclass
class KeepResult:
    keep: int
    commit_ms: list[float] = field(default_factory=list)
    history_bytes: list[int] = field(default_factory=list)  # h/ + p/ written per block
    history_entries: list[int] = field(default_factory=list)  # h/ entries written per block
    disk_growth_mib_per_block: float = 0.0
    db_mib: float = 0.0


@dataclass
class ReadResult:
    height_back: str
    get_us: float
    range100_us: float
    proof_us: float


@dataclass
class VersionsResult:
    keys: int
    block: int
    blocks: int
    keeps: list[KeepResult]
    reads: list[ReadResult]
    read_keep: int = 0

    def markdown(self) -> str:
        base = self.keeps[0]
        rows = []
        for r in self.keeps:
            rows.append([
                "all" if r.keep == 0 else r.keep, report.median(r.commit_ms),
                report.median(r.commit_ms) / report.median(base.commit_ms),
                int(report.median(r.history_entries)), report.median(r.history_bytes) / 2**20,
                r.disk_growth_mib_per_block, r.db_mib,
            ])
        t = report.table(
            ["keep-versions", "stage+commit ms", "× keep 1", "history entries / block",
             "history MiB / block", "disk growth MiB / block", "DB MiB at end"],
            rows,
        )
        reads = report.table(
            ["read at", "point read µs", "100-key range µs", "ICS23 proof µs"],
            [[r.height_back, r.get_us, r.range100_us, r.proof_us] for r in self.reads],
        )
        return (
            f"{self.keys:,} state keys, then {self.blocks} blocks changing {self.block:,} keys "
            f"each ({self.block // 2:,} updates, {self.block - self.block // 2:,} inserts); "
            f"LevelDB on disk; medians.\n\n{t}\n\nReads on the store keeping "
            f"{'all' if self.read_keep == 0 else self.read_keep} versions (medians over random "
            f"existing keys):\n\n{reads}\n"
        )


def _history_of(store: CommitStore, height: int) -> tuple[int, int]:
    """(bytes, entries) the commit of ``height`` added to the history (keys plus values of its
    ``h/`` entries and its ``p/`` list), read back after the commit, outside the timing."""
    joined = store._raw.get(versions.CHANGED + height.to_bytes(8, "big"))
    if joined is None:
        return 0, 0
    total, entries = len(joined) + len(versions.CHANGED) + 8, 0
    for hk in versions.changed_keys(joined):
        k = versions.HISTORY + hk + height.to_bytes(8, "big")
        total += len(k) + len(store._raw.get(k) or b"")
        entries += 1
    return total, entries


def _populate(store: CommitStore, n: int) -> int:
    height = 0
    for start in range(0, n, CHUNK):
        height += 1
        store.stage([(key(i), value(i, 0)) for i in range(start, min(n, start + CHUNK))], height)
        store.commit()
    return height


def _blocks(store: CommitStore, n: int, block: int, blocks: int, height: int,
            result: KeepResult | None, db: Path | None) -> int:
    next_new = n
    updates = block // 2
    size_at: dict[int, int] = {}
    for r in range(blocks):
        stride = max(1, n // updates)
        changed = [((j * stride + r * 7) % n) for j in range(updates)]
        ops = [(key(i), value(i, r + 1)) for i in changed]
        ops += [(key(i), value(i, 0)) for i in range(next_new, next_new + block - updates)]
        next_new += block - updates
        height += 1
        t0 = time.perf_counter()
        store.stage(ops, height)
        store.commit()
        if result is not None:
            result.commit_ms.append((time.perf_counter() - t0) * 1000)
            written, entries = _history_of(store, height)
            result.history_bytes.append(written)
            result.history_entries.append(entries)
        if db is not None and r in (0, blocks - 1):
            store._raw.db.compact_range()  # type: ignore[attr-defined]
            size_at[r] = _du(db)
    if result is not None and db is not None and blocks > 1:
        result.disk_growth_mib_per_block = (size_at[blocks - 1] - size_at[0]) / (blocks - 1) / 2**20
        result.db_mib = size_at[blocks - 1] / 2**20
    return height


def _first(items, n: int) -> int:
    count = 0
    for _ in items:
        count += 1
        if count == n:
            break
    return count


def _time_us(fn, items) -> float:
    times = []
    for item in items:
        t = time.perf_counter()
        fn(item)
        times.append((time.perf_counter() - t) * 1e6)
    return report.median(times)


def run(keys: int, block: int, blocks: int, keeps: list[int], reads: int, log) -> VersionsResult:
    results: list[KeepResult] = []
    read_rows: list[ReadResult] = []
    read_keep = max(keeps, key=lambda k: (k == 0, k))
    for keep in keeps:
        with tempfile.TemporaryDirectory(prefix="stateset-bench-versions-") as tmp:
            db = Path(tmp) / "state"
            store = CommitStore.open(str(db), keep_versions=keep)
            height = _populate(store, keys)
            log(f"versions: keep {keep}: populated {keys:,} keys")
            result = KeepResult(keep)
            height = _blocks(store, keys, block, blocks, height, result, db)
            log(f"versions: keep {keep}: {blocks} blocks, "
                f"{report.median(result.commit_ms):.0f} ms per block")
            results.append(result)
            if keep == read_keep:
                read_rows = _reads(store, keys, blocks, reads)
            store.close()
    return VersionsResult(keys, block, blocks, results, read_rows, read_keep)


def _reads(store: CommitStore, n: int, blocks: int, count: int) -> list[ReadResult]:
    rng = random.Random(15)
    last, earliest = store.last_height, store.earliest_height
    backs = [("latest", 0), ("1 block back", last - 1)]
    middle = last - (last - earliest) // 2
    if middle not in (last, last - 1):
        backs.append((f"{last - middle} blocks back", middle))
    if earliest not in (last, last - 1, middle):
        backs.append((f"earliest kept ({last - earliest} back)", earliest))
    out = []
    for label, height in backs:
        view = store.view_at(height)
        sample = [key(rng.randrange(n)) for _ in range(count)]
        get_us = _time_us(view.state.get, sample)
        range_us = _time_us(lambda k, s=view.state: _first(s.iterate(k, None), 100), sample)
        proof_us = _time_us(lambda k, v=view: store.ics23_proof(v, k), sample[: max(1, count // 5)])
        out.append(ReadResult(label, get_us, range_us, proof_us))
    return out
