"""The chain's one cache type: a bounded memo of recently used entries.

Every cache in the package is a ``BoundedCache`` (parsed coins, public keys and addresses,
encoded store keys and event fields, timestamp texts, verified signatures, recovered attesters,
the Merkle tree's deeper nodes). What it holds is a pure function of its key, or bytes already
committed, so only speed depends on it, never a result.

Two generations: entries go into the young one (the dict itself, so a hit is one lookup in C);
when it holds half the capacity it becomes the old one and a new young one starts (the previous
old one is dropped). A hit in the old generation moves the entry back to the young one. So the
entries used since the last turnover survive it, at the price of a dict per generation instead
of an LRU list (evicting the oldest entry of a dict costs O(n) in CPython).

``cache.get(key)`` and ``cache[key]`` return the value or None (values are never None);
``put(key, value)`` stores and returns ``value``.
"""

from __future__ import annotations

from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


class BoundedCache(dict[K, V]):
    def __init__(self, capacity: int) -> None:
        super().__init__()
        self.capacity = capacity  # both generations together (each holds half)
        self._old: dict[K, V] = {}

    def __missing__(self, key: K) -> V | None:
        """A miss in the young generation: the old one, moving a hit back to the young one."""
        value = self._old.pop(key, None)
        if value is not None:
            self.put(key, value)
        return value

    # A hit is dict's own lookup in C; a miss asks ``__missing__``.
    get = dict.__getitem__  # type: ignore[assignment]

    def __contains__(self, key: object) -> bool:
        return dict.__contains__(self, key) or key in self._old

    def __len__(self) -> int:
        return dict.__len__(self) + len(self._old)

    def put(self, key: K, value: V) -> V:
        if dict.__len__(self) >= max(1, self.capacity // 2) and not dict.__contains__(self, key):
            # the young generation turns old (none at capacity 1); the old one is dropped
            self._old = dict(self) if self.capacity > 1 else {}
            dict.clear(self)
        self[key] = value
        return value

    def drop(self, key: K) -> None:
        self.pop(key, None)
        self._old.pop(key, None)

    def clear(self) -> None:
        dict.clear(self)
        self._old = {}
