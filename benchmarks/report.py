"""Markdown tables, timing statistics, memory and machine facts for the benchmark output."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import platform
import resource
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A GitHub markdown table; numbers right-aligned."""
    cells = [[_cell(c) for c in row] for row in rows]
    align = ["---:" if rows and _is_number(rows[0][i]) else "---" for i in range(len(headers))]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in cells]
    return "\n".join(lines)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _cell(value: object) -> str:
    if isinstance(value, float):
        if value >= 100:
            return f"{value:,.0f}"
        if value >= 10:
            return f"{value:.1f}"
        return f"{value:.2f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (``pct`` in 0..100) of a non-empty sequence."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


def peak_rss_mib() -> float:
    """This process's peak resident set size so far (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def process_peak_rss_mib(pid: int) -> float | None:
    """Another live process's peak RSS (VmHWM), or None if it cannot be read."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def machine() -> str:
    """One line: CPU model, cores, memory, OS, Python, key library versions."""
    cpu = platform.processor() or "unknown CPU"
    if (line := _first_line("/proc/cpuinfo", "model name")) is not None:
        cpu = line.split(":", 1)[1].strip()
    mem = ""
    if (line := _first_line("/proc/meminfo", "MemTotal:")) is not None:
        mem = f", {int(line.split()[1]) / 1024 / 1024:.0f} GiB RAM"
    libs = []
    for name in ("plyvel", "coincurve", "google.protobuf"):
        try:
            module = __import__(name, fromlist=["__version__"])
            libs.append(f"{name.split('.')[-1]} {getattr(module, '__version__', '?')}")
        except ImportError:
            continue
    return (
        f"{cpu}, {os.cpu_count()} cores{mem}; {platform.system()} {platform.release()}; "
        f"Python {sys.version.split()[0]} ({platform.python_implementation()}); "
        + ", ".join(libs)
    )


def _first_line(path: str, prefix: str) -> str | None:
    """The first line of ``path`` that starts with ``prefix`` (None if none, or no such file)."""
    with contextlib.suppress(OSError):
        for line in Path(path).read_text().splitlines():
            if line.startswith(prefix):
                return line
    return None


def revision() -> str:
    """The checked-out commit, short, read from ``.git`` (no git process); "unknown" if there
    is none. Uncommitted changes in the working tree are not visible here. In a linked work
    tree ``.git`` is a file naming its git directory, whose ``commondir`` holds the refs."""
    git = Path(__file__).resolve().parents[1] / ".git"
    with contextlib.suppress(OSError):
        common = git
        if git.is_file():
            git = Path(git.read_text().split("gitdir:", 1)[1].strip())
            common = git
            if (git / "commondir").exists():
                common = (git / (git / "commondir").read_text().strip()).resolve()
        head = (git / "HEAD").read_text().strip()
        if not head.startswith("ref: "):
            return head[:7]
        ref = head[5:]
        for base in (git, common):
            loose = base / ref
            if loose.exists():
                return loose.read_text().strip()[:7]
        for line in (common / "packed-refs").read_text().splitlines():
            if line.endswith(" " + ref):
                return line[:7]
    return "unknown"


def pin_to_one_cpu(cpu: int) -> str:
    """Restrict this process (and the threads it starts later, e.g. LevelDB's compaction
    thread) to one CPU; returns what was done, for the report."""
    if cpu < 0 or not hasattr(os, "sched_setaffinity"):
        return "not pinned"
    os.sched_setaffinity(0, {cpu})
    return f"pinned to CPU {cpu}"


def jsonable(obj: object) -> object:
    """A result as JSON data: a dataclass becomes its fields plus its properties (``tps``,
    ``total_ms``, ...), tuple dict keys are joined with "/", anything else not JSON is str()."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        out = {f.name: jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
        for name in dir(type(obj)):
            if isinstance(getattr(type(obj), name, None), property):
                with contextlib.suppress(Exception):
                    out[name] = jsonable(getattr(obj, name))
        return out
    if isinstance(obj, dict):
        return {
            "/".join(map(str, k)) if isinstance(k, tuple) else str(k): jsonable(v)
            for k, v in obj.items()
        }
    if isinstance(obj, list | tuple):
        return [jsonable(v) for v in obj]
    if obj is None or isinstance(obj, bool | int | float | str):
        return obj
    return str(obj)


def secp256k1_verify_rate(seconds: float = 1.0) -> float:
    """Single-core secp256k1 verifies per CPU-second of this thread (libsecp256k1 through the
    same binding the chain uses): the physical bound every signed-tx figure is a ratio to."""
    import hashlib

    from coincurve import PrivateKey

    from stateset_chain.crypto import secp256k1

    key = PrivateKey(hashlib.sha256(b"bench verify rate").digest())
    digest = hashlib.sha256(b"a message").digest()
    sig = key.sign_recoverable(digest, hasher=None)[:64]
    if int.from_bytes(sig[32:], "big") > secp256k1.HALF_N:
        sig = sig[:32] + (secp256k1.N - int.from_bytes(sig[32:], "big")).to_bytes(32, "big")
    pub = key.public_key.format()
    assert secp256k1.verify_digest(pub, digest, sig)
    n = 0
    start = time.thread_time()
    while time.thread_time() - start < seconds:
        for _ in range(200):
            secp256k1.verify_digest(pub, digest, sig)
        n += 200
    return n / (time.thread_time() - start)
