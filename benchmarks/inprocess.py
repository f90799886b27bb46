"""In-process throughput: FinalizeBlock + Commit of blocks of signed MsgSend transactions.

The standard app (every module, the real ante chain, real secp256k1 signature checks) on LevelDB
in a temporary directory, driven the way CometBFT drives it, without sockets:

1. ``InitChain`` with ``build_app_state`` funding ``accounts`` deterministic accounts, then an
   empty block 1 so genesis is committed (untimed);
2. every benchmark block is signed before any timing starts: each block's transactions come from
   distinct senders taken in turn from the funded accounts (sequences tracked), each sending
   1 uusdc to another funded account;
3. per block: ``finalize_block`` (decode, ante, MsgSend, tree update) and ``commit`` (one synced
   LevelDB write batch) are timed separately, and every tx result must have code 0. A **cold**
   block verifies every signature itself (replay, catch-up, another proposer's txs: on worker
   threads); a **warm** block's txs went through CheckTx first (untimed), as on a validator whose
   mempool saw them, so their signatures are in the verified-signature cache;
4. one extra 1,000-tx block runs under cProfile for the "where does the time go" summary.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import stateset_chain.pb  # noqa: F401
from benchmarks import report, txs
from benchmarks.chain import BenchChain, BlockTiming, profile_block
from stateset_chain.localnet import build_app_state

CHAIN_ID = "stateset-bench-1"
TARGET_TPS = 10_000


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
    modes: list[str] = field(default_factory=lambda: ["cold"])

    def rows(self) -> list[list[object]]:
        rows: list[list[object]] = []
        for mode in self.modes:
            for size in self.sizes:
                runs = [b for b in self.blocks if b.size == size and b.warm == (mode == "warm")]
                if runs:
                    rows.append([mode, *self._row(size, runs)])
        return rows

    def _row(self, size: int, runs: list[BlockTiming]) -> list[object]:
        fin = report.median([b.finalize_s for b in runs])
        com = report.median([b.commit_s for b in runs])
        tps = report.median([b.tps for b in runs])
        best = max(b.tps for b in runs)
        cpu_tps = report.median([b.cpu_tps for b in runs])
        gc_ms = report.median([b.gc_s for b in runs]) * 1000
        tree = report.median([b.tree_s for b in runs])
        process_tps = report.median([b.process_cpu_tps for b in runs])
        return [
            size, len(runs), tps, min(b.tps for b in runs), best, cpu_tps, process_tps,
            fin * 1000, tree * 1000, com * 1000, gc_ms, 1e6 * (fin + com) / size,
            100 * com / (fin + com), "met" if cpu_tps >= TARGET_TPS else "missed",
        ]

    def markdown(self) -> str:
        head = (
            f"In-process FinalizeBlock + Commit, {self.accounts:,} funded accounts, LevelDB "
            f"({self.pinning}); target {TARGET_TPS:,} tx/s.\n\n"
        )
        t = report.table(
            ["signatures", "txs/block", "blocks", "tx/s (median)", "min", "max",
             "tx per CPU-s (main thread)", "tx per CPU-s (all threads)", "finalize ms",
             "of which tree ms", "commit ms", "GC ms", "µs/tx", "commit %",
             f"main-thread ≥ {TARGET_TPS:,}"],
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


class _Driver:
    """Builds the chain and the pre-signed blocks."""

    def __init__(self, n_accounts: int, directory: Path) -> None:
        self.setup: dict[str, float] = {}
        t = time.perf_counter()
        self.accounts = txs.accounts(n_accounts)
        self.setup["key derivation"] = time.perf_counter() - t

        t = time.perf_counter()
        app_state = build_app_state(txs.genesis_entries(self.accounts))
        self.chain = BenchChain(directory, app_state, CHAIN_ID)
        self.setup["genesis (InitChain + block 1)"] = time.perf_counter() - t

        self.numbers = self.chain.account_numbers([a.address for a in self.accounts])
        self.sequences = [0] * n_accounts
        self.cursor = 0

    def close(self) -> None:
        self.chain.close()

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

    def block(self, raw_txs: list[bytes], warm: bool = False) -> BlockTiming:
        return self.chain.block(raw_txs, warm)


def run(
    n_accounts: int = 100_000,
    sizes: list[int] | None = None,
    repeats: int = 3,
    profile: bool = True,
    cpu: int = -1,
    log=print,
    modes: list[str] | None = None,
) -> InProcessResult:
    sizes = sizes or [1_000, 2_000, 5_000]
    modes = modes or ["cold", "warm"]
    pinning = report.pin_to_one_cpu(cpu)
    txs.check_matches_cosmpy()
    with tempfile.TemporaryDirectory(prefix="stateset-bench-") as tmp:
        log(f"inprocess: deriving {n_accounts:,} accounts, genesis on LevelDB in {tmp} ...")
        driver = _Driver(n_accounts, Path(tmp))
        try:
            log(f"inprocess: setup {driver.setup}; pre-signing blocks ...")
            t = time.perf_counter()
            plan = [(mode, size, driver.sign_block(size))
                    for mode in modes for size in sizes for _ in range(repeats)]
            profile_raw = driver.sign_block(1_000) if profile else []
            driver.setup["pre-signing"] = time.perf_counter() - t
            blocks = []
            for mode, size, raw in plan:
                timing = driver.block(raw, warm=mode == "warm")
                blocks.append(timing)
                log(f"inprocess: {mode} {size:>5} txs  "
                    f"finalize {timing.finalize_s * 1000:7.0f} ms  "
                    f"commit {timing.commit_s * 1000:6.0f} ms  {timing.tps:8,.0f} tx/s  "
                    f"({timing.cpu_tps:,.0f} per CPU-s, tree {timing.tree_s * 1000:.0f} ms, "
                    f"GC {timing.gc_s * 1000:.0f} ms)")
            result = InProcessResult(n_accounts, pinning, driver.setup, blocks, sizes=sizes,
                                     modes=modes)
            if profile:
                prof = profile_block(driver.chain, profile_raw, "MsgSend")
                result.profile_block_s = prof.block_s
                result.profile_cumulative, result.profile_tottime = prof.cumulative, prof.tottime
        finally:
            driver.close()
    result.peak_rss_mib = report.peak_rss_mib()
    return result
