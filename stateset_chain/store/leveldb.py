"""LevelDB (plyvel) as a ``KVStore``, and the atomic write batch that makes a commit durable."""

from __future__ import annotations

from collections.abc import Iterable

import plyvel

from stateset_chain.store.kv import KVStore, _check, prefix_end

Op = tuple[bytes, bytes | None]  # (key, value), or (key, None) to delete


class LevelDBKV(KVStore):
    """The keys of one LevelDB that start with ``prefix`` (the prefix is hidden from callers)."""

    def __init__(self, db: plyvel.DB, prefix: bytes = b"") -> None:
        self.db = db
        self.prefix = prefix

    def get(self, key: bytes) -> bytes | None:
        return self.db.get(self.prefix + key)

    def set(self, key: bytes, value: bytes) -> None:
        _check(key, value)
        self.db.put(self.prefix + key, value)

    def delete(self, key: bytes) -> None:
        _check(key)
        self.db.delete(self.prefix + key)

    def iterate(self, start=None, end=None, reverse=False):
        p = self.prefix
        lo = p + start if start is not None else (p or None)
        hi = p + end if end is not None else (prefix_end(p) if p else None)
        n = len(p)
        if reverse:
            yield from _reverse(self.db, lo, hi, n)
            return
        with self.db.iterator(start=lo, stop=hi) as it:
            for k, v in it:
                yield k[n:], v


def _reverse(db: plyvel.DB, lo: bytes | None, hi: bytes | None, n: int):
    """Descending lo <= key < hi. plyvel 1.5's ``iterator(reverse=True, start, stop)`` misses
    keys when ``stop`` is absent and keys containing zero bytes follow it, so this walks a raw
    iterator by hand (tests/store/test_conformance.py has the case)."""
    it = db.raw_iterator()
    try:
        if hi is None:
            it.seek_to_last()
        else:
            it.seek(hi)  # first key >= hi: step back from it (or from the end)
            if it.valid():
                it.prev()
            else:
                it.seek_to_last()
        while it.valid():
            k = it.key()
            if lo is not None and k < lo:
                break
            yield k[n:], it.value()
            it.prev()
    finally:
        it.close()


StoreError = plyvel.Error  # an I/O or corruption error of the database


def open_db(path: str) -> plyvel.DB:
    """One LevelDB per node home, tuned for a write-heavy state machine."""
    return plyvel.DB(
        path,
        create_if_missing=True,
        write_buffer_size=64 << 20,
        lru_cache_size=256 << 20,
        bloom_filter_bits=10,
    )


def write_batch(db: plyvel.DB, ops: Iterable[Op], sync: bool = True) -> None:
    """Applies every op or none of them (LevelDB's atomic WriteBatch, fsynced when ``sync``)."""
    with db.write_batch(transaction=True, sync=sync) as batch:
        put, delete = batch.put, batch.delete  # tens of thousands of ops per block
        for k, v in ops:
            if v is None:
                delete(k)
            else:
                put(k, v)
