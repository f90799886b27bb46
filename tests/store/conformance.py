"""Behaviour every KVStore must have; run against each implementation by test_conformance.py."""

from __future__ import annotations

import pytest

from stateset_chain.store.kv import KVStore


def check_get_set_delete(s: KVStore) -> None:
    assert s.get(b"k") is None and not s.has(b"k")
    s.set(b"k", b"v")
    assert s.get(b"k") == b"v" and s.has(b"k")
    s.set(b"k", b"w")
    assert s.get(b"k") == b"w"
    s.delete(b"k")
    assert s.get(b"k") is None
    s.delete(b"never-there")  # deleting a missing key is a no-op


def check_empty_value_is_present(s: KVStore) -> None:
    s.set(b"e", b"")
    assert s.get(b"e") == b"" and s.has(b"e")


def check_iteration_order_and_bounds(s: KVStore) -> None:
    keys = [b"\x00", b"a", b"a\x00", b"ab", b"b", b"\xff", b"\xff\xff"]
    for k in reversed(keys):
        s.set(k, k + b"!")
    assert [k for k, _ in s.iterate()] == keys
    assert [k for k, _ in s.iterate(reverse=True)] == keys[::-1]
    assert [k for k, _ in s.iterate(b"a", b"b")] == [b"a", b"a\x00", b"ab"]
    assert [k for k, _ in s.iterate(b"a", b"b", reverse=True)] == [b"ab", b"a\x00", b"a"]
    assert [k for k, _ in s.iterate_prefix(b"a")] == [b"a", b"a\x00", b"ab"]
    assert [k for k, _ in s.iterate_prefix(b"\xff")] == [b"\xff", b"\xff\xff"]
    assert all(v == k + b"!" for k, v in s.iterate())


def check_reverse_range_with_zero_bytes(s: KVStore) -> None:
    # fixed-width big-endian keys, the bound absent, more keys after it (plyvel 1.5 got this wrong)
    p = b"idx\x15"
    for i in (1, 3):
        s.set(p + i.to_bytes(8, "big"), b"v")
    s.set(b"idx\x20after", b"w")
    got = [k for k, _ in s.iterate(p + (1).to_bytes(8, "big"), p + (2).to_bytes(8, "big"), True)]
    assert got == [p + (1).to_bytes(8, "big")]
    got = [k for k, _ in s.iterate(p, p + (9).to_bytes(8, "big"), reverse=True)]
    assert got == [p + (3).to_bytes(8, "big"), p + (1).to_bytes(8, "big")]


def check_rejects_bad_keys(s: KVStore) -> None:
    with pytest.raises(TypeError):
        s.set(b"", b"v")
    with pytest.raises(TypeError):
        s.set("str-key", b"v")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        s.set(b"k", "str-value")  # type: ignore[arg-type]


CHECKS = [
    check_get_set_delete,
    check_empty_value_is_present,
    check_iteration_order_and_bounds,
    check_reverse_range_with_zero_bytes,
    check_rejects_bad_keys,
]
