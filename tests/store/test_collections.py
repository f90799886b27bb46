"""Typed collections: key encodings keep their byte layout, and cached store keys change nothing."""

from __future__ import annotations

import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stateset_chain.store.collections import (
    BytesKey,
    Map,
    StrKey,
    TupleKey,
    U64Key,
    UIntValue,
)
from stateset_chain.store.kv import MemoryKV


@given(st.binary(max_size=255), st.text(max_size=60), st.integers(0, 2**64 - 1))
def test_key_layout_is_length_prefixed_parts_in_order(raw, text, n):
    encoded = text.encode()
    if len(encoded) > 255:
        return
    assert BytesKey.encode(raw) == bytes([len(raw)]) + raw
    assert StrKey.encode(text) == bytes([len(encoded)]) + encoded
    pair = BytesKey.encode(raw) + StrKey.encode(text)
    assert TupleKey(BytesKey, StrKey).encode((raw, text)) == pair
    three = TupleKey(BytesKey, StrKey, U64Key)
    key = three.encode((raw, text, n))
    assert key == pair + struct.pack(">Q", n)
    assert three.decode(key) == ((raw, text, n), len(key))


def test_key_parts_longer_than_255_bytes_are_refused():
    with pytest.raises(ValueError, match="longer than 255"):
        BytesKey.encode(b"x" * 256)
    with pytest.raises(ValueError, match="longer than 255"):
        StrKey.encode("é" * 128)  # 256 bytes in UTF-8
    with pytest.raises(ValueError, match="needs 2 parts"):
        TupleKey(BytesKey, StrKey).encode((b"a",))


def test_bytes_key_accepts_bytes_like_values():
    assert BytesKey.encode(bytearray(b"ab")) == b"\x02ab"
    assert BytesKey.encode(memoryview(b"ab")) == b"\x02ab"


@given(st.lists(st.tuples(st.binary(min_size=1, max_size=4), st.sampled_from(["a", "bb"])),
                max_size=40), st.integers(1, 5))
def test_a_map_with_cached_keys_reads_and_writes_the_same_store_keys(keys, cache_size):
    """The cache holds store keys only (a pure function of the key), so a map with it writes
    exactly what one without it writes, whatever gets evicted."""
    plain, cached = MemoryKV(), MemoryKV()
    a = Map(b"x/", TupleKey(BytesKey, StrKey), UIntValue)
    b = Map(b"x/", TupleKey(BytesKey, StrKey), UIntValue, cached_keys=cache_size)
    for i, key in enumerate(keys):
        a.set(plain, key, (a.get(plain, key) or 0) + i)
        b.set(cached, key, (b.get(cached, key) or 0) + i)
        assert b.has(cached, key) and b._k(key) == a._k(key)
    assert list(plain.iterate()) == list(cached.iterate())
    assert len(b._keys) <= cache_size


def test_a_cached_map_still_takes_unhashable_keys():
    m = Map(b"x/", TupleKey(BytesKey, StrKey), UIntValue, cached_keys=8)
    store = MemoryKV()
    m.set(store, (bytearray(b"ab"), "c"), 5)  # a bytearray in the key: encoded, not cached
    assert m.get(store, (b"ab", "c")) == 5
