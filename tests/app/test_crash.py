"""Crash safety: a SIGKILL between FinalizeBlock and Commit, inside Commit, or at a random moment
leaves exactly the previous or the new commit: state, tree, height and app hash together, and the
node-local orders indexes exactly matching the committed orders."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from stateset_chain.auth.state import AuthKeeper
from stateset_chain.bank.state import BankKeeper
from stateset_chain.context import BlockInfo, Context
from stateset_chain.orders import invariants
from stateset_chain.orders.keys import LOCAL_PREFIXES
from stateset_chain.orders.state import OrdersKeeper
from stateset_chain.store.commit import CommitStore
from stateset_chain.store.kv import Branch
from tests.app.crash_child import expected_hashes

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BLOCKS = 8


@pytest.fixture(scope="module")
def expected() -> dict[int, bytes]:
    return expected_hashes(BLOCKS)


def run_child(data_dir: str, failpoint: str | None = None, blocks: int = BLOCKS,
              stdout=subprocess.DEVNULL):
    """The crash child over ``data_dir``; ``failpoint`` (``point[@height]``) makes it SIGKILL
    itself at that commit point (injected into its store, not read from the environment)."""
    return subprocess.Popen(
        [sys.executable, "-m", "tests.app.crash_child", data_dir, str(blocks),
         *([failpoint] if failpoint else [])],
        cwd=ROOT, stdout=stdout, stderr=subprocess.PIPE, text=True,
    )


def committed(data_dir: str) -> tuple[int, bytes, bytes]:
    """(height, app hash, root recomputed from the state) of the database, after checking that
    the orders' node-local indexes match its orders."""
    store = CommitStore.open(data_dir)  # refuses an inconsistent database
    store.local_prefixes = LOCAL_PREFIXES
    try:
        ctx = Context(Branch(store.state), BlockInfo(store.last_height, 0, "crash"))
        keeper = OrdersKeeper(BankKeeper(AuthKeeper()))
        assert keeper.order_count(ctx.store) > 0  # every block created one
        invariants.indexes_consistent(keeper, ctx)
        return store.last_height, store.last_app_hash, store.recompute_app_hash()
    finally:
        store.close()


@pytest.mark.parametrize(
    "failpoint, height",
    [("before-write@5", 4), ("after-write@5", 5)],
    ids=["killed-after-finalize-before-commit-write", "killed-right-after-commit-write"],
)
def test_kill_at_commit_points(tmp_path, expected, failpoint, height):
    child = run_child(str(tmp_path / "state"), failpoint)
    _, err = child.communicate(timeout=120)
    assert child.returncode == -signal.SIGKILL, err
    last, app_hash, recomputed = committed(str(tmp_path / "state"))
    assert last == height
    assert app_hash == expected[height] == recomputed


@pytest.mark.parametrize("delay", [0.0, 0.011, 0.037, 0.093])
def test_kill_at_a_random_moment(tmp_path, delay):
    """Killed while committing block after block: at a moment unrelated to the commit points."""
    child = run_child(str(tmp_path / "state"), blocks=100_000, stdout=subprocess.PIPE)
    for line in child.stdout:  # wait until it is well into its loop (it prints each height)
        if int(line) >= 4:
            break
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=30)
    last, app_hash, recomputed = committed(str(tmp_path / "state"))
    assert app_hash == recomputed
    assert last >= 4
    assert app_hash == expected_hashes(last - 1)[last]
