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
