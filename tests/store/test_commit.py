"""CommitStore: staging computes without persisting, commit persists state + tree + height + hash
together, and a reopened LevelDB reports exactly the last commit."""

from __future__ import annotations

import pytest

from stateset_chain.store.commit import CommitStore, CorruptStore, NotProvable
from stateset_chain.store.smt import EMPTY, verify_proof


@pytest.fixture(params=["memory", "leveldb"])
def opener(request, tmp_path):
    if request.param == "memory":
        store = CommitStore.in_memory()
        yield lambda: store
        return
    opened: list[CommitStore] = []

    def open_():
        if opened:
            opened.pop().close()
        opened.append(CommitStore.open(str(tmp_path / "state")))
        return opened[-1]

    yield open_
    for s in opened:
        s.close()


def test_fresh_store_is_empty(opener):
    s = opener()
    assert (s.last_height, s.last_app_hash) == (0, EMPTY)
    assert list(s.state.iterate()) == []


def test_stage_persists_nothing_until_commit(opener):
    s = opener()
    h = s.stage([(b"a", b"1")], 1)
    assert h != EMPTY
    assert s.state.get(b"a") is None and s.last_height == 0
    assert s.commit() == (1, h)
    assert s.state.get(b"a") == b"1"
    assert (s.last_height, s.last_app_hash) == (1, h)


def test_restage_replaces_the_staged_block(opener):
    s = opener()
    s.stage([(b"genesis", b"g")], 0)
    h = s.stage([(b"genesis", b"g"), (b"block1", b"x")], 1)
    s.commit()
    assert s.last_app_hash == h == s.recompute_app_hash()
    assert s.state.get(b"block1") == b"x"


def test_commit_points_are_observed_around_the_write(opener, monkeypatch):
    """``on_commit_point`` sees the batch unwritten at before-write and written at after-write;
    the environment variable the crash tests once used is not read by the store."""
    monkeypatch.setenv("STATESET_FAILPOINT", "before-write")
    s = opener()
    seen = []
    s.on_commit_point = lambda point, height: seen.append((point, height, s.state.get(b"a")))
    s.stage([(b"a", b"1")], 1)
    s.commit()
    assert seen == [("before-write", 1, None), ("after-write", 1, b"1")]


def test_commit_rules(opener):
    s = opener()
    with pytest.raises(RuntimeError):
        s.commit()
    s.stage([(b"a", b"1")], 1)
    s.commit()
    s.stage([(b"a", b"2")], 1)
    with pytest.raises(RuntimeError):  # heights only go up
        s.commit()
    s.discard_staged()
    with pytest.raises(RuntimeError):
        s.commit()


def test_state_view_is_read_only(opener):
    with pytest.raises(TypeError):
        opener().state.set(b"k", b"v")


def test_reopen_reports_last_commit_and_proves(opener):
    s = opener()
    for height in range(1, 6):
        changes = {f"k{height}".encode(): b"v", b"k1": str(height).encode()}
        s.stage(sorted(changes.items()), height)
        s.commit()
    h = s.last_app_hash
    s = opener()
    assert (s.last_height, s.last_app_hash) == (5, h)
    assert s.recompute_app_hash() == h
    value, proof = s.prove(b"k1")
    assert value == b"5" and verify_proof(h, b"k1", value, proof)
    value, proof = s.prove(b"missing")
    assert value is None and verify_proof(h, b"missing", None, proof)


def test_deletes_are_committed(opener):
    s = opener()
    s.stage([(b"a", b"1"), (b"b", b"2")], 1)
    s.commit()
    s.stage([(b"a", None)], 2)
    s.commit()
    s = opener()
    assert list(s.state.iterate()) == [(b"b", b"2")]
    assert s.last_app_hash == s.recompute_app_hash()


def test_app_hash_depends_on_state_only():
    a, b = CommitStore.in_memory(), CommitStore.in_memory()
    a.stage([(b"x", b"1"), (b"y", b"2")], 1)
    a.commit()
    b.stage([(b"x", b"1")], 1)
    b.commit()
    b.stage([(b"y", b"2")], 7)
    b.commit()
    assert a.last_app_hash == b.last_app_hash


def test_inconsistent_database_is_refused(tmp_path):
    s = CommitStore.open(str(tmp_path / "db"))
    s.stage([(b"a", b"1")], 1)
    s.commit()
    s.close()
    import plyvel

    db = plyvel.DB(str(tmp_path / "db"))
    db.put(b"m/app_hash", bytes(32 * [7]))
    db.close()
    with pytest.raises(CorruptStore):
        CommitStore.open(str(tmp_path / "db"))


def test_tree_caches_stay_coherent_across_commits(monkeypatch):
    """With a tiny shallow cache and a tiny deep cache, nodes move between the caches and the
    database on every commit; every root must still equal the root rebuilt from the state."""
    import random

    from stateset_chain.store import commit

    monkeypatch.setattr(commit, "CACHE_DEPTH", 2)
    monkeypatch.setattr(commit, "DEEP_CACHE_NODES", 8)
    store = CommitStore.in_memory()
    rng = random.Random(5)
    keys = [f"k{i}".encode() for i in range(300)]
    for height in range(1, 30):
        changes = {rng.choice(keys): (None if rng.random() < 0.3 else bytes([height]))
                   for _ in range(25)}
        store.stage(sorted(changes.items()), height)
        store.commit()
        assert store.last_app_hash == store.recompute_app_hash()


def test_local_keys_are_committed_but_outside_the_app_hash(opener):
    """Keys under ``local_prefixes`` are written in the commit's batch and read back after a
    reopen, but the app hash, the recomputed root and proofs ignore them."""
    plain = CommitStore.in_memory()
    plain.stage([(b"x", b"1")], 1)
    plain.commit()
    s = opener()
    s.local_prefixes = (b"idx/",)
    s.stage([(b"x", b"1"), (b"idx/a", b"9")], 1)
    s.commit()
    assert s.last_app_hash == plain.last_app_hash
    s = opener()
    s.local_prefixes = (b"idx/",)
    assert s.state.get(b"idx/a") == b"9" and s.last_app_hash == plain.last_app_hash
    assert s.recompute_app_hash() == plain.last_app_hash
    s.stage([(b"idx/a", None), (b"idx/b", b"2")], 2)  # only local changes: the same root
    s.commit()
    assert s.last_app_hash == plain.last_app_hash
    assert list(s.state.iterate()) == [(b"idx/b", b"2"), (b"x", b"1")]
    with pytest.raises(NotProvable):
        s.prove(b"idx/b")
