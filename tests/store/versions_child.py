"""Commits deterministic blocks into a LevelDB store that keeps versions (killed by
tests/store/test_versions.py at a commit point). ``python -m tests.store.versions_child DIR
BLOCKS KEEP [POINT@HEIGHT]``; prints each height once committed."""

from __future__ import annotations

import sys

from stateset_chain.store.commit import CommitStore
from tests.app.crash_child import kill_at

LOCAL = (b"\x99",)


def block(height: int) -> list[tuple[bytes, bytes | None]]:
    """Sets, updates and deletes that differ per height (a pure function of it)."""
    changes: dict[bytes, bytes | None] = {}
    for i in range(height % 7, 40, 3):
        changes[b"acct/%03d" % i] = b"%d:%d" % (i, height)
    if height % 4 == 0:
        for i in range(0, 40, 5):
            changes[b"acct/%03d" % i] = None
    changes[b"\x00zero\x00key"] = b"z%d" % height  # zero bytes in keys (the history escapes them)
    changes[b"\x99index/%d" % height] = b"local"
    return sorted(changes.items())


def main() -> None:
    path, blocks, keep = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    store = CommitStore.open(path, keep_versions=keep)
    store.local_prefixes = LOCAL
    if len(sys.argv) > 4:
        store.on_commit_point = kill_at(sys.argv[4])
    for height in range(store.last_height + 1, blocks + 1):
        store.stage(block(height), height)
        store.commit()
        print(height, flush=True)
    store.close()


if __name__ == "__main__":
    main()
