"""End to end: localnets of real CometBFT nodes, our app next to CometBFT's built-in kvstore.

Each run brings up a fresh ``stateset_chain.localnet`` layout (``base_port=0``, a temporary
directory, the localnet's consensus timeouts) with 1 or 4 validators and either

- ``stateset``: our app, one ``statesetd start`` process per node over a unix socket, with
  ``senders`` extra deterministic bench accounts in genesis; transfers are pre-signed MsgSends
  (1 uusdc to another sender) with account numbers queried once before the clock starts; or
- ``kvstore``: the same generated layout with ``proxy_app = "kvstore"`` (CometBFT's in-process
  example app), no app processes; txs are ``bench<n>=<padding>``, as long as our transfers.

Load: one client thread per sender (so each sender's sequences arrive in order), each bound to
one node (sender ``s`` -> node ``s % validators``), broadcasting with ``broadcast_tx_sync`` as
fast as CheckTx answers (retrying after 50 ms when the mempool is full), until ``txs`` are sent
or ``duration`` seconds pass; then up to ``drain`` seconds for the last commits. A watcher polls
node 0 every ``poll`` seconds; a tx counts as committed when the watcher first sees its block
executed there (``/block`` has the block and ``/block_results`` its results; the results are
stored after the app's FinalizeBlock, and the app's Commit follows at once). Latency = that moment
minus the moment its (accepted) broadcast started, so it includes up to one poll interval;
throughput = committed txs divided by the time from the first broadcast to the last commit seen.
The watcher also counts committed txs whose result code is not 0 ("failed in block"; expected 0).

The client, the watcher and every node and app share the machine's cores: the figures are what
this box does with everything on it, not what one validator would do on its own hardware.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import http.client
import json
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import report, txs
from localnet import Localnet
from stateset_chain.app import DEFAULT_BLOCK_MAX_GAS
from stateset_chain.localnet import CHAIN_ID, CONSENSUS, MEMPOOL, set_config

KINDS = ("stateset", "kvstore")
# What each transfer asks: a MsgSend uses 37,000-45,000 gas (the first signature stores the key),
# so 100,000 is a wallet's simulate-plus-margin, and a block (max_gas 100,000,000) holds 1,000 of
# them (the localnet's mempool holds two such blocks: stateset_chain/localnet.py MEMPOOL).
TRANSFER_GAS = 100_000


@dataclass
class NetResult:
    kind: str
    validators: int
    sent: int
    rejected: int
    committed: int
    failed_in_block: int
    elapsed_s: float
    latencies_s: list[float]
    blocks: int
    max_block_txs: int
    send_s: float = 0.0
    peak_rss_mib: dict[str, float] = field(default_factory=dict)
    note: str = ""
    tx_bytes: int = 0  # every tx of the run is this long (kvstore's are padded to ours)
    gas_wanted: int = 0  # per tx (kvstore's CheckTx answers 1)
    load_average: tuple[float, float] = (0.0, 0.0)  # 1-minute, at the run's start and end
    mempool_full_retries: int = 0
    # CPU seconds each kind of process used while the load ran (nodes summed; "driver" = the
    # benchmark's own load threads and watcher): what a committed tx costs the whole machine
    cpu_s: dict[str, float] = field(default_factory=dict)

    @property
    def cpu_ms_per_tx(self) -> dict[str, float]:
        n = max(1, self.committed)
        return {k: 1000 * v / n for k, v in self.cpu_s.items()}

    @property
    def p95_ms(self) -> float:
        return report.percentile(self.latencies_s or [0.0], 95) * 1000

    @property
    def p50_ms(self) -> float:
        return report.percentile(self.latencies_s or [0.0], 50) * 1000

    @property
    def tps(self) -> float:
        return self.committed / self.elapsed_s if self.elapsed_s > 0 else 0.0

    def row(self) -> list[object]:
        lat = self.latencies_s or [0.0]
        rss = ", ".join(f"{k} {v:,.0f}" for k, v in self.peak_rss_mib.items())
        cpu = ", ".join(f"{k} {v:.2f}" for k, v in self.cpu_ms_per_tx.items())
        return [
            self.kind, self.validators, self.tx_bytes, self.gas_wanted, self.sent, self.rejected,
            self.mempool_full_retries, self.send_s, self.committed,
            self.failed_in_block, self.elapsed_s, self.tps, report.percentile(lat, 50) * 1000,
            report.percentile(lat, 95) * 1000, max(lat) * 1000, self.blocks,
            self.max_block_txs, rss or "-", cpu or "-",
            f"{self.load_average[0]:.1f} → {self.load_average[1]:.1f}",
        ]


HEADERS = [
    "app", "validators", "tx bytes", "gas wanted/tx", "sent", "rejected by CheckTx",
    "mempool-full retries", "sending took s", "committed",
    "failed in block",
    "elapsed s", "committed tx/s", "p50 ms", "p95 ms", "max ms", "blocks", "max txs/block",
    "peak RSS MiB (per process, max)", "CPU ms per committed tx (all nodes)", "load (1 min)",
]


@dataclass
class NetworkResult:
    runs: list[NetResult]
    settings: str
    peak_rss_mib: float = 0.0

    def markdown(self) -> str:
        t = report.table(HEADERS, [r.row() for r in self.runs])
        notes = "".join(f"\n- {r.kind} × {r.validators}: {r.note}" for r in self.runs if r.note)
        ratios = "".join(
            f"\n- {v} validator(s): stateset / kvstore committed tx/s = {ratio:.0%}"
            for v, ratio in self.ratios.items())
        return (
            f"Localnet end to end ({self.settings}).\n\n{t}\n\n"
            f"Benchmark driver peak RSS: {self.peak_rss_mib:,.0f} MiB.{notes}{ratios}\n"
        )

    @property
    def ratios(self) -> dict[int, float]:
        """Ours against kvstore's committed tx/s, per validator count measured with both."""
        out = {}
        for v in sorted({r.validators for r in self.runs}):
            ours = [r.tps for r in self.runs if r.validators == v and r.kind == "stateset"]
            kv = [r.tps for r in self.runs if r.validators == v and r.kind == "kvstore"]
            if ours and kv and max(kv) > 0:
                out[v] = report.median(ours) / report.median(kv)
        return out


# -- load generation ------------------------------------------------------------------------


class _Rpc:
    """CometBFT JSON-RPC over one kept-alive ``http.client`` connection: ~5× the calls per
    second of ``requests`` on this machine, so the load generator is not the first bottleneck."""

    def __init__(self, url: str, timeout: float = 30.0) -> None:
        host, _, port = url.removeprefix("http://").rstrip("/").rpartition(":")
        self.host, self.port, self.timeout = host, int(port), timeout
        self.conn: http.client.HTTPConnection | None = None

    def call(self, method: str, **params) -> dict:
        """The reply's ``result``; raises RpcError for an error reply or a broken connection."""
        body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params})
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            self.conn.request("POST", "/", body, {"Content-Type": "application/json"})
            reply = json.loads(self.conn.getresponse().read())
        except (OSError, http.client.HTTPException, ValueError) as e:
            self.close()
            raise RpcError(f"{method}: {type(e).__name__}: {e}") from None
        if "result" not in reply:
            raise RpcError(f"{method}: {reply.get('error')}")
        return reply["result"]

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


class RpcError(Exception):
    pass


class _Watcher(threading.Thread):
    """Polls node 0 and records when each tx's block has been executed there: the block is
    decided (``/block`` has it) and its results are stored (``/block_results`` answers), which
    CometBFT does after the app's FinalizeBlock. ``/status`` alone is not enough: a block is in
    the block store before the app has executed it."""

    def __init__(self, rpc_url: str, start_height: int, poll: float) -> None:
        super().__init__(daemon=True)
        self.url = rpc_url
        self.height = start_height
        self.poll = poll
        self.seen: dict[bytes, float] = {}
        self.block_sizes: dict[int, int] = {}
        self.failed = 0  # committed txs whose result code is not 0
        self._pending: dict[int, list[bytes]] = {}
        self.stop_event = threading.Event()
        self.rpc = _Rpc(rpc_url, timeout=10)

    def run(self) -> None:
        while not self.stop_event.is_set():
            # a node not there yet, or a hiccup: try again at the next poll
            with contextlib.suppress(RpcError, KeyError, ValueError, TypeError):
                self._catch_up()
            self.stop_event.wait(self.poll)
        self.rpc.close()

    def _catch_up(self) -> None:
        latest = int(self.rpc.call("status")["sync_info"]["latest_block_height"])
        while self.height < latest:
            h = self.height + 1
            if h not in self._pending:
                block = self.rpc.call("block", height=str(h))
                raw = block["block"]["data"]["txs"] or []
                self._pending[h] = [hashlib.sha256(base64.b64decode(tx)).digest() for tx in raw]
            # Raises until the block is executed (decided blocks are stored before that).
            results = self.rpc.call("block_results", height=str(h))
            now = time.monotonic()
            hashes = self._pending.pop(h)
            for tx_hash in hashes:
                self.seen.setdefault(tx_hash, now)
            codes = [int(r.get("code", 0)) for r in results.get("txs_results") or []]
            self.failed += sum(1 for c in codes if c != 0)
            self.block_sizes[h] = len(hashes)
            self.height = h


def _drive(
    urls: Sequence[str],
    groups: Sequence[Sequence[bytes]],
    txs_limit: int,
    duration: float,
    poll: float,
    drain: float,
    log,
    rate: float = 0.0,
) -> tuple[dict[bytes, float], _Watcher, int, int, float, float, int]:
    """Broadcast ``groups`` (one thread per group, group g -> urls[g % len(urls)]); returns
    send times by tx hash, the watcher, the number sent and rejected, the start time, how
    long sending took and the mempool-full retries. A "mempool is full" answer is retried after
    50 ms (until ``duration``). ``rate`` > 0: the threads together start ``rate`` broadcasts per
    second on a fixed schedule (each thread every ``len(groups) / rate`` s, staggered), never
    faster; 0 floods (each thread sends as soon as the last answer came)."""
    start_height = _height(urls[0])
    watcher = _Watcher(urls[0], start_height, poll)
    watcher.start()
    sent_at: dict[bytes, float] = {}
    rejected = [0]
    retries = [0]
    budget = threading.Semaphore(txs_limit)
    lock = threading.Lock()
    t_start = time.monotonic()
    deadline = t_start + duration

    interval = len(groups) / rate if rate > 0 else 0.0

    def worker(g: int) -> None:
        rpc = _Rpc(urls[g % len(urls)])
        for k, tx in enumerate(groups[g]):
            if interval:
                wait = t_start + (k + g / len(groups)) * interval - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
            if time.monotonic() > deadline or not budget.acquire(blocking=False):
                break
            h = hashlib.sha256(tx).digest()
            encoded = base64.b64encode(tx).decode()
            while True:
                t = time.monotonic()
                try:
                    code = int(rpc.call("broadcast_tx_sync", tx=encoded).get("code", 0))
                except RpcError as e:
                    if "mempool is full" in str(e) and time.monotonic() < deadline:
                        with lock:
                            retries[0] += 1
                        time.sleep(0.05)  # back-pressure: wait for a block to drain it
                        continue
                    code = -1
                break
            with lock:
                if code == 0:
                    sent_at[h] = t
                else:
                    rejected[0] += 1
            if code != 0:
                break  # later sequences of this sender would fail too
        rpc.close()

    threads = [threading.Thread(target=worker, args=(g,), daemon=True) for g in range(len(groups))]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    send_s = time.monotonic() - t_start
    log(f"  sent {len(sent_at)} (rejected {rejected[0]}, mempool-full retries {retries[0]}) "
        f"in {send_s:.1f} s; waiting for commits ...")
    end = time.monotonic() + drain
    while time.monotonic() < end:
        if all(h in watcher.seen for h in sent_at):
            break
        time.sleep(poll)
    watcher.stop_event.set()
    watcher.join(timeout=10)
    return sent_at, watcher, len(sent_at), rejected[0], t_start, send_s, retries[0]


def _height(url: str) -> int:
    rpc = _Rpc(url, timeout=10)
    try:
        return int(rpc.call("status")["sync_info"]["latest_block_height"])
    finally:
        rpc.close()


def _summarize(
    kind: str, validators: int, sent_at: dict[bytes, float], watcher: _Watcher, sent: int,
    rejected: int, t_start: float, send_s: float, retries: int,
) -> NetResult:
    latencies = [watcher.seen[h] - t for h, t in sent_at.items() if h in watcher.seen]
    last = max((watcher.seen[h] for h in sent_at if h in watcher.seen), default=t_start)
    heights = sorted(h for h, n in watcher.block_sizes.items() if n)
    return NetResult(
        kind=kind, validators=validators, sent=sent, rejected=rejected,
        committed=len(latencies), failed_in_block=watcher.failed,
        elapsed_s=last - t_start, latencies_s=latencies, blocks=len(heights),
        max_block_txs=max(watcher.block_sizes.values(), default=0), send_s=send_s,
        mempool_full_retries=retries,
    )


CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _process_cpu(net: Localnet) -> dict[str, float]:
    """CPU seconds (user + system, every thread) used so far by the nodes' processes, summed
    per kind, and by this benchmark process ("driver": the load threads and the watcher)."""
    out: dict[str, float] = {}
    for kind in ("cometbft", "app"):
        for node in net.nodes:
            pid = net._pid(node.index, kind)
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError, TypeError):
                continue
            out[kind] = out.get(kind, 0.0) + (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    times = os.times()
    out["driver"] = times.user + times.system
    return out


def _process_rss(net: Localnet) -> dict[str, float]:
    """Peak RSS (VmHWM) of the nodes' processes, the largest of each kind."""
    out: dict[str, float] = {}
    for kind in ("cometbft", "app"):
        values = []
        for node in net.nodes:
            pid = net._pid(node.index, kind)
            rss = report.process_peak_rss_mib(pid) if pid else None
            if rss is not None:
                values.append(rss)
        if values:
            out[kind] = max(values)
    return out


# -- the two apps ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Options:
    """What a run may change from the localnet's own settings (each printed with the figures)."""

    gas: int = TRANSFER_GAS  # gas each transfer asks (a block holds max_gas / gas of them)
    keep_versions: int | None = None  # the app's --keep-versions; None: statesetd's default
    base_dir: str | None = None  # where the nets go (a fresh directory under it per run)
    rate: float = 0.0  # broadcasts started per second, all threads together; 0: flood


def run_stateset(
    validators: int, n_txs: int, senders: int, duration: float, poll: float, drain: float, log,
    options: Options = Options(),
) -> NetResult:
    accs = txs.accounts(senders)
    per_sender = -(-n_txs // senders)
    load0 = os.getloadavg()[0]
    with _temp_dir(options.base_dir) as tmp:
        net = Localnet(tmp / "run", validators=validators, base_port=0,
                       accounts=txs.genesis_entries(accs))
        if options.keep_versions is not None:
            keep = ["--keep-versions", str(options.keep_versions)]
            start = net._statesetd_start
            net.app_command = lambda node: [*start(node), *keep]
        log(f"stateset × {validators}: starting localnet in {net.dir} ...")
        net.start()
        try:
            client = net.client(0)
            numbers = [client.account(a.address).account_number for a in accs]
            groups = []
            for s, sender in enumerate(accs):
                to = accs[(s + 1) % senders].address
                groups.append([
                    txs.sign_send(sender, to, 1, chain_id=CHAIN_ID, account_number=numbers[s],
                                  sequence=q, gas=options.gas)
                    for q in range(per_sender)
                ])
            urls = [net.rpc_url(i) for i in range(validators)]
            cpu0 = _process_cpu(net)
            load = _drive(urls, groups, n_txs, duration, poll, drain, log, options.rate)
            cpu1 = _process_cpu(net)
            result = _summarize("stateset", validators, *load)
            result.peak_rss_mib = _process_rss(net)
            result.cpu_s = {k: cpu1[k] - cpu0.get(k, 0.0) for k in cpu1}
            result.tx_bytes = max(len(tx) for g in groups for tx in g)
            result.gas_wanted = options.gas
        finally:
            net.stop()
    result.load_average = (load0, os.getloadavg()[0])
    return result


def run_kvstore(
    validators: int, n_txs: int, senders: int, duration: float, poll: float, drain: float, log,
    options: Options = Options(),
) -> NetResult:
    tx_size = len(_sample_transfer(options.gas))  # kvstore txs as large as our transfers
    load0 = os.getloadavg()[0]
    with _temp_dir(options.base_dir) as tmp:
        net = Localnet(tmp / "run", validators=validators, base_port=0)
        net.generate()
        for node in net.nodes:
            set_config(Path(node.home) / "config" / "config.toml", {"proxy_app": "kvstore"})
        log(f"kvstore × {validators}: starting localnet in {net.dir} ...")
        try:
            for node in net.nodes:
                net.start_node(node.index)
            for node in net.nodes:
                net.wait_for_height(node.index, 1, timeout=60, kinds=("cometbft",))
            per_sender = -(-n_txs // senders)
            groups = [
                [_kv_tx(s, q, tx_size) for q in range(per_sender)] for s in range(senders)
            ]
            urls = [net.rpc_url(i) for i in range(validators)]
            cpu0 = _process_cpu(net)
            load = _drive(urls, groups, n_txs, duration, poll, drain, log, options.rate)
            cpu1 = _process_cpu(net)
            result = _summarize("kvstore", validators, *load)
            result.peak_rss_mib = _process_rss(net)
            result.cpu_s = {k: cpu1[k] - cpu0.get(k, 0.0) for k in cpu1}
            result.tx_bytes = tx_size
            result.gas_wanted = 1  # kvstore's CheckTx (CometBFT's example app)
        finally:
            net.stop()
    result.load_average = (load0, os.getloadavg()[0])
    return result


def _sample_transfer(gas: int = TRANSFER_GAS) -> bytes:
    a, b = txs.account(0), txs.account(1)
    return txs.sign_send(a, b.address, 1, chain_id=CHAIN_ID, account_number=1000, sequence=10,
                         gas=gas)


def _kv_tx(sender: int, seq: int, size: int) -> bytes:
    head = f"bench{sender:04d}x{seq:06d}=".encode()
    return head + b"v" * max(1, size - len(head))


class _temp_dir:
    """A fresh directory (under ``base``, or the system's temporary directory), removed
    afterwards (kept if ``STATESET_BENCH_KEEP`` is set)."""

    def __init__(self, base: str | None = None) -> None:
        self.base = base

    def __enter__(self) -> Path:
        if self.base is not None:
            Path(self.base).mkdir(parents=True, exist_ok=True)
        self.path = Path(tempfile.mkdtemp(prefix="ssbench-", dir=self.base))
        return self.path

    def __exit__(self, *exc) -> None:
        if not os.environ.get("STATESET_BENCH_KEEP"):
            shutil.rmtree(self.path, ignore_errors=True)


def settings_text(senders: int, n_txs: int, duration: float, poll: float,
                  options: Options = Options()) -> str:
    timeouts = ", ".join(
        f"{k.split('.', 1)[1]}={v}" for k, v in CONSENSUS.items() if k.startswith("consensus.")
    )
    mempool = ", ".join(f"{k.split('.', 1)[1]}={v}" for k, v in MEMPOOL.items())
    keep = ("statesetd's default" if options.keep_versions is None
            else str(options.keep_versions))
    return (
        f"up to {n_txs:,} txs or {duration:.0f} s per run, {senders} sender threads, "
        f"broadcast_tx_sync, height polled every {poll * 1000:.0f} ms; consensus: {timeouts}; "
        f"mempool: {mempool}; block max_gas {DEFAULT_BLOCK_MAX_GAS:,} (both apps: the same "
        f"config.toml and genesis); our transfers ask {options.gas:,} gas each; our apps "
        f"keep-versions: {keep}; load: "
        + (f"{options.rate:,.0f} broadcasts/s" if options.rate else "flood")
    )


def run(
    validators: Sequence[int] = (1, 4),
    kinds: Sequence[str] = KINDS,
    n_txs: int = 10_000,
    senders: int = 20,
    duration: float = 60.0,
    poll: float = 0.05,
    drain: float = 30.0,
    log: Callable = print,
    options: Options = Options(),
) -> NetworkResult:
    runs = []
    for v in validators:
        for kind in kinds:
            runner = run_stateset if kind == "stateset" else run_kvstore
            r = runner(v, n_txs, senders, duration, poll, drain, log, options)
            log(f"  {kind} × {v}: {r.committed}/{r.sent} committed, {r.tps:,.0f} tx/s, "
                f"p95 {r.p95_ms:,.0f} ms (load {r.load_average[0]:.1f} → "
                f"{r.load_average[1]:.1f})")
            runs.append(r)
    return NetworkResult(runs, settings_text(senders, n_txs, duration, poll, options),
                         report.peak_rss_mib())
