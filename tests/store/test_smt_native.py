"""The compiled tree (native/, ``stateset_native``) is the reference tree of smt.py, node for node:
after any sequence of update batches both give the same roots, the same node writes (same keys,
same bytes, same order) and the same proofs, and both refuse the same bad input. The compiled
node cache answers like the Python one across commits."""

from __future__ import annotations

import pytest
import stateset_native
from hypothesis import given, settings
from hypothesis import strategies as st

from stateset_chain.store import commit, smt
from stateset_chain.store.smt import NativeSparseMerkleTree, PySparseMerkleTree

KEYS = [f"key-{i}".encode() for i in range(48)]

batch = st.dictionaries(
    st.sampled_from(KEYS), st.one_of(st.none(), st.binary(min_size=0, max_size=8)), max_size=24
)


class Stored:
    """One implementation with its node writes applied to a dict (what CommitStore persists)."""

    def __init__(self, cls: type[PySparseMerkleTree]) -> None:
        self.nodes: dict[bytes, bytes] = {}
        self.tree = cls(self.nodes.get)

    def apply(self, changes: list[tuple[bytes, bytes | None]]):
        root, writes = self.tree.update(changes)
        for k, v in writes.items():
            if v is None:
                self.nodes.pop(k, None)
            else:
                self.nodes[k] = v
        return root, list(writes.items())


def test_the_store_runs_the_compiled_tree():
    """setup builds native/: the store must not silently fall back to the reference."""
    assert smt.NATIVE and smt.SparseMerkleTree is NativeSparseMerkleTree


@settings(max_examples=100, deadline=None)
@given(st.lists(batch, min_size=1, max_size=8))
def test_same_roots_node_writes_and_proofs(batches):
    ref, fast = Stored(PySparseMerkleTree), Stored(NativeSparseMerkleTree)
    for b in batches:
        changes = list(b.items())
        assert fast.apply(changes) == ref.apply(changes)
        assert fast.nodes == ref.nodes
    for key in KEYS + [b"absent"]:
        assert fast.tree.prove(key) == ref.tree.prove(key)


@settings(max_examples=60, deadline=None)
@given(st.lists(batch, min_size=1, max_size=6), st.integers(0, 3), st.integers(1, 6))
def test_compiled_node_cache_gives_the_same_roots(batches, cache_depth, deep):
    """The compiled walk reading a ``NodeCache`` (tiny caches: nodes move between the caches and
    the database every commit) gives the same roots and writes as the reference over a dict."""
    ref = Stored(PySparseMerkleTree)
    db: dict[bytes, bytes] = {}
    cache = stateset_native.NodeCache(db.get, b"t/", cache_depth, deep)
    py_cache = commit.NodeCache(db.get, b"t/", cache_depth, deep)
    for b in batches:
        changes = list(b.items())
        root, writes = smt._native.smt_update(cache, changes)
        assert (root, list(writes.items())) == ref.apply(changes)
        for k, v in writes.items():
            if v is None:
                db.pop(b"t/" + k, None)
            else:
                db[b"t/" + k] = v
        cache.commit(writes)
        py_cache.commit(writes)
        for k in list(ref.nodes) + [b"\x00\x05\x08"]:
            assert cache(k) == py_cache(k) == ref.nodes.get(k)


def test_both_refuse_duplicate_keys():
    for cls in (PySparseMerkleTree, NativeSparseMerkleTree):
        with pytest.raises(ValueError):
            cls({}.get).update([(b"a", b"1"), (b"a", b"2")])


def test_both_refuse_a_corrupt_node():
    nodes = {b"\x00\x00": b"\x07" * 65}
    for cls in (PySparseMerkleTree, NativeSparseMerkleTree):
        with pytest.raises(ValueError, match="corrupt tree node"):
            cls(nodes.get).update([(b"a", b"1")])


def test_a_large_batch_matches():
    """A block-sized batch into a populated tree (deep paths, collapses on delete)."""
    ref, fast = Stored(PySparseMerkleTree), Stored(NativeSparseMerkleTree)
    first = [(f"k{i}".encode(), str(i).encode()) for i in range(3000)]
    assert fast.apply(first) == ref.apply(first)
    second = [(f"k{i}".encode(), None if i % 3 else b"x") for i in range(0, 3000, 2)]
    second += [(f"n{i}".encode(), b"y") for i in range(500)]
    assert fast.apply(second) == ref.apply(second)
    assert fast.nodes == ref.nodes


def test_proofs_on_another_thread_while_blocks_are_staged():
    """A query thread proving through the compiled node cache while the app thread stages
    blocks through it (the cache never holds its lock while Python runs): no errors, and every
    proof verifies against the committed root."""
    import threading

    from stateset_chain.store.commit import CommitStore
    from stateset_chain.store.smt import verify_proof

    store = CommitStore.in_memory()
    store.stage([(k, b"v" + k) for k in KEYS], 1)
    store.commit()
    root = store.last_app_hash
    errors: list[BaseException] = []
    done = threading.Event()

    def prove_loop() -> None:
        try:
            while not done.is_set():
                for k in KEYS[:8]:
                    value, proof = store.prove(k)
                    assert verify_proof(root, k, value, proof)
        except BaseException as e:  # reported to the main thread
            errors.append(e)

    t = threading.Thread(target=prove_loop)
    t.start()
    try:
        for height in range(2, 60):
            store.stage([(f"new-{height}-{i}".encode(), b"x") for i in range(200)], height)
    finally:
        done.set()
        t.join()
    assert not errors
