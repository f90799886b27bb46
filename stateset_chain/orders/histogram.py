"""How many orders have a total in a range: counters over the total's hexadecimal digits.

A total ``t`` (u64) is read as sixteen 4-bit digits, ``digit(l, t) = (t >> 4l) & 0xF``, under
``prefix(l, t) = t >> 4(l + 1)``. For every level ``l`` in 1..15, prefix ``p`` in use and status
``s`` (and ``s = 0`` for orders of any status), one key holds 16 counters (u32 little-endian,
64 bytes):

    H[l][p][s][d] = orders in status s whose total has prefix(l, t) = p and digit(l, t) = d

so the orders of ``s`` with a total below ``x`` are

    below(s, x) = sum over l = 1..15 of  sum of H[l][prefix(l, x)][s][d] for d < digit(l, x)
                + the orders of s with a total in [x & ~0xF, x)

(an order's total is below ``x`` exactly when, at the highest digit where the two differ, its digit
is smaller; level-0 digits are not counted, so the last term walks the total index over at most 15
amounts). A count reads at most 15 keys and that short walk, whatever the number of orders. An
order adds 15 keys' counters for its status and 15 for "any status"; a status change moves the
first 15. The keys below 2^16 base units wide are usually the order's own; the wider ones are
shared by many orders.

A key whose counters all drop to zero is deleted, so the state is a function of the orders alone.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterable

from stateset_chain.store.kv import KVStore, prefix_end

ANY_STATUS = 0
LEVELS = range(1, 16)
_BITS = 4
_WIDTH = 1 << _BITS
_DIGIT = _WIDTH - 1
_EMPTY = bytes(4 * _WIDTH)
_COUNT = struct.Struct("<I")
_COUNTERS = struct.Struct(f"<{_WIDTH}I")
_LEVEL = struct.Struct(">B")
_PREFIX = struct.Struct(">Q")
_STATUS = struct.Struct(">I")
_BELOW = [struct.Struct(f"<{d}I") for d in range(_WIDTH)]


class AmountHistogram:
    """``prefix | level u8 | total prefix u64 | status u32 -> 16 x u32`` (see the module doc)."""

    def __init__(self, prefix: bytes) -> None:
        self.prefix = prefix

    def _key(self, level: int, total: int, status: int) -> bytes:
        shift = _BITS * (level + 1)
        return (
            self.prefix + _LEVEL.pack(level) + _PREFIX.pack(total >> shift) + _STATUS.pack(status)
        )

    def add(self, store: KVStore, status: int, total: int, delta: int) -> None:
        """Count one order of ``status`` (or ANY_STATUS) with ``total`` in (delta 1) or out (-1)."""
        for level in LEVELS:
            key = self._key(level, total, status)
            counters = bytearray(store.get(key) or _EMPTY)
            at = 4 * ((total >> (_BITS * level)) & _DIGIT)
            (count,) = _COUNT.unpack_from(counters, at)
            _COUNT.pack_into(counters, at, count + delta)
            if any(counters):
                store.set(key, bytes(counters))
            else:
                store.delete(key)

    def below(self, store: KVStore, status: int, x: int, level0: Callable[[int, int], int]) -> int:
        """Orders of ``status`` (or ANY_STATUS) with a total below ``x`` (0 <= x < 2^64).

        ``level0(low, high)`` counts those with a total in [low, high), at most 15 amounts."""
        n = 0
        for level in LEVELS:
            digit = (x >> (_BITS * level)) & _DIGIT
            if digit:
                counters = store.get(self._key(level, x, status))
                if counters is not None:
                    n += sum(_BELOW[digit].unpack_from(counters))
        base = x & ~_DIGIT
        if base < x:
            n += level0(base, x)
        return n

    def iterate(self, store: KVStore):
        """Every key as ((level, total prefix, status), 16 counters): for invariants."""
        n = len(self.prefix)
        for key, counters in store.iterate(self.prefix, prefix_end(self.prefix)):
            level = key[n]
            (total_prefix,) = _PREFIX.unpack_from(key, n + 1)
            (status,) = _STATUS.unpack_from(key, n + 9)
            yield (level, total_prefix, status), _COUNTERS.unpack(counters)


def expected(orders: Iterable[tuple[int, int]]) -> dict[tuple[int, int, int], list[int]]:
    """The histogram ``(status, total)`` pairs should give (each also under ANY_STATUS)."""
    want: dict[tuple[int, int, int], list[int]] = {}
    for status, total in orders:
        for s in (status, ANY_STATUS):
            for level in LEVELS:
                group = (level, total >> (_BITS * (level + 1)), s)
                want.setdefault(group, [0] * _WIDTH)[(total >> (_BITS * level)) & _DIGIT] += 1
    return want
