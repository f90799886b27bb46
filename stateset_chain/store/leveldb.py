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
        with self.db.iterator(start=lo, stop=hi, reverse=reverse) as it:
            for k, v in it:
                yield k[n:], v


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
        for k, v in ops:
            if v is None:
                batch.delete(k)
            else:
                batch.put(k, v)
