"""Child process for the crash tests: a deterministic chain over LevelDB, one block after another.

    python -m tests.app.crash_child <data_dir> <blocks> [<point>[@<height>]]

With a third argument the process SIGKILLs itself at that commit point (``before-write`` or
``after-write`` of ``CommitStore.commit``), at any height or only at the given one: the test
injects the failpoint through the store's ``on_commit_point`` observer, which a node never sets.

Block h sends (h % 3 + 1) transfers and creates an order (whose list indexes are node-local keys,
committed in the same batch); run in memory with the same arguments it gives the expected app hash
of every height (``expected_hashes``).
"""

from __future__ import annotations

import os
import signal
import sys

from stateset_chain.store.commit import COMMIT_POINTS, CommitStore
from tests.chain import Chain, address


def run(chain: Chain, blocks: int, on_commit=None) -> None:
    for _ in range(blocks):
        h = chain.height + 1
        txs = [
            chain.send(chain.wallets[i % 4], address(chain.wallets[(i + 1) % 4]), h * 10 + i)
            for i in range(h % 3 + 1)
        ]
        txs.append(chain.create_order(chain.wallets[h % 3], chain.wallets[3], h))
        chain.block(txs)
        if on_commit is not None:
            on_commit(chain)


def expected_hashes(blocks: int) -> dict[int, bytes]:
    chain = Chain.start()
    hashes = {chain.height: chain.core.store.last_app_hash}
    run(chain, blocks, lambda c: hashes.__setitem__(c.height, c.core.store.last_app_hash))
    return hashes


def kill_at(failpoint: str):
    """An ``on_commit_point`` observer that SIGKILLs this process at ``point[@height]``."""
    point = failpoint.partition("@")[0]
    if point not in COMMIT_POINTS:
        raise SystemExit(f"unknown commit point {point!r}: one of {COMMIT_POINTS}")

    def observe(reached: str, height: int) -> None:
        if failpoint in (reached, f"{reached}@{height}"):
            os.kill(os.getpid(), signal.SIGKILL)

    return observe


if __name__ == "__main__":
    data_dir, blocks = sys.argv[1], int(sys.argv[2])
    store = CommitStore.open(data_dir)
    if len(sys.argv) > 3:
        store.on_commit_point = kill_at(sys.argv[3])
    chain = Chain.start(store=store)
    run(chain, blocks, lambda c: print(c.height, flush=True))
