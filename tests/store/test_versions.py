"""Past versions of the state (store/versions.py): every kept height reads exactly as it was
committed (values, ranges both ways, app hash, ICS23 proofs the ics23 crate accepts); heights
outside the window are refused; pruning is bounded per commit, resumable and crash-safe."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from stateset_chain.store import versions
from stateset_chain.store.commit import CommitStore
from stateset_chain.store.versions import HeightUnavailable, LatestOnly
from tests import ics23_verifier
from tests.store.versions_child import LOCAL, block

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def expected_states(blocks: int) -> dict[int, tuple[bytes, dict[bytes, bytes]]]:
    """(app hash, merklized state) after each height, from a store that keeps one version."""
    store = CommitStore.in_memory()
    store.local_prefixes = LOCAL
    out = {}
    for h in range(1, blocks + 1):
        store.stage(block(h), h)
        store.commit()
        state = {k: v for k, v in store.state.iterate() if not k.startswith(LOCAL)}
        out[h] = (store.last_app_hash, state)
    return out


@pytest.fixture(params=["memory", "leveldb"])
def make_store(request, tmp_path):
    opened: list[CommitStore] = []

    def make(keep: int) -> CommitStore:
        if request.param == "memory":
            store = CommitStore.in_memory()
            store.keep_versions = keep
        else:
            store = CommitStore.open(str(tmp_path / f"db{len(opened)}"), keep_versions=keep)
        store.local_prefixes = LOCAL
        opened.append(store)
        return store

    yield make
    for s in opened:
        s.close()


def commit_blocks(store: CommitStore, upto: int) -> None:
    for h in range(store.last_height + 1, upto + 1):
        store.stage(block(h), h)
        store.commit()


def assert_reads_as(store: CommitStore, height: int, app_hash: bytes, state: dict) -> None:
    view = store.view_at(height)
    assert (view.height, view.app_hash) == (height, app_hash)
    s = view.state
    items = sorted(state.items())
    if view.past:  # up to the node-local keys, which a past view refuses
        assert list(s.iterate(None, LOCAL[0])) == items
        assert list(s.iterate(None, LOCAL[0], reverse=True)) == items[::-1]
    lo, hi = b"acct/010", b"acct/030"
    assert list(s.iterate(lo, hi)) == [(k, v) for k, v in items if lo <= k < hi]
    assert list(s.iterate(lo, hi, reverse=True)) == [(k, v) for k, v in items if lo <= k < hi][::-1]
    assert list(s.iterate_prefix(b"\x00zero")) == [(k, v) for k, v in items if k[:1] == b"\x00"]
    for i in range(40):
        key = b"acct/%03d" % i
        assert s.get(key) == state.get(key)


def test_every_kept_height_reads_as_committed(make_store):
    expected = expected_states(30)
    store = make_store(keep=10)
    commit_blocks(store, 30)
    assert (store.earliest_height, store.last_height) == (21, 30)
    for h in range(21, 31):
        assert_reads_as(store, h, *expected[h])
    assert store.last_app_hash == expected[30][0]  # history changes nothing in the app hash


def test_heights_outside_the_window_are_refused(make_store):
    store = make_store(keep=3)
    commit_blocks(store, 8)
    for h in (1, 5):
        with pytest.raises(HeightUnavailable, match=f"height {h} is not available.*6 to 8"):
            store.view_at(h)
    with pytest.raises(HeightUnavailable, match="height 9 is not committed yet.*latest is 8"):
        store.view_at(9)
    assert store.view_at(6).height == 6 and store.view_at(0).height == 8


def test_node_local_keys_are_latest_only(make_store):
    store = make_store(keep=5)
    commit_blocks(store, 6)
    past = store.view_at(4).state
    with pytest.raises(LatestOnly, match="latest height only"):
        past.get(b"\x99index/3")
    with pytest.raises(LatestOnly):
        list(past.iterate(b"\x90", b"\xa0"))
    with pytest.raises(LatestOnly):
        list(past.iterate())  # a full range includes the index
    assert store.view_at(0).state.get(b"\x99index/3") == b"local"  # the latest still answers


def test_keep_all_and_keep_one(make_store):
    expected = expected_states(12)
    everything = make_store(keep=0)
    commit_blocks(everything, 12)
    assert everything.earliest_height == 1
    for h in range(1, 13):
        assert_reads_as(everything, h, *expected[h])
    latest = make_store(keep=1)
    commit_blocks(latest, 12)
    assert latest.earliest_height == 12
    with pytest.raises(HeightUnavailable):
        latest.view_at(11)
    assert not any(k.startswith(versions.HISTORY) for k, _ in latest._raw.iterate())


def test_ics23_proofs_at_past_heights(make_store):
    """Membership and non-membership at every kept height, checked by the ics23 crate against
    that height's app hash; a proof of one height does not verify against another's."""
    store = make_store(keep=6)
    commit_blocks(store, 12)
    lines, want = [], []
    for h in range(7, 13):
        view = store.view_at(h)
        for i in range(0, 40, 3):
            key = b"acct/%03d" % i
            value, proof = store.ics23_proof(view, key)
            raw = proof.SerializeToString()
            if value is None:
                lines.append(ics23_verifier.nonmember_line(view.app_hash, key, raw))
                want.append("ok")
            else:
                lines.append(ics23_verifier.member_line(view.app_hash, key, value, raw))
                want.append("ok")
                lines.append(ics23_verifier.member_line(view.app_hash, key, value + b"!", raw))
                want.append("fail")
                other = store.view_at(h - 1 if h > 7 else h + 1).app_hash
                lines.append(ics23_verifier.member_line(other, key, value, raw))
                want.append("fail")
        for absent in (b"nope", b"acct/999", b"\x00"):
            value, proof = store.ics23_proof(view, absent)
            assert value is None and proof.HasField("nonexist")
            lines.append(
                ics23_verifier.nonmember_line(view.app_hash, absent, proof.SerializeToString())
            )
            want.append("ok")
    assert ics23_verifier.run(lines) == want


def test_pruning_is_bounded_per_commit_and_catches_up(tmp_path, monkeypatch):
    """Lowering keep-versions on a store that kept everything prunes a bounded number of keys per
    commit (whole heights), across restarts, until only the window is left."""
    path = str(tmp_path / "db")
    store = CommitStore.open(path, keep_versions=0)
    store.local_prefixes = LOCAL
    commit_blocks(store, 20)
    store.close()
    monkeypatch.setattr(versions, "PRUNE_BUDGET", 1)  # the least: two heights per commit
    store = CommitStore.open(path, keep_versions=3)
    store.local_prefixes = LOCAL
    commit_blocks(store, 21)
    assert store.earliest_height == 19  # readable heights are right at once
    assert versions.pending_prune_heights(store._raw, store.earliest_height) == 16  # 4..19
    store.close()
    store = CommitStore.open(path, keep_versions=3)
    store.local_prefixes = LOCAL
    commit_blocks(store, 25)
    assert versions.pending_prune_heights(store._raw, store.earliest_height) == 16 - 4
    commit_blocks(store, 60)
    assert versions.pending_prune_heights(store._raw, store.earliest_height) == 0
    history = store._raw.iterate_prefix(versions.HISTORY)
    heights = {int.from_bytes(k[-8:], "big") for k, _ in history}
    assert heights == {59, 60}  # what reads at 58..60 need: the values before 59 and 60
    expected = expected_states(60)
    for h in (58, 59, 60):
        assert_reads_as(store, h, *expected[h])
    store.close()


@pytest.mark.parametrize("failpoint, height", [("before-write@9", 8), ("after-write@9", 9)])
def test_history_survives_a_kill_at_commit(tmp_path, failpoint, height):
    """A SIGKILL at a commit point leaves the history and pruning of exactly the commits that
    are durable: every kept height reads right after the restart, and the chain goes on."""
    path = str(tmp_path / "db")
    child = subprocess.run(
        [sys.executable, "-m", "tests.store.versions_child", path, "20", "4", failpoint],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr
    expected = expected_states(20)
    store = CommitStore.open(path, keep_versions=4)
    store.local_prefixes = LOCAL
    assert store.last_height == height
    assert store.earliest_height == height - 3
    for h in range(height - 3, height + 1):
        assert_reads_as(store, h, *expected[h])
    commit_blocks(store, 20)
    for h in range(17, 21):
        assert_reads_as(store, h, *expected[h])
    store.close()


def test_the_first_height_of_a_window_records_nothing(make_store):
    """Genesis (or the commit that turns recording on) writes no history: nothing below it can
    be read, so an exported genesis of any size costs no history entries."""
    store = make_store(keep=5)
    commit_blocks(store, 1)
    assert not any(True for _ in store._raw.iterate_prefix(versions.HISTORY))
    commit_blocks(store, 2)
    history = store._raw.iterate_prefix(versions.HISTORY)
    assert {int.from_bytes(k[-8:], "big") for k, _ in history} == {2}
