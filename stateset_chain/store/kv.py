"""Ordered byte key/value stores and copy-on-write branches.

Every store orders keys by their bytes, so iteration is deterministic. A ``Branch`` overlays a
parent: reads fall through, writes stay in the branch until ``write()`` pushes them down. A
transaction's writes are kept or dropped as a whole, so handlers never undo by hand (the Cosmos
SDK's CacheMultiStore): either on a branch of the block's branch, written or dropped, or, as the
app runs them, directly in the block's branch under a ``savepoint()`` (an undo log): the same
reads and the same final writes as the branch of the branch, without one.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from bisect import bisect_left
from collections.abc import Iterator

from sortedcontainers import SortedDict

_DELETED = None  # a branch records a delete as a key mapped to None
_ABSENT = object()  # in a savepoint's undo log: the branch held no write for the key


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

    The writes are a dict of key -> value, or None for a delete. A read looks in the writes, then
    in the parent; iteration merges the writes in key order with the parent's keys, the branch
    winning on the same key. This is the reference: the name ``Branch`` is the faster one of
    stateset_chain/fast/kv.py (the same behaviour, held to it by tests/fast/test_kv.py).
    """

    def __init__(self, parent: KVStore) -> None:
        self.parent = parent
        self._writes: dict[bytes, bytes | None] = {}  # key -> value, or None for a delete
        # While a savepoint is open: (key, what _writes held for it before, or _ABSENT) for
        # every write and delete, in order; and where each open savepoint's entries begin.
        self._journal: list[tuple[bytes, object]] | None = None
        self._marks: list[int] = []

    def get(self, key: bytes) -> bytes | None:
        if key in self._writes:
            return self._writes[key]
        return self.parent.get(key)

    def set(self, key: bytes, value: bytes) -> None:
        _check(key, value)
        self._log(key)
        self._writes[key] = value

    def delete(self, key: bytes) -> None:
        _check(key)
        self._log(key)
        self._writes[key] = _DELETED

    def _log(self, key: bytes) -> None:
        if self._journal is not None:
            self._journal.append((key, self._writes.get(key, _ABSENT)))

    # -- savepoints: a transaction's writes made in place, undone if it fails --------------

    def savepoint(self) -> Savepoint:
        """Opens an undo log of this branch's writes from now on: the returned savepoint's
        ``discard()`` puts every key written since back as it was (a key first written since is
        no longer in the branch), its ``write()`` keeps them where they are. Reads, iteration
        and ``changes`` see the writes meanwhile, as a branch of this branch would show them to
        its own reader. Savepoints nest and close in the reverse order they were opened."""
        journal = self._journal
        if journal is None:
            journal = self._journal = []
        marks = self._marks
        marks.append(len(journal))
        return Savepoint(self, len(marks))

    def rollback(self, savepoint: Savepoint) -> None:
        """Undoes the writes made since ``savepoint``, the last first (``Savepoint.discard``)."""
        mark = _close(self, savepoint)
        journal = self._journal
        assert journal is not None
        writes = self._writes
        while len(journal) > mark:
            key, prior = journal.pop()
            if prior is _ABSENT:
                del writes[key]
            else:
                writes[key] = prior  # type: ignore[assignment]
        if not self._marks:
            self._journal = None

    def _keys(self) -> list[bytes]:
        """The keys this branch wrote or deleted, in order."""
        return sorted(self._writes)

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

    def changes_in(self, start: bytes, end: bytes) -> list[tuple[bytes, bytes | None]]:
        """The branch's own writes with ``start <= key < end``, in key order (None marks a
        delete): what ``changes`` lists of that range, without reading the parent."""
        writes = self._writes
        return [(k, writes[k]) for k in self._own_range(start, end, False)]

    def write(self) -> None:
        """Apply this branch's writes to the parent (in the order they were first made) and
        clear them."""
        for k, v in self._writes.items():
            if v is None:
                self.parent.delete(k)
            else:
                self.parent.set(k, v)
        self.discard()

    def discard(self) -> None:
        """Drops every write (and any open savepoint)."""
        self._writes = {}
        self._journal = None
        self._marks = []


class Savepoint:
    """The writes made into ``branch`` since ``Branch.savepoint()`` returned this: ``write()``
    keeps them, ``discard()`` undoes them (a branch's two verbs, without a branch: nothing is
    copied on ``write``). Either closes it, once."""

    __slots__ = ("branch", "depth", "closed")

    def __init__(self, branch: Branch, depth: int) -> None:
        self.branch = branch
        self.depth = depth  # how many savepoints of the branch are open with this one
        self.closed = False

    def write(self) -> None:
        """Keeps the writes made since this savepoint (an outer one still undoes them)."""
        branch = self.branch
        marks = branch._marks
        if self.closed or len(marks) != self.depth:
            _close(branch, self)  # raises
        self.closed = True
        marks.pop()
        if not marks:
            branch._journal = None  # the outermost: nothing is logged any more

    def discard(self) -> None:
        self.branch.rollback(self)


def _close(branch: Branch, savepoint: Savepoint) -> int:
    """Closes ``savepoint``, the innermost open one of ``branch``; returns where its undo log
    entries begin."""
    marks = branch._marks
    if savepoint.closed or len(marks) != savepoint.depth:
        raise RuntimeError("a savepoint closes once, and after every savepoint opened after it")
    savepoint.closed = True
    return marks.pop()


# -- fast paths ----------------------------------------------------------------------------------
# The same names, faster (stateset_chain/fast/kv.py); the definitions above are the reference.
from stateset_chain import fast as _fast  # noqa: E402
from stateset_chain.fast import kv as _fast_kv  # noqa: E402

_fast.install(globals(), _fast_kv)
