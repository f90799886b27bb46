"""The fast ``Branch`` of ``stateset_chain/store/kv.py`` (the reference).

A transaction's branch is created, written and dropped thousands of times per block, and a read
is the most frequent store operation, so:

- the sorted key list iteration needs is kept lazily: a new key is appended to a pending list,
  and the pending keys are merged into the sorted list (timsort: linear for two sorted runs) only
  when its changes are listed, or when the branch is iterated with more pending keys than
  ``merge_at`` allows. Below that, an iteration takes the range it needs from the sorted list
  (two bisections) and adds the pending keys that fall in it (a scan of the short pending list).
  A block's branch holds every key the block wrote (tens of thousands) and every transaction
  writes new ones into it, so merging on every iteration re-walked the whole list once per
  iteration (four per order transaction: the fraud velocity windows, the stock reads): the
  largest own time of an order block. With ``merge_at``, a merge (linear in the branch) happens
  only after about 2 sqrt(n) new keys, and a scan reads at most that many pending keys;
- ``get`` on a transaction's branch looks in the block's branch under it without another call;
- ``set`` checks the key and value types with two ``type`` tests, calling the reference's check
  (which raises) only when they fail;
- ``write`` into another fast branch merges the writes into its dict directly;
- a savepoint's undo log (the reference's) is appended to inline by ``set``; its rollback takes a
  key first written under it out of the pending list (usually its last entry) or, if an
  iteration merged it meanwhile, out of the sorted list by bisection.

The same reads, iteration, changes and parent writes in the same order (tests/fast/test_kv.py runs
both side by side).
"""

from __future__ import annotations

from bisect import bisect_left
from math import isqrt

from stateset_chain.store import kv as reference
from stateset_chain.store.kv import _ABSENT, _DELETED, _check

REPLACES = ("Branch",)

# An iteration merges the pending keys first when there are more than this many, and more than
# twice the square root of the sorted keys: a scan of k pending keys per iteration against a
# merge of n keys every k new keys, the sum least at k ~ sqrt(n) times the ratio of new keys to
# iterations (an order transaction: ~30 new keys, 4 iterations of the block's branch).
MERGE_FLOOR = 32


def merge_at(sorted_keys: int) -> int:
    """The most pending keys an iteration scans instead of merging them."""
    return max(MERGE_FLOOR, 2 * isqrt(sorted_keys))


class Branch(reference.Branch):
    def __init__(self, parent: reference.KVStore) -> None:
        self.parent = parent
        self._writes: dict[bytes, bytes | None] = {}
        self._sorted: list[bytes] = []  # the keys of _writes, sorted, except _pending's
        self._pending: list[bytes] = []  # keys first written since the last sort
        self._journal: list[tuple[bytes, object]] | None = None  # the reference's undo log
        self._marks: list[int] = []

    def get(self, key: bytes) -> bytes | None:
        writes = self._writes
        if key in writes:
            return writes[key]
        parent = self.parent
        if type(parent) is Branch:  # a tx's branch on the block's: look there without a call
            writes = parent._writes
            if key in writes:
                return writes[key]
            parent = parent.parent
        return parent.get(key)

    def set(self, key: bytes, value: bytes) -> None:
        if type(key) is not bytes or type(value) is not bytes or not key:
            _check(key, value)  # raises unless a bytes subclass: the common case skips the call
        writes = self._writes
        journal = self._journal
        if key not in writes:
            self._pending.append(key)
            if journal is not None:
                journal.append((key, _ABSENT))
        elif journal is not None:
            journal.append((key, writes[key]))
        writes[key] = value

    def delete(self, key: bytes) -> None:
        _check(key)
        writes = self._writes
        journal = self._journal
        if key not in writes:
            self._pending.append(key)
            if journal is not None:
                journal.append((key, _ABSENT))
        elif journal is not None:
            journal.append((key, writes[key]))
        writes[key] = _DELETED

    def rollback(self, savepoint: reference.Savepoint) -> None:
        mark = reference._close(self, savepoint)
        journal = self._journal
        assert journal is not None
        writes = self._writes
        pending = self._pending
        while len(journal) > mark:
            key, prior = journal.pop()
            if prior is not _ABSENT:
                writes[key] = prior  # type: ignore[assignment]
                continue
            del writes[key]
            if pending and pending[-1] == key:  # the usual case: undone in reverse order
                pending.pop()
            elif key in pending:
                pending.remove(key)
            else:  # merged by an iteration since it was written
                keys = self._sorted
                del keys[bisect_left(keys, key)]
        if not self._marks:
            self._journal = None

    def _keys(self) -> list[bytes]:
        if self._pending:
            self._pending.sort()
            self._sorted += self._pending
            self._sorted.sort()
            self._pending = []
        return self._sorted

    def _own_range(self, start, end, reverse) -> list[bytes]:
        pending = self._pending
        keys = self._sorted
        if len(pending) > merge_at(len(keys)):
            keys = self._keys()
            pending = self._pending
        lo = 0 if start is None else bisect_left(keys, start)
        hi = len(keys) if end is None else bisect_left(keys, end)
        own = keys[lo:hi]
        if pending:
            if start is None and end is None:
                extra = pending
            elif end is None:
                extra = [k for k in pending if k >= start]
            elif start is None:
                extra = [k for k in pending if k < end]
            else:
                extra = [k for k in pending if start <= k < end]
            if extra:
                own += extra
                own.sort()
        if reverse:
            own.reverse()
        return own

    def write(self) -> None:
        parent = self.parent
        if isinstance(parent, Branch) and parent._journal is None:
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
        self._journal = None
        self._marks = []
