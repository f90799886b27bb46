"""The ABCI edge's own cost: CPU of the server process per request, with a no-op app.

The server (``python -m stateset_chain.abci.server``, its default app a no-op
``BaseApplication``) runs in its own process on a unix socket; this process is the client. Two
patterns, both CometBFT's:

- **pipelined**: bursts of ``burst`` CheckTx requests and one Flush (the mempool connection),
  the client reading every answer of a burst before sending the next;
- **synchronous**: one request and a Flush, answered before the next (the consensus connection).

The figure is the server's CPU time (user + system, from ``/proc/PID/stat``) divided by the
number of app requests (the Flush frames' cost is included, not counted as requests); other
processes on the machine cannot inflate it, only the server's own work.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import cosmpy.protos  # noqa: F401  (puts tendermint.* on sys.path)

from benchmarks import report
from stateset_chain.abci.framing import FrameDecoder, encode_frame

from tendermint.abci import types_pb2 as abci

_TICK = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICK  # utime, stime


@dataclass
class PatternResult:
    name: str
    requests: int
    burst: int
    cpu_us: list[float] = field(default_factory=list)  # server CPU per request, per repeat
    wall_us: list[float] = field(default_factory=list)


@dataclass
class AbciResult:
    patterns: list[PatternResult]

    def markdown(self) -> str:
        rows = [
            [p.name, p.requests, p.burst, report.median(p.cpu_us), min(p.cpu_us), max(p.cpu_us),
             report.median(p.wall_us)]
            for p in self.patterns
        ]
        t = report.table(
            ["pattern", "requests", "per Flush", "server CPU µs/request (median)", "min", "max",
             "wall µs/request"],
            rows,
        )
        return ("ABCI server with a no-op app (`BaseApplication`) over a unix socket; the server's "
                f"process CPU per request.\n\n{t}\n")

    def figures(self) -> dict:
        return {
            p.name: {"requests": p.requests, "burst": p.burst,
                     "server_cpu_us_per_request": report.median(p.cpu_us),
                     "server_cpu_us_per_request_min": min(p.cpu_us),
                     "wall_us_per_request": report.median(p.wall_us)}
            for p in self.patterns
        }


def _drive(sock: socket.socket, decoder: FrameDecoder, payload: bytes, count: int) -> None:
    sock.sendall(payload)
    got = 0
    while got < count:
        data = sock.recv(1 << 20)
        if not data:
            raise ConnectionError("the ABCI server closed the connection")
        got += len(decoder.feed(data))


def _pattern(sock, pid: int, name: str, requests: int, burst: int, repeats: int) -> PatternResult:
    request = encode_frame(abci.Request(check_tx=abci.RequestCheckTx(tx=b"x" * 200))
                           .SerializeToString())
    flush = encode_frame(abci.Request(flush=abci.RequestFlush()).SerializeToString())
    payload = request * burst + flush
    bursts = max(1, requests // burst)
    result = PatternResult(name, bursts * burst, burst)
    decoder = FrameDecoder()
    _drive(sock, decoder, payload, burst + 1)  # warm up
    for _ in range(repeats):
        cpu0, t0 = _cpu_seconds(pid), time.perf_counter()
        for _ in range(bursts):
            _drive(sock, decoder, payload, burst + 1)
        cpu1, t1 = _cpu_seconds(pid), time.perf_counter()
        result.cpu_us.append((cpu1 - cpu0) * 1e6 / (bursts * burst))
        result.wall_us.append((t1 - t0) * 1e6 / (bursts * burst))
    return result


def run(requests: int = 50_000, burst: int = 100, repeats: int = 3, log=print) -> AbciResult:
    with tempfile.TemporaryDirectory(prefix="stateset-bench-abci-") as tmp:
        path = str(Path(tmp) / "app.sock")
        proc = subprocess.Popen(
            [sys.executable, "-m", "stateset_chain.abci.server", "--address", f"unix://{path}",
             "--log-level", "WARNING"],
        )
        try:
            deadline = time.monotonic() + 30
            while not os.path.exists(path):
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("the ABCI server did not start")
                time.sleep(0.05)
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.connect(path)
            patterns = [
                _pattern(sock, proc.pid, "pipelined CheckTx", requests, burst, repeats),
                _pattern(sock, proc.pid, "synchronous (request + Flush)", requests // 10, 1,
                         repeats),
            ]
            for p in patterns:
                log(f"abci: {p.name}: {report.median(p.cpu_us):.1f} µs server CPU per request")
            sock.close()
        finally:
            proc.terminate()
            proc.wait(10)
    return AbciResult(patterns)
