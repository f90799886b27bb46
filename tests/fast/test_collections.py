"""The fast Map (stateset_chain/fast/collections.py) reads and writes the same store keys and
values as the reference (store/collections.py's Map), with and without its key cache, for
hashable and unhashable keys."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from stateset_chain import fast
from stateset_chain.store import collections
from stateset_chain.store.collections import BytesKey, StrKey, TupleKey, UIntValue
from stateset_chain.store.kv import MemoryKV

KEYS = st.tuples(st.binary(max_size=4), st.sampled_from(["uusdc", "ussusd", "x"]))
OPS = st.lists(
    st.tuples(st.sampled_from(["get", "has", "set", "delete", "iterate", "store_key"]), KEYS,
              st.integers(0, 2**70), st.booleans()),
    max_size=30,
)


def run(map_cls, ops, cached: int) -> tuple:
    store = MemoryKV()
    m = map_cls(b"\x02", TupleKey(BytesKey, StrKey), UIntValue, cached_keys=cached)
    seen: list = []
    for op, (raw, denom), value, unhashable in ops:
        # a tuple holding a bytearray is unhashable: encoded every time, never cached
        key = (bytearray(raw), denom) if unhashable else (raw, denom)
        if op == "get":
            seen.append(m.get(store, key))
        elif op == "has":
            seen.append(m.has(store, key))
        elif op == "set":
            m.set(store, key, value)
        elif op == "delete":
            m.delete(store, key)
        elif op == "store_key":  # what a block reads ahead
            seen.append(m.store_key(key))
        else:
            seen.append(list(m.iterate(store, prefix=(raw,))))
    return seen, list(store.iterate())


def test_the_fast_map_is_installed_behind_the_reference_name():
    assert collections.Map.__module__ == "stateset_chain.fast.collections"
    assert fast.reference(collections, "Map").__module__ == "stateset_chain.store.collections"


@given(OPS, st.sampled_from([0, 1, 4, 4096]))
def test_fast_map_reads_and_writes_like_the_reference(ops, cached):
    reference = fast.reference(collections, "Map")
    assert run(collections.Map, ops, cached) == run(reference, ops, cached)
