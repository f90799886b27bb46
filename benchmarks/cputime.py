"""CPU seconds of other processes (Linux ``/proc``), for figures a busy machine cannot inflate.

``tree_cpu(pid)`` is the CPU time (user + system) a process and its descendants have used: the
process's own time, the time of its children it has already reaped (``cutime``/``cstime``:
PostgreSQL's postmaster reaps every backend that exits), and the time of the descendants still
running. The difference of two readings is what that process tree spent in between.
"""

from __future__ import annotations

import os
from pathlib import Path

_TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # the command (field 2) is in parentheses and may hold spaces
    return text[text.rindex(")") + 2:].split()


def own_cpu(pid: int, children: bool = True) -> float:
    """CPU seconds of ``pid`` (every thread), plus its reaped children's if ``children``."""
    f = _stat(pid)
    if f is None:
        return 0.0
    # after the command: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14)
    ticks = int(f[11]) + int(f[12]) + ((int(f[13]) + int(f[14])) if children else 0)
    return ticks / _TICK


def _children_map() -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        f = _stat(int(entry.name))
        if f is not None:
            out.setdefault(int(f[1]), []).append(int(entry.name))
    return out


def tree_cpu(pid: int | None) -> float:
    """CPU seconds of ``pid`` and every descendant, living or reaped (0.0 for None)."""
    if pid is None:
        return 0.0
    kids = _children_map()
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        total += own_cpu(p)
        todo.extend(kids.get(p, []))
    return total


def load_average() -> float:
    return os.getloadavg()[0]
