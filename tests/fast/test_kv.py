"""The fast ``Branch`` (stateset_chain/fast/kv.py) reads, iterates, lists its changes and writes
into its parent exactly as the reference (store/kv.py) does, on the app's own stack: a
transaction's branch on a block's branch on a store, with transactions kept or dropped."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stateset_chain import fast
from stateset_chain.store import kv
from stateset_chain.store.kv import MemoryKV

KEYS = st.binary(min_size=1, max_size=3)
BOUNDS = st.one_of(st.none(), st.binary(max_size=3))
OPS = st.lists(
    st.one_of(
        st.tuples(st.just("get"), KEYS),
        st.tuples(st.just("set"), KEYS, st.binary(max_size=4)),
        st.tuples(st.just("delete"), KEYS),
        st.tuples(st.just("iterate"), BOUNDS, BOUNDS, st.booleans()),
        st.tuples(st.just("changes")),
        st.tuples(st.just("changes_in"), KEYS, KEYS),
        st.tuples(st.just("write")),  # keep the tx: write it into the block, start the next
        st.tuples(st.just("discard")),  # drop the tx
        st.tuples(st.just("block-iterate"), BOUNDS, BOUNDS, st.booleans()),
    ),
    max_size=40,
)
SEED = st.dictionaries(KEYS, st.binary(min_size=1, max_size=4), max_size=8)


def run(branch_cls, seed, ops) -> tuple:
    store = MemoryKV()
    for k, v in seed.items():
        store.set(k, v)
    block = branch_cls(store)
    tx = branch_cls(block)
    seen: list = []
    for op, *args in ops:
        if op == "get":
            seen.append(tx.get(args[0]))
        elif op == "set":
            tx.set(args[0], args[1])
        elif op == "delete":
            tx.delete(args[0])
        elif op == "iterate":
            seen.append(list(tx.iterate(*args)))
        elif op == "block-iterate":
            seen.append(list(block.iterate(*args)))
        elif op == "changes":
            seen.append(tx.changes())
        elif op == "changes_in":
            seen.append((tx.changes_in(*args), block.changes_in(*args)))
        elif op == "write":
            tx.write()
            seen.append(block.changes())
        else:
            tx.discard()
    tx.write()
    block_changes = block.changes()
    block.write()
    return seen, block_changes, list(store.iterate())


def test_the_fast_branch_is_installed_behind_the_reference_name():
    assert kv.Branch.__module__ == "stateset_chain.fast.kv"
    assert fast.reference(kv, "Branch").__module__ == "stateset_chain.store.kv"


@given(SEED, OPS)
def test_the_fast_branch_behaves_like_the_reference(seed, ops):
    reference = fast.reference(kv, "Branch")
    assert run(kv.Branch, seed, ops) == run(reference, seed, ops)


@pytest.mark.parametrize("floor", [0, 1, 10**9])
@given(seed=SEED, ops=OPS)
def test_iteration_with_pending_keys_merged_or_scanned_is_the_same(floor, seed, ops):
    """An iteration merges the pending keys (floor 0: nearly always) or scans them (a floor
    above any pending list: always); either way the reference's reads."""
    from stateset_chain.fast import kv as fast_kv

    reference = fast.reference(kv, "Branch")
    saved = fast_kv.MERGE_FLOOR
    fast_kv.MERGE_FLOOR = floor
    try:
        assert run(kv.Branch, seed, ops) == run(reference, seed, ops)
    finally:
        fast_kv.MERGE_FLOOR = saved


def test_a_block_branch_iterated_after_each_tx_merges_rarely():
    """A block's branch of 20,000 keys, iterated once after each transaction's 20 new keys,
    merges its pending keys only every ~sqrt(n) new keys, and every iteration still sees them."""
    store = MemoryKV()
    block = kv.Branch(store)
    merges = 0
    for t in range(1_000):
        tx = kv.Branch(block)
        for i in range(20):
            tx.set(b"k%05d-%02d" % ((t * 7919) % 1_000, i), b"v")
        tx.write()
        before = len(block._sorted)
        got = [k for k, _ in block.iterate(b"k00500", b"k00501")]
        merges += len(block._sorted) != before
        assert got == sorted(k for k in block._writes if b"k00500" <= k < b"k00501")
    assert merges < 200
    assert [k for k, _ in block.iterate()] == sorted(block._writes)


class _Recorder(MemoryKV):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list = []

    def set(self, key, value):
        self.calls.append(("set", key, value))
        super().set(key, value)

    def delete(self, key):
        self.calls.append(("delete", key))
        super().delete(key)


@given(st.lists(st.tuples(KEYS, st.one_of(st.none(), st.binary(max_size=3))), max_size=12))
def test_both_write_into_a_plain_store_in_first_write_order(writes):
    def calls(branch_cls):
        parent = _Recorder()
        branch = branch_cls(parent)
        for k, v in writes:
            branch.set(k, v) if v is not None else branch.delete(k)
        branch.write()
        return parent.calls, branch.changes()

    assert calls(kv.Branch) == calls(fast.reference(kv, "Branch"))


@pytest.mark.parametrize("name", ["fast", "reference"])
@pytest.mark.parametrize("key, value", [(b"", b"v"), ("k", b"v"), (b"k", "v")])
def test_both_refuse_what_is_not_bytes(name, key, value):
    branch_cls = kv.Branch if name == "fast" else fast.reference(kv, "Branch")
    with pytest.raises(TypeError):
        branch_cls(MemoryKV()).set(key, value)
