"""Ordered byte key/value stores and copy-on-write branches.

Every store orders keys by their bytes, so iteration is deterministic. A ``Branch`` overlays a
parent: reads fall through, writes stay in the branch until ``write()`` pushes them down. The app
runs each transaction on a branch of the block's branch, and drops it if any message fails, so
handlers never undo by hand (the Cosmos SDK's CacheMultiStore).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from bisect import bisect_left
from collections.abc import Iterator

from sortedcontainers import SortedDict

_DELETED = None  # a branch records a delete as a key mapped to None


class KVStore(ABC):
    """An ordered map of bytes to bytes."""

    @abstractmethod
    def get(self, key: bytes) -> bytes | None: ...

    @abstractmethod
    def set(self, key: bytes, value: bytes) -> None: ...

    @abstractmethod
    def delete(self, key: bytes) -> None: ...

    @abstractmethod
    def iterate(
        self, start: bytes | None = None, end: bytes | None = None, reverse: bool = False
    ) -> Iterator[tuple[bytes, bytes]]:
        """Yield (key, value) with start <= key < end in key order (descending if reverse)."""

    def has(self, key: bytes) -> bool:
        return self.get(key) is not None

    def iterate_prefix(self, prefix: bytes, reverse: bool = False) -> Iterator[tuple[bytes, bytes]]:
        return self.iterate(prefix, prefix_end(prefix), reverse)


def prefix_end(prefix: bytes) -> bytes | None:
    """The smallest key greater than every key starting with prefix (None: no bound)."""
    b = bytearray(prefix)
    while b:
        if b[-1] != 0xFF:
            b[-1] += 1
            return bytes(b)
        b.pop()
    return None


def _check(key: bytes, value: bytes | None = None) -> None:
    if not isinstance(key, bytes) or not key:
        raise TypeError(f"store keys are non-empty bytes, got {key!r}")
    if value is not None and not isinstance(value, bytes):
        raise TypeError(f"store values are bytes, got {type(value).__name__}")


class MemoryKV(KVStore):
    """A sorted in-memory store (tests, CheckTx views, benchmarks)."""

    def __init__(self) -> None:
        self._data: SortedDict = SortedDict()

    def get(self, key: bytes) -> bytes | None:
        return self._data.get(key)

    def set(self, key: bytes, value: bytes) -> None:
        _check(key, value)
        self._data[key] = value

    def delete(self, key: bytes) -> None:
        _check(key)
        self._data.pop(key, None)

    def iterate(self, start=None, end=None, reverse=False):
        keys = self._data.irange(start, end, inclusive=(True, False), reverse=reverse)
        for k in list(keys):
            yield k, self._data[k]

    def __len__(self) -> int:
        return len(self._data)


class PrefixKV(KVStore):
    """The keys of ``parent`` under ``prefix``, with the prefix hidden; ``readonly`` refuses writes
    (the committed state is changed only by ``CommitStore.commit``)."""

    def __init__(self, parent: KVStore, prefix: bytes, readonly: bool = False) -> None:
        self.parent = parent
        self.prefix = prefix
        self.readonly = readonly

    def get(self, key: bytes) -> bytes | None:
        return self.parent.get(self.prefix + key)

    def set(self, key: bytes, value: bytes) -> None:
        if self.readonly:
            raise TypeError("read-only store view: write through a Branch")
        _check(key, value)
        self.parent.set(self.prefix + key, value)

    def delete(self, key: bytes) -> None:
        if self.readonly:
            raise TypeError("read-only store view: write through a Branch")
        _check(key)
        self.parent.delete(self.prefix + key)

    def iterate(self, start=None, end=None, reverse=False):
        p = self.prefix
        lo = p + start if start is not None else p
        hi = p + end if end is not None else prefix_end(p)
        n = len(p)
        for k, v in self.parent.iterate(lo, hi, reverse):
            yield k[n:], v


class Branch(KVStore):
    """A copy-on-write overlay of ``parent``; ``write()`` applies its changes to the parent.

    Writes live in a plain dict (a transaction's branch is created, written and dropped thousands
    of times per block); the sorted key list that iteration needs is kept lazily: new keys are
    appended to a pending list and merged (timsort: linear for two sorted runs) when iterated.
    """

    def __init__(self, parent: KVStore) -> None:
        self.parent = parent
        self._writes: dict[bytes, bytes | None] = {}  # key -> value, or None for a delete
        self._sorted: list[bytes] = []
        self._pending: list[bytes] = []

    def get(self, key: bytes) -> bytes | None:
        writes = self._writes
        if key in writes:
            return writes[key]
        parent = self.parent
        if type(parent) is Branch:
            # A tx's branch sits on the block's: look there too without another call (reads are
            # the most frequent store operation).
            writes = parent._writes
            if key in writes:
                return writes[key]
            parent = parent.parent
        return parent.get(key)

    def set(self, key: bytes, value: bytes) -> None:
        if type(key) is not bytes or type(value) is not bytes or not key:
            _check(key, value)  # raises unless a bytes subclass: the common case skips the call
        writes = self._writes
        if key not in writes:
            self._pending.append(key)
        writes[key] = value

    def delete(self, key: bytes) -> None:
        _check(key)
        if key not in self._writes:
            self._pending.append(key)
        self._writes[key] = _DELETED

    def _keys(self) -> list[bytes]:
        if self._pending:
            self._pending.sort()
            self._sorted += self._pending
            self._sorted.sort()
            self._pending = []
        return self._sorted

    def _own_range(self, start, end, reverse) -> list[bytes]:
        keys = self._keys()
        lo = 0 if start is None else bisect_left(keys, start)
        hi = len(keys) if end is None else bisect_left(keys, end)
        own = keys[lo:hi]
        if reverse:
            own.reverse()
        return own

    def iterate(self, start=None, end=None, reverse=False):
        """Merge the parent's keys with this branch's writes, in order, hiding deletes."""
        own = iter(self._own_range(start, end, reverse))
        base = self.parent.iterate(start, end, reverse)
        before = (lambda a, b: a > b) if reverse else (lambda a, b: a < b)
        o = next(own, None)
        p = next(base, None)
        while o is not None or p is not None:
            if p is None or (o is not None and before(o, p[0])):
                v = self._writes[o]
                if v is not None:
                    yield o, v
                o = next(own, None)
            elif o is None or before(p[0], o):
                yield p
                p = next(base, None)
            else:  # same key: the branch wins
                v = self._writes[o]
                if v is not None:
                    yield o, v
                o = next(own, None)
                p = next(base, None)

    def changes(self) -> list[tuple[bytes, bytes | None]]:
        """The branch's writes in key order; None marks a delete."""
        writes = self._writes
        return [(k, writes[k]) for k in self._keys()]

    def write(self) -> None:
        """Apply this branch's writes to the parent and clear them."""
        parent = self.parent
        if isinstance(parent, Branch):
            pw = parent._writes
            pending = parent._pending
            for k, v in self._writes.items():
                if k not in pw:
                    pending.append(k)
                pw[k] = v
        else:
            for k, v in self._writes.items():
                if v is None:
                    parent.delete(k)
                else:
                    parent.set(k, v)
        self.discard()

    def discard(self) -> None:
        self._writes = {}
        self._sorted = []
        self._pending = []
