"""Peak memory of importing many orders (``import``): the orders part's untimed setup, alone.

The orders part (``orders``) first imports ``--orders`` synthetic orders
(``orders_data.import_orders``: the orders genesis's keeper calls, ``--chunk`` orders per
stage + commit) and its peak RSS is the import's. This part runs only that import, on the same
chain (the standard app on LevelDB, ``--accounts`` funded signing accounts, the escrow funder),
and says where the memory goes:

- **peak RSS** of the process (``ru_maxrss``), and the RSS before the import (the interpreter,
  the app, the accounts' keys);
- **per phase**, the highest RSS seen while the import was in it, sampled every 20 ms from
  ``/proc/self/statm`` by a thread: the keeper calls filling the chunk's branch, the tree update
  (``CommitStore.stage``), building the commit's batch, and LevelDB's write of it;
- with ``--tracemalloc``, Python's allocations by source line at the moment the first chunk's
  batch is handed to LevelDB (the branch, the staged block and the batch are all alive then), and
  the traced peak per phase. It slows the import ~2×: use it at a smaller ``--orders``.

The app hash after the import is printed, so two runs (or two chunk sizes, which commit at
different heights but must leave the same orders state) can be compared.

``--genesis`` measures the product's path instead: the same orders (and their escrow as a
genesis balance) written as a genesis ``app_state`` JSON file one order at a time, its bytes
read into memory (as CometBFT's InitChain request brings them), then InitChain through the ABCI
adapter and block 1 on the standard app over LevelDB. InitChain streams it (``App.init_chain``:
the orders parsed one at a time, ``--chunk`` orders per part written through to the store);
``--held`` makes the part larger than the genesis, so the whole genesis stays in memory until
block 1 commits (the path before streaming), for comparison at a small ``--orders``;
``--orders-file`` writes the orders to a file beside the genesis, named in it by its SHA-256
(``genesisjson``: what ``statesetd export`` writes for a large book), so the InitChain request
holds kilobytes and InitChain streams the orders from the file.
"""

from __future__ import annotations

import ctypes
import os
import sys
import tempfile
import threading
import time
import tracemalloc
from dataclasses import dataclass, field
from pathlib import Path

import stateset_chain.pb  # noqa: F401
from benchmarks import report, txs
from benchmarks.chain import BenchChain
from benchmarks.orders_data import (
    IMPORT_CHUNK,
    OrderBook,
    app_state,
    import_orders,
    write_genesis_app_state,
)
from stateset_chain.abci.adapter import AbciApp
from stateset_chain.store.commit import CommitStore
from stateset_chain.wiring import standard_app
from tests.chain import BlockDriver

CHAIN_ID = "stateset-bench-import-1"
PAGE_MIB = os.sysconf("SC_PAGE_SIZE") / 2**20 if hasattr(os, "sysconf") else 4096 / 2**20


def rss_mib() -> float:
    """This process's resident set size now (Linux; 0 where /proc is missing)."""
    try:
        return int(Path("/proc/self/statm").read_text().split()[1]) * PAGE_MIB
    except (OSError, ValueError, IndexError):
        return 0.0


class RssSampler(threading.Thread):
    """Samples the RSS every ``interval`` s and keeps the highest per phase (``set(phase)``)."""

    def __init__(self, interval: float = 0.02) -> None:
        super().__init__(daemon=True)
        self.interval = interval
        self.phase = "setup"
        self.peaks: dict[str, float] = {}
        self.traced: dict[str, float] = {}  # tracemalloc's peak per phase, MiB (if tracing)
        self._done = threading.Event()

    def set(self, phase: str) -> None:
        self._sample()
        if tracemalloc.is_tracing():
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            self.traced[self.phase] = max(self.traced.get(self.phase, 0.0), peak)
            tracemalloc.reset_peak()
        self.phase = phase
        self._sample()

    def _sample(self) -> None:
        rss = rss_mib()
        if rss > self.peaks.get(self.phase, 0.0):
            self.peaks[self.phase] = rss

    def run(self) -> None:
        while not self._done.wait(self.interval):
            self._sample()

    def stop(self) -> None:
        self.set("done")
        self._done.set()
        self.join(timeout=1)


class _MallInfo(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
        "fordblks", "keepcost")]


def _mallinfo() -> _MallInfo | None:
    """glibc's ``mallinfo2()`` (malloc's heap: what the Rust and C++ parts allocate), or None."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallinfo2.restype = _MallInfo
        return libc.mallinfo2()  # type: ignore[no-any-return]
    except (OSError, AttributeError):
        return None


def memory_probe(store: CommitStore, orders: int) -> dict[str, float]:
    """Where the RSS is, cheaply enough to ask after every part at any size: the tree's compiled
    node cache (entries: top, deep), LevelDB's own estimate of its memory (block cache and
    memtables), malloc's heap (in use / free: the compiled parts and LevelDB allocate there) and
    the Python blocks pymalloc holds (CPython allocates its small objects outside malloc)."""
    row: dict[str, float] = {"orders": orders, "rss_mib": rss_mib()}
    sizes = getattr(store._nodes, "sizes", None)
    if sizes is not None:
        top, deep = sizes()
        row["node_cache_top"], row["node_cache_deep"] = top, deep
    db = getattr(store._raw, "db", None)
    if db is not None:
        usage = db.get_property(b"leveldb.approximate-memory-usage")
        row["leveldb_mib"] = int(usage or 0) / 2**20
    info = _mallinfo()
    if info is not None:
        row["malloc_in_use_mib"] = (info.uordblks + info.hblkhd) / 2**20
        row["malloc_free_mib"] = info.fordblks / 2**20
    row["python_blocks_k"] = sys.getallocatedblocks() / 1000
    return row


@dataclass
class ImportResult:
    orders: int
    chunk: int
    accounts: int
    import_s: float = 0.0
    rss_before_mib: float = 0.0
    peak_rss_mib: float = 0.0
    rss_after_mib: float = 0.0
    phase_peak_rss_mib: dict[str, float] = field(default_factory=dict)
    phase_traced_peak_mib: dict[str, float] = field(default_factory=dict)
    top_allocations: list[str] = field(default_factory=list)
    db_mib: float = 0.0
    app_hash: str = ""
    height: int = 0
    via: str = "orders_data.import_orders"
    genesis_mib: float = 0.0  # --genesis: the app_state document's size
    orders_file_mib: float = 0.0  # --orders-file: the orders file's size
    memory: list[dict[str, float]] = field(default_factory=list)  # memory_probe, per tenth

    def markdown(self) -> str:
        rows: list[list[object]] = [
            ["orders", self.orders], ["path", self.via],
            ["orders per commit (--chunk)" if not self.genesis_mib
             else "orders per part written through (--chunk)", self.chunk],
            *([["genesis app_state JSON, MiB", self.genesis_mib]] if self.genesis_mib else []),
            *([["orders file named by its SHA-256, MiB", self.orders_file_mib]]
              if self.orders_file_mib else []),
            ["funded signing accounts", self.accounts], ["import s", self.import_s],
            ["RSS before the import, MiB", self.rss_before_mib],
            ["**peak RSS, MiB**", self.peak_rss_mib],
            ["RSS after the import, MiB", self.rss_after_mib],
            ["database on disk, MiB", self.db_mib],
            ["height / app hash after the import", f"{self.height} / {self.app_hash}"],
        ]
        text = report.table(["figure", "value"], rows) + "\n\n"
        phases = [[p, v, self.phase_traced_peak_mib.get(p, "-")]
                  for p, v in self.phase_peak_rss_mib.items()]
        text += "Highest RSS seen in each phase (sampled every 20 ms):\n\n" + report.table(
            ["phase", "RSS MiB", "Python-traced peak MiB"], phases) + "\n"
        if self.memory:
            names = {"orders": "orders imported", "rss_mib": "RSS MiB",
                     "node_cache_top": "node cache: top entries",
                     "node_cache_deep": "node cache: deep entries",
                     "leveldb_mib": "LevelDB's estimate MiB",
                     "malloc_in_use_mib": "malloc in use MiB", "malloc_free_mib": "malloc free MiB",
                     "python_blocks_k": "Python blocks (thousands)"}
            keys = [k for k in names if k in self.memory[0]]
            text += ("\nWhere the memory is, after the commit of every tenth of the import "
                     "(memory_probe):\n\n" + report.table(
                         [names[k] for k in keys], [[row[k] for k in keys] for row in self.memory])
                     + "\n")
        if self.top_allocations:
            text += ("\nPython allocations alive when the first chunk's batch goes to LevelDB "
                     "(tracemalloc, by line):\n\n```\n" + "\n".join(self.top_allocations)
                     + "\n```\n")
        return text


def _instrument(chain: BenchChain, sampler: RssSampler, trace_top: list[str]) -> None:
    """Labels the store's phases for ``sampler`` (and snapshots tracemalloc once at the write)."""
    store = chain.store
    stage, commit, apply = store.stage, store.commit, store._apply

    def staged(changes, height):
        sampler.set("stage (tree update)")
        try:
            return stage(changes, height)
        finally:
            sampler.set("orders into the branch")

    def committed():
        sampler.set("commit: building the batch")
        try:
            return commit()
        finally:
            sampler.set("orders into the branch")

    def write(ops):
        sampler.set("commit: LevelDB write")
        if tracemalloc.is_tracing() and not trace_top:
            stats = tracemalloc.take_snapshot().statistics("lineno")
            trace_top.extend(str(s) for s in stats[:20])
        return apply(ops)

    store.stage = staged  # type: ignore[method-assign]
    store.commit = committed  # type: ignore[method-assign]
    store._apply = write


def _dir_mib(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def run(orders: int = 1_000_000, chunk: int = IMPORT_CHUNK, n_accounts: int = 10_000,
        trace: bool = False, log=print) -> ImportResult:
    result = ImportResult(orders, chunk, n_accounts)
    accounts = txs.accounts(n_accounts)
    book = OrderBook(orders, targets=min(orders, 19_000), payers=[a.address for a in accounts],
                     chain_id=CHAIN_ID)
    sampler = RssSampler()
    sampler.start()
    top: list[str] = []
    with tempfile.TemporaryDirectory(prefix="stateset-bench-import-") as tmp:
        chain = BenchChain(Path(tmp), app_state(accounts), CHAIN_ID)
        try:
            result.rss_before_mib = rss_mib()
            _instrument(chain, sampler, top)
            if trace:
                tracemalloc.start(1)
            sampler.set("orders into the branch")
            log(f"import: {orders:,} orders, {chunk:,} per commit, into {tmp} ...")
            t = time.perf_counter()
            parts = -(-orders // chunk)
            every = max(1, parts // 10)
            done = [0]

            def progress(line: str) -> None:
                done[0] += 1
                if done[0] % every == 0 or done[0] == parts:
                    result.memory.append(memory_probe(chain.store, min(orders, done[0] * chunk)))
                    log(line + f" (RSS {result.memory[-1]['rss_mib']:,.0f} MiB)")
                elif parts <= 20:
                    log(line)

            import_orders(chain, book, chunk, progress)
            result.import_s = time.perf_counter() - t
            sampler.stop()
            if trace:
                tracemalloc.stop()
            result.rss_after_mib = rss_mib()
            result.height = chain.height
            result.app_hash = chain.store.last_app_hash.hex()
            result.db_mib = _dir_mib(Path(tmp))
        finally:
            chain.close()
    result.phase_peak_rss_mib = {k: v for k, v in sampler.peaks.items() if k != "done"}
    result.phase_traced_peak_mib = sampler.traced
    result.top_allocations = top
    result.peak_rss_mib = report.peak_rss_mib()
    return result


def run_genesis(orders: int = 1_000_000, chunk: int = IMPORT_CHUNK, n_accounts: int = 10_000,
                held: bool = False, log=print, orders_file: bool = False) -> ImportResult:
    """The orders through InitChain (see the module docstring), streamed or ``held``, in the
    document or (``orders_file``) in a file it names by its digest."""
    result = ImportResult(orders, chunk, n_accounts)
    result.via = "InitChain + block 1, " + ("held in memory" if held else "streamed") + (
        ", the orders in a file named by its SHA-256" if orders_file else "")
    accounts = txs.accounts(n_accounts)
    book = OrderBook(orders, targets=min(orders, 19_000), payers=[a.address for a in accounts],
                     chain_id=CHAIN_ID)
    with tempfile.TemporaryDirectory(prefix="stateset-bench-genesis-") as tmp:
        doc = Path(tmp) / "app_state.json"
        log(f"import: writing the genesis of {orders:,} orders to {doc} ...")
        listed = Path(tmp) / "app_state.orders.json" if orders_file else None
        with doc.open("wb") as out:
            size = write_genesis_app_state(book, accounts, out, listed)
        result.genesis_mib = size / 2**20
        if listed is not None:
            result.orders_file_mib = listed.stat().st_size / 2**20
        raw = doc.read_bytes()  # the request's bytes, alive through InitChain as in a node
        core = standard_app(CommitStore.open(str(Path(tmp) / "state")))
        core.genesis_part_items = 1 << 62 if held else chunk
        core.genesis_dir = tmp
        driver = BlockDriver(AbciApp(core), chain_id=CHAIN_ID)
        sampler = RssSampler()
        sampler.start()
        try:
            result.rss_before_mib = rss_mib()
            sampler.set("InitChain")
            log(f"import: InitChain with {orders:,} orders ({result.genesis_mib:,.0f} MiB of "
                f"JSON), {result.via} ...")
            t = time.perf_counter()
            driver.init(raw)
            sampler.set("block 1 (FinalizeBlock + Commit)")
            driver.block([])
            result.import_s = time.perf_counter() - t
            result.memory.append(memory_probe(core.store, orders))
            sampler.stop()
            result.rss_after_mib = rss_mib()
            result.height = driver.height
            result.app_hash = core.store.last_app_hash.hex()
            result.db_mib = _dir_mib(Path(tmp) / "state")
        finally:
            core.store.close()
    result.phase_peak_rss_mib = {k: v for k, v in sampler.peaks.items() if k != "done"}
    result.peak_rss_mib = report.peak_rss_mib()
    return result
