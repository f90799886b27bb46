"""In-process throughput: FinalizeBlock + Commit of blocks of signed MsgSend transactions.

The standard app (every module, the real ante chain, real secp256k1 signature checks) on LevelDB
in a temporary directory, driven the way CometBFT drives it, without sockets:

1. ``InitChain`` with ``build_app_state`` funding ``accounts`` deterministic accounts, then an
   empty block 1 so genesis is committed (untimed);
2. every benchmark block is signed before any timing starts: each block's transactions come from
   distinct senders taken in turn from the funded accounts (sequences tracked), each sending
   1 uusdc to another funded account;
3. per block: ``finalize_block`` (decode, ante, MsgSend, tree update) and ``commit`` (one synced
   LevelDB write batch) are timed separately, and every tx result must have code 0;
4. one extra 1,000-tx block runs under cProfile for the "where does the time go" summary.
"""

from __future__ import annotations

import cProfile
import gc
import io
import json
import pstats
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from google.protobuf.timestamp_pb2 import Timestamp

import stateset_chain.pb  # noqa: F401
from stateset_chain.auth.state import accounts as account_map
from stateset_chain.auth.state import address_bytes
from stateset_chain.bench import report, txs
from stateset_chain.localnet import build_app_state
from stateset_chain.store.commit import CommitStore
from stateset_chain.wiring import standard_app

from tendermint.abci import types_pb2 as abci

CHAIN_ID = "stateset-bench-1"
GENESIS_TIME = 1_700_000_000
TARGET_TPS = 10_000


@dataclass
class BlockTiming:
    size: int
    finalize_s: float
    commit_s: float
    cpu_s: float  # CPU time of the main thread over finalize + commit (not LevelDB's threads)
    gc_s: float = 0.0  # time spent in the cyclic garbage collector during the block
    tree_s: float = 0.0  # part of finalize: CommitStore.stage (the Merkle tree update)

    @property
    def cpu_tps(self) -> float:
        return self.size / self.cpu_s if self.cpu_s > 0 else 0.0

    @property
    def total_s(self) -> float:
        return self.finalize_s + self.commit_s

    @property
    def tps(self) -> float:
        return self.size / self.total_s


@dataclass
class InProcessResult:
    accounts: int
    pinning: str
    setup: dict[str, float]
    blocks: list[BlockTiming]
    profile_cumulative: str = ""
    profile_tottime: str = ""
    profile_block_s: float = 0.0
    peak_rss_mib: float = 0.0
    sizes: list[int] = field(default_factory=list)

    def rows(self) -> list[list[object]]:
        rows = []
        for size in self.sizes:
            runs = [b for b in self.blocks if b.size == size]
            fin = report.median([b.finalize_s for b in runs])
            com = report.median([b.commit_s for b in runs])
            tps = report.median([b.tps for b in runs])
            best = max(b.tps for b in runs)
            cpu_tps = report.median([b.cpu_tps for b in runs])
            gc_ms = report.median([b.gc_s for b in runs]) * 1000
            tree = report.median([b.tree_s for b in runs])
            rows.append([
                size, len(runs), tps, min(b.tps for b in runs), best, cpu_tps,
                fin * 1000, tree * 1000, com * 1000, gc_ms, 1e6 * (fin + com) / size,
                100 * com / (fin + com), "met" if best >= TARGET_TPS else "missed",
            ])
        return rows

    def markdown(self) -> str:
        head = (
            f"In-process FinalizeBlock + Commit, {self.accounts:,} funded accounts, LevelDB "
            f"({self.pinning}); target {TARGET_TPS:,} tx/s.\n\n"
        )
        t = report.table(
            ["txs/block", "blocks", "tx/s (median)", "min", "max", "tx per CPU-s (main thread)",
             "finalize ms", "of which tree ms", "commit ms", "GC ms", "µs/tx", "commit %",
             f"best ≥ {TARGET_TPS:,} tx/s"],
            self.rows(),
        )
        setup = ", ".join(f"{k} {v:.1f} s" for k, v in self.setup.items())
        return (
            f"{head}{t}\n\nSetup (untimed): {setup}. Peak RSS: {self.peak_rss_mib:,.0f} MiB.\n"
        )

    def profile_markdown(self) -> str:
        return (
            f"cProfile of one 1,000-tx block (FinalizeBlock + Commit took "
            f"{self.profile_block_s * 1000:.0f} ms under the profiler):\n\n"
            "Top functions by cumulative time:\n\n```\n" + self.profile_cumulative + "```\n\n"
            "Top functions by own (total) time:\n\n```\n" + self.profile_tottime + "```\n"
        )


def _timestamp(height: int) -> Timestamp:
    return Timestamp(seconds=GENESIS_TIME + 5 * height)


class _Driver:
    """Builds the chain and the pre-signed blocks."""

    def __init__(self, n_accounts: int, directory: Path) -> None:
        self.setup: dict[str, float] = {}
        t = time.perf_counter()
        self.accounts = txs.accounts(n_accounts)
        self.setup["key derivation"] = time.perf_counter() - t

        t = time.perf_counter()
        app_state = build_app_state(txs.genesis_entries(self.accounts))
        genesis = json.dumps(app_state, sort_keys=True).encode()
        self.app = standard_app(CommitStore.open(str(directory / "state")))
        self.app.init_chain(abci.RequestInitChain(
            chain_id=CHAIN_ID, app_state_bytes=genesis, initial_height=1, time=_timestamp(0),
        ))
        self.height = 0
        self.block([])  # block 1 commits genesis
        self.setup["genesis (InitChain + block 1)"] = time.perf_counter() - t

        store = self.app.store.state
        self.numbers = [
            account_map.get(store, address_bytes(a.address)).account_number for a in self.accounts
        ]
        self.sequences = [0] * n_accounts
        self.cursor = 0

    def close(self) -> None:
        self.app.store.close()

    def sign_block(self, size: int) -> list[bytes]:
        """``size`` transfers from ``size`` distinct senders (the next ones in turn)."""
        n = len(self.accounts)
        if size > n:
            raise ValueError(f"a block of {size} txs needs at least {size} accounts, have {n}")
        block = []
        for _ in range(size):
            i = self.cursor
            self.cursor = (self.cursor + 1) % n
            to = self.accounts[(i * 7919 + 1) % n]
            if to.index == i:
                to = self.accounts[(i + 1) % n]
            sender = self.accounts[i]
            block.append(txs.sign_send(
                sender, to.address, 1, chain_id=CHAIN_ID,
                account_number=self.numbers[i], sequence=self.sequences[i],
            ))
            self.sequences[i] += 1
        return block

    def block(self, raw_txs: list[bytes]) -> BlockTiming:
        height = self.height + 1
        req = abci.RequestFinalizeBlock(txs=raw_txs, height=height, time=_timestamp(height))
        gc_timer = _GcTimer()
        tree = _StageTimer(self.app.store)
        c0 = time.thread_time()
        t0 = time.perf_counter()
        with gc_timer, tree:
            res = self.app.finalize_block(req)
            t1 = time.perf_counter()
            self.app.commit(abci.RequestCommit())
        t2 = time.perf_counter()
        cpu = time.thread_time() - c0
        self.height = height
        failed = [(i, r.code, r.log) for i, r in enumerate(res.tx_results) if r.code != 0]
        if len(res.tx_results) != len(raw_txs) or failed:
            raise AssertionError(
                f"block {height}: {len(failed)} of {len(raw_txs)} txs failed, first: {failed[:1]}"
            )
        return BlockTiming(len(raw_txs), t1 - t0, t2 - t1, cpu, gc_timer.total, tree.total)


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


def run(
    n_accounts: int = 100_000,
    sizes: list[int] | None = None,
    repeats: int = 3,
    profile: bool = True,
    cpu: int = -1,
    log=print,
) -> InProcessResult:
    sizes = sizes or [1_000, 2_000, 5_000]
    pinning = report.pin_to_one_cpu(cpu)
    txs.check_matches_cosmpy()
    with tempfile.TemporaryDirectory(prefix="stateset-bench-") as tmp:
        log(f"inprocess: deriving {n_accounts:,} accounts, genesis on LevelDB in {tmp} ...")
        driver = _Driver(n_accounts, Path(tmp))
        try:
            log(f"inprocess: setup {driver.setup}; pre-signing blocks ...")
            t = time.perf_counter()
            plan = [(size, driver.sign_block(size)) for size in sizes for _ in range(repeats)]
            profile_block = driver.sign_block(1_000) if profile else []
            driver.setup["pre-signing"] = time.perf_counter() - t
            blocks = []
            for size, raw in plan:
                timing = driver.block(raw)
                blocks.append(timing)
                log(f"inprocess: {size:>5} txs  finalize {timing.finalize_s * 1000:7.0f} ms  "
                    f"commit {timing.commit_s * 1000:6.0f} ms  {timing.tps:8,.0f} tx/s  "
                    f"({timing.cpu_tps:,.0f} per CPU-s, tree {timing.tree_s * 1000:.0f} ms, "
                    f"GC {timing.gc_s * 1000:.0f} ms)")
            result = InProcessResult(n_accounts, pinning, driver.setup, blocks, sizes=sizes)
            if profile:
                result.profile_block_s, result.profile_cumulative, result.profile_tottime = (
                    _profile(driver, profile_block)
                )
        finally:
            driver.close()
    result.peak_rss_mib = report.peak_rss_mib()
    return result


def _profile(driver: _Driver, raw: list[bytes], top: int = 30) -> tuple[float, str, str]:
    profiler = cProfile.Profile()
    profiler.enable()
    timing = driver.block(raw)
    profiler.disable()
    out = []
    for key in ("cumulative", "tottime"):
        buf = io.StringIO()
        stats = pstats.Stats(profiler, stream=buf)
        stats.strip_dirs().sort_stats(key).print_stats(top)
        out.append(_trim_pstats(buf.getvalue()))
    return timing.total_s, out[0], out[1]


def _trim_pstats(text: str) -> str:
    """pstats output from the column header on (drops the preamble lines)."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.lstrip().startswith("ncalls"):
            return "\n".join(x.rstrip() for x in lines[i:] if x.strip()) + "\n"
    return text
