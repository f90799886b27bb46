"""Typed collections over a ``KVStore`` (the Cosmos SDK's collections, ADR-062).

A collection owns a key prefix and codecs; it never holds a store: every call takes the store
(the context's branch), so the same collection object serves CheckTx, FinalizeBlock and queries.

Key encodings keep byte order equal to logical order where it matters:
- ``U64Key``/``U32Key``: big-endian fixed width (numeric order).
- ``StrKey``/``BytesKey``: one length byte then the bytes (max 255; unambiguous inside tuples).
- ``TupleKey(a, b, ...)``: concatenation; ``iterate(prefix=(a,))`` walks every key starting with a.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from typing import Any, Generic, Protocol, TypeVar

from google.protobuf.message import Message

from stateset_chain.cache import BoundedCache
from stateset_chain.store.kv import KVStore, prefix_end

K = TypeVar("K")
V = TypeVar("V")


class KeyCodec(Protocol[K]):
    def encode(self, key: K) -> bytes: ...
    def decode(self, data: bytes) -> tuple[K, int]: ...  # (key, bytes consumed)


class ValueCodec(Protocol[V]):
    def encode(self, value: V) -> bytes: ...
    def decode(self, data: bytes) -> V: ...


class _UInt:
    def __init__(self, fmt: str) -> None:
        self._s = struct.Struct(fmt)

    def encode(self, key: int) -> bytes:
        return self._s.pack(key)

    def decode(self, data: bytes) -> tuple[int, int]:
        return self._s.unpack_from(data)[0], self._s.size


U64Key = _UInt(">Q")
U32Key = _UInt(">I")


# Key encoding runs for every store access (several per transfer), so the codecs below avoid
# per-call allocations: the length byte comes from a table, tuples join a list, not a generator.
_LENGTH_BYTE = tuple(bytes((n,)) for n in range(256))


class KeyPartTooLong(ValueError):
    """A length-prefixed key part over 255 bytes: no such key can exist in the store. Callers
    validate their inputs first; the app answers a query that still gets here with QueryFieldTooLong
    (a message handler reaching it is a bug, recovered as a panic)."""


class _LenPrefixedStr:
    def encode(self, key: str) -> bytes:
        raw = key.encode()
        try:
            return _LENGTH_BYTE[len(raw)] + raw
        except IndexError:
            raise KeyPartTooLong(f"key part longer than 255 bytes: {len(raw)}") from None

    def decode(self, data: bytes) -> tuple[str, int]:
        n = data[0]
        return data[1 : 1 + n].decode(), 1 + n


class _LenPrefixedBytes:
    def encode(self, key: bytes) -> bytes:
        raw = key if type(key) is bytes else bytes(key)
        try:
            return _LENGTH_BYTE[len(raw)] + raw
        except IndexError:
            raise KeyPartTooLong(f"key part longer than 255 bytes: {len(raw)}") from None

    def decode(self, data: bytes) -> tuple[bytes, int]:
        n = data[0]
        return bytes(data[1 : 1 + n]), 1 + n


class _RestStr:
    """A string that is the whole rest of the key (the SDK collections' last-part string): no
    length byte, so the store orders the entries by the string itself. Only as a key's last
    part."""

    def encode(self, key: str) -> bytes:
        return key.encode()

    def decode(self, data: bytes) -> tuple[str, int]:
        return bytes(data).decode(), len(data)


StrKey = _LenPrefixedStr()
BytesKey = _LenPrefixedBytes()
RestStrKey = _RestStr()


class TupleKey:
    def __init__(self, *parts: KeyCodec) -> None:
        self.parts = parts

    def encode(self, key: tuple) -> bytes:
        parts = self.parts
        if len(key) != len(parts):
            raise ValueError(f"key {key!r} needs {len(parts)} parts")
        if len(parts) == 2:  # the usual shape, e.g. balances' (address, denom): no loop
            return parts[0].encode(key[0]) + parts[1].encode(key[1])
        return b"".join([c.encode(k) for c, k in zip(parts, key, strict=True)])

    def encode_prefix(self, key: tuple) -> bytes:
        return b"".join([c.encode(k) for c, k in zip(self.parts, key, strict=False)])

    def decode(self, data: bytes) -> tuple[tuple, int]:
        out, off = [], 0
        for c in self.parts:
            k, n = c.decode(data[off:])
            out.append(k)
            off += n
        return tuple(out), off


class ProtoValue(Generic[V]):
    def __init__(self, cls: type[Message]) -> None:
        self.cls = cls

    def encode(self, value: Message) -> bytes:
        return value.SerializeToString(deterministic=True)

    def decode(self, data: bytes):
        return self.cls.FromString(data)


class U64Value:
    @staticmethod
    def encode(value: int) -> bytes:
        return struct.pack(">Q", value)

    @staticmethod
    def decode(data: bytes) -> int:
        return struct.unpack(">Q", data)[0]


class UIntValue:
    """Unbounded non-negative integer (amounts up to 2**256): minimal big-endian bytes."""

    @staticmethod
    def encode(value: int) -> bytes:
        if value < 0:
            raise ValueError("negative amount")
        return value.to_bytes(max(1, (value.bit_length() + 7) // 8), "big")

    @staticmethod
    def decode(data: bytes) -> int:
        return int.from_bytes(data, "big")


class StrValue:
    @staticmethod
    def encode(value: str) -> bytes:
        return value.encode()

    @staticmethod
    def decode(data: bytes) -> str:
        return data.decode()


class BytesValue:
    @staticmethod
    def encode(value: bytes) -> bytes:
        return bytes(value)

    @staticmethod
    def decode(data: bytes) -> bytes:
        return bytes(data)


class Map(Generic[K, V]):
    """``prefix | key -> value``.

    ``cached_keys=n`` remembers the store keys of the last ``n`` keys used (encoding is a pure
    function of the key): for a hot map whose keys are tuples the module builds itself from
    fixed types, e.g. the bank's (address bytes, denom), read then written in every transfer.
    """

    def __init__(self, prefix: bytes, key: Any, value: Any, cached_keys: int = 0) -> None:
        self.prefix = prefix
        self.key = key
        self.value = value
        # Bound once: get/has/set run for nearly every store access of every transaction.
        self._encode_key = key.encode
        self._encode_value = value.encode
        self._decode_value = value.decode
        self._cached_keys = cached_keys
        self._keys: BoundedCache[Any, bytes] = BoundedCache(cached_keys)

    def _k(self, key) -> bytes:
        if not self._cached_keys:
            return self.prefix + self._encode_key(key)
        try:
            k = self._keys.get(key)
        except TypeError:  # an unhashable key (a bytearray): encoded every time
            return self.prefix + self._encode_key(key)
        if k is None:
            k = self._keys.put(key, self.prefix + self._encode_key(key))
        return k

    def store_key(self, key: K) -> bytes:
        """The store key of ``key`` (through the key cache, so the handler that reads it next
        finds it there): what a block's read-ahead asks for (``MsgRoute.reads``)."""
        return self._k(key)

    def get(self, store: KVStore, key: K) -> V | None:
        raw = store.get(self._k(key))
        return None if raw is None else self._decode_value(raw)

    def has(self, store: KVStore, key: K) -> bool:
        return store.get(self._k(key)) is not None

    def set(self, store: KVStore, key: K, value: V) -> None:
        store.set(self._k(key), self._encode_value(value))

    def delete(self, store: KVStore, key: K) -> None:
        store.delete(self._k(key))

    def prefix_range(self, prefix: tuple = ()) -> tuple[bytes, bytes | None]:
        """The store range ``(start, end)`` that ``iterate(store, prefix)`` walks: what a
        block's read-ahead asks for (``MsgRoute.reads_after``)."""
        base = self.prefix + (self.key.encode_prefix(prefix) if prefix else b"")
        return base, prefix_end(base)

    def iterate(
        self,
        store: KVStore,
        prefix: tuple = (),
        start: K | None = None,
        end: K | None = None,
        reverse: bool = False,
    ) -> Iterator[tuple[K, V]]:
        """Entries in key order; ``prefix`` is a leading part of a TupleKey; start/end are full keys
        (start inclusive, end exclusive)."""
        base, base_end = self.prefix_range(prefix)
        lo = self._k(start) if start is not None else base
        hi = self._k(end) if end is not None else base_end
        n = len(self.prefix)
        for raw_k, raw_v in store.iterate(lo, hi, reverse):
            yield self.key.decode(raw_k[n:])[0], self.value.decode(raw_v)


class KeySet(Generic[K]):
    """``prefix | key -> (empty)``: a set of keys, e.g. a secondary index."""

    def __init__(self, prefix: bytes, key: Any) -> None:
        self._map: Map = Map(prefix, key, BytesValue)

    def add(self, store: KVStore, key: K) -> None:
        self._map.set(store, key, b"\x01")

    def has(self, store: KVStore, key: K) -> bool:
        return self._map.has(store, key)

    def store_key(self, key: K) -> bytes:
        return self._map.store_key(key)

    def prefix_range(self, prefix: tuple = ()) -> tuple[bytes, bytes | None]:
        return self._map.prefix_range(prefix)

    def remove(self, store: KVStore, key: K) -> None:
        self._map.delete(store, key)

    def iterate(self, store: KVStore, prefix: tuple = (), start=None, end=None, reverse=False):
        for k, _ in self._map.iterate(store, prefix, start, end, reverse):
            yield k


class Item(Generic[V]):
    """``prefix -> value``: one value (params, counters)."""

    def __init__(self, prefix: bytes, value: Any) -> None:
        self.prefix = prefix
        self.value = value

    def get(self, store: KVStore, default: V | None = None) -> V | None:
        raw = store.get(self.prefix)
        return default if raw is None else self.value.decode(raw)

    def set(self, store: KVStore, value: V) -> None:
        store.set(self.prefix, self.value.encode(value))

    def delete(self, store: KVStore) -> None:
        store.delete(self.prefix)


class Sequence:
    """``prefix -> u64``: a counter; ``next`` returns the current value and stores +1."""

    def __init__(self, prefix: bytes, start: int = 0) -> None:
        self._item: Item[int] = Item(prefix, U64Value)
        self.start = start

    def peek(self, store: KVStore) -> int:
        v = self._item.get(store)
        return self.start if v is None else v

    def next(self, store: KVStore) -> int:
        v = self.peek(store)
        self._item.set(store, v + 1)
        return v

    def set(self, store: KVStore, value: int) -> None:
        self._item.set(store, value)


# -- fast paths ----------------------------------------------------------------------------------
# The same names, faster (stateset_chain/fast/collections.py); the definitions above are the
# reference.
from stateset_chain import fast as _fast  # noqa: E402
from stateset_chain.fast import collections as _fast_collections  # noqa: E402

_fast.install(globals(), _fast_collections)
