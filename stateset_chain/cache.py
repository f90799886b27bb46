"""A bounded memo for pure functions on the hot path (parsed coins, parsed public keys, encoded
store keys, timestamp texts).

``BoundedCache`` is a dict, so a hit is one ``dict.get`` in C. ``put`` starts over when the cache
is full: evicting the oldest entry instead would cost O(n) in CPython, and for a memo of a pure
function a miss only costs the recomputation. Only speed depends on it, never a result.
"""

from __future__ import annotations

from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


class BoundedCache(dict[K, V]):
    def __init__(self, capacity: int) -> None:
        super().__init__()
        self.capacity = capacity

    def put(self, key: K, value: V) -> V:
        if len(self) >= self.capacity:
            self.clear()  # full: start over
        self[key] = value
        return value
