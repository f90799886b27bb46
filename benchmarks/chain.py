"""The in-process chain every throughput part drives: the standard app on LevelDB, fed blocks the
way CometBFT feeds them (``finalize_block`` then ``commit``), without sockets, by the same block
driver every test uses (``tests.chain.BlockDriver``).

``BenchChain(directory, app_state)`` runs ``InitChain`` and an empty block 1 (genesis committed);
``block(raw_txs)`` runs one block, times FinalizeBlock and Commit separately (wall clock, the main
thread's CPU time, the cyclic GC and the Merkle tree update inside FinalizeBlock) and raises
unless every transaction has result code 0. ``profile_block`` runs one block under cProfile.
``Timings`` turns a list of block timings into the table rows the parts print.
"""

from __future__ import annotations

import cProfile
import gc
import io
import json
import pstats
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import stateset_chain.pb  # noqa: F401
from benchmarks import report
from stateset_chain.abci.adapter import AbciApp
from stateset_chain.auth.state import AuthKeeper, address_bytes
from stateset_chain.crypto.sigcache import VERIFIED
from stateset_chain.store.commit import CommitStore
from stateset_chain.wiring import standard_app
from tests.chain import BlockDriver

from tendermint.abci import types_pb2 as abci


@dataclass
class BlockTiming:
    size: int
    finalize_s: float
    commit_s: float
    cpu_s: float  # CPU time of the main thread over finalize + commit (not LevelDB's threads)
    gc_s: float = 0.0  # time spent in the cyclic garbage collector during the block
    tree_s: float = 0.0  # part of finalize: CommitStore.stage (the Merkle tree update)
    gas_used: int = 0  # summed over the block's transactions
    process_cpu_s: float = 0.0  # CPU time of every thread (signature workers, LevelDB's too)
    warm: bool = False  # every tx went through CheckTx first (untimed): signatures verified

    @property
    def process_cpu_tps(self) -> float:
        return self.size / self.process_cpu_s if self.process_cpu_s > 0 else 0.0

    @property
    def cpu_tps(self) -> float:
        return self.size / self.cpu_s if self.cpu_s > 0 else 0.0

    @property
    def total_s(self) -> float:
        return self.finalize_s + self.commit_s

    @property
    def tps(self) -> float:
        return self.size / self.total_s


class BenchChain:
    """The standard app over LevelDB in ``directory``, after InitChain with ``app_state`` and an
    empty block 1, driven by the tests' block driver (``tests.chain.BlockDriver``: the app's ABCI
    face, as CometBFT calls it) with each call timed."""

    def __init__(self, directory: Path, app_state: dict, chain_id: str) -> None:
        self.chain_id = chain_id
        Path(directory).mkdir(parents=True, exist_ok=True)
        self.core = standard_app(CommitStore.open(str(Path(directory) / "state")))
        self.app = AbciApp(self.core)
        self.driver = BlockDriver(self.app, chain_id=chain_id)
        # The benchmark measures what each ListOrders shape costs, so queries are not stopped
        # by the node's read budget (app.QUERY_GAS_LIMIT) here; a node refuses the shapes that
        # read past it (QueryBudgetExceeded).
        self.core.query_gas_limit = None
        self.driver.init(json.dumps(app_state, sort_keys=True).encode())
        self.block([])  # block 1 commits genesis

    @classmethod
    def reopen(cls, directory: Path, chain_id: str) -> BenchChain:
        """The chain a ``BenchChain`` left in ``directory`` (closed), at its last commit: no
        InitChain; the next block is the height after it."""
        chain = cls.__new__(cls)
        chain.chain_id = chain_id
        chain.core = standard_app(CommitStore.open(str(Path(directory) / "state")))
        chain.app = AbciApp(chain.core)
        chain.driver = BlockDriver(chain.app, chain_id=chain_id,
                                   height=chain.core.store.last_height)
        chain.core.query_gas_limit = None
        return chain

    @property
    def height(self) -> int:
        """The last committed height (``orders_data.import_orders`` commits past the app)."""
        return self.driver.height

    @height.setter
    def height(self, height: int) -> None:
        self.driver.height = height

    @property
    def store(self) -> CommitStore:
        return self.core.store

    def close(self) -> None:
        self.core.store.close()

    def account_numbers(self, addresses: Sequence[str]) -> list[int]:
        state = self.core.store.state
        numbers = []
        for a in addresses:
            account = AuthKeeper.accounts.get(state, address_bytes(a))
            if account is None:
                raise ValueError(f"{a} has no account: fund it in genesis")
            numbers.append(account.account_number)
        return numbers

    def block(self, raw_txs: list[bytes], warm: bool = False) -> BlockTiming:
        """One block; ``warm``: CheckTx every tx first (untimed), as a validator's mempool has
        (its signatures are then in the verified-signature cache). Otherwise the block is cold:
        the cache is cleared and the block verifies every signature itself."""
        if warm:
            for raw in raw_txs:
                res = self.app.check_tx(abci.RequestCheckTx(tx=raw))
                if res.code != 0:
                    raise AssertionError(f"CheckTx failed: {res.code} {res.log}")
        else:
            VERIFIED.clear()
        req = self.driver.request(raw_txs)
        height = req.height
        gc_timer = _GcTimer()
        tree = _StageTimer(self.core.store)
        p0 = time.process_time()
        c0 = time.thread_time()
        t0 = time.perf_counter()
        with gc_timer, tree:
            res = self.driver.finalize_request(req)
            t1 = time.perf_counter()
            self.driver.commit()
        t2 = time.perf_counter()
        cpu = time.thread_time() - c0
        process_cpu = time.process_time() - p0
        self.last_results = list(res.tx_results)
        failed = [(i, r.code, r.codespace, r.log)
                  for i, r in enumerate(res.tx_results) if r.code != 0]
        if len(res.tx_results) != len(raw_txs) or failed:
            raise AssertionError(
                f"block {height}: {len(failed)} of {len(raw_txs)} txs failed, first: {failed[:1]}"
            )
        gas = sum(r.gas_used for r in res.tx_results)
        return BlockTiming(len(raw_txs), t1 - t0, t2 - t1, cpu, gc_timer.total, tree.total, gas,
                           process_cpu, warm)


class _GcTimer:
    """Adds up the time the cyclic garbage collector runs while the block executes."""

    def __init__(self) -> None:
        self.total = 0.0
        self._started = 0.0

    def _callback(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.total += time.perf_counter() - self._started

    def __enter__(self) -> _GcTimer:
        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *exc) -> None:
        gc.callbacks.remove(self._callback)


class _StageTimer:
    """Times ``CommitStore.stage`` (the Merkle tree update FinalizeBlock ends with) by wrapping
    the instance's method for the duration of a block."""

    def __init__(self, store: CommitStore) -> None:
        self.store = store
        self.total = 0.0

    def __enter__(self) -> _StageTimer:
        original = self.store.stage

        def stage(changes, height):
            t = time.perf_counter()
            try:
                return original(changes, height)
            finally:
                self.total += time.perf_counter() - t

        self.store.stage = stage  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc) -> None:
        del self.store.stage  # back to the class's method


# --- summaries -----------------------------------------------------------------------------

TIMING_HEADERS = [
    "blocks", "tx/s (median)", "min", "max", "tx per CPU-s (main thread)", "finalize ms",
    "of which tree ms", "commit ms", "GC ms", "µs/tx", "CPU µs/tx", "commit %", "gas/tx",
]


def timing_row(runs: Sequence[BlockTiming]) -> list[object]:
    """Medians over blocks of one kind: the columns of ``TIMING_HEADERS``."""
    fin = report.median([b.finalize_s for b in runs])
    com = report.median([b.commit_s for b in runs])
    size = runs[0].size
    cpu = report.median([b.cpu_s for b in runs])
    return [
        len(runs), report.median([b.tps for b in runs]), min(b.tps for b in runs),
        max(b.tps for b in runs), report.median([b.cpu_tps for b in runs]), fin * 1000,
        report.median([b.tree_s for b in runs]) * 1000, com * 1000,
        report.median([b.gc_s for b in runs]) * 1000, 1e6 * (fin + com) / size,
        1e6 * cpu / size, 100 * com / (fin + com), sum(b.gas_used for b in runs) // sum(
            b.size for b in runs),
    ]


def log_block(log, part: str, label: str, t: BlockTiming) -> None:
    log(f"{part}: {label} {t.size:>5} txs  finalize {t.finalize_s * 1000:7.0f} ms  "
        f"commit {t.commit_s * 1000:6.0f} ms  {t.tps:8,.0f} tx/s  "
        f"({t.cpu_tps:,.0f} per CPU-s, tree {t.tree_s * 1000:.0f} ms, GC {t.gc_s * 1000:.0f} ms)")


# --- profile -------------------------------------------------------------------------------


@dataclass
class Profile:
    label: str
    size: int
    block_s: float  # FinalizeBlock + Commit under the profiler
    cumulative: str
    tottime: str

    def markdown(self) -> str:
        return (
            f"cProfile of one {self.size:,}-tx {self.label} block (FinalizeBlock + Commit took "
            f"{self.block_s * 1000:,.0f} ms under the profiler):\n\n"
            "Top functions by cumulative time:\n\n```\n" + self.cumulative + "```\n\n"
            "Top functions by own (total) time:\n\n```\n" + self.tottime + "```\n"
        )


def profile_block(chain: BenchChain, raw: list[bytes], label: str, top: int = 30) -> Profile:
    profiler = cProfile.Profile()
    profiler.enable()
    timing = chain.block(raw)
    profiler.disable()
    out = []
    for key in ("cumulative", "tottime"):
        buf = io.StringIO()
        stats = pstats.Stats(profiler, stream=buf)
        stats.strip_dirs().sort_stats(key).print_stats(top)
        out.append(trim_pstats(buf.getvalue()))
    return Profile(label, len(raw), timing.total_s, out[0], out[1])


def trim_pstats(text: str) -> str:
    """pstats output from the column header on (drops the preamble lines)."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.lstrip().startswith("ncalls"):
            return "\n".join(x.rstrip() for x in lines[i:] if x.strip()) + "\n"
    return text
