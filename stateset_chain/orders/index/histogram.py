"""How many orders have a total in a range: counters over the total's hexadecimal digits.

A total ``t`` (u64) has ``m(t)`` hexadecimal digits (``m(0) = 0``); its digit at level ``l`` is
``digit(l, t) = (t >> 4l) & 0xF``, under ``prefix(l, t) = t >> 4(l + 1)``. For a status ``s`` (or
``s = 0``, orders of any status):

    H[l][p][s][d]  (levels 1 .. 15; one key of 16 u32 per (l, p, s) in use)
                   = orders of s with m(t) > l, prefix(l, t) = p and digit(l, t) = d
    MAG[s][k]      (one key of 17 u32 per s) = orders of s with k hexadecimal digits

An order is counted only at the levels below its highest digit (``l < m(t)``), plus once in
``MAG``: typical totals (10^7 to 10^9 base units) write 6 to 8 keys, not 15. The orders of ``s``
with a total below ``x`` (``M = m(x) >= 2``) are then

    below(s, x) = sum over l = 1 .. M-1 of  sum of H[l][prefix(l, x)][s][d] for d < digit(l, x)
                + sum of MAG[s][k] for k < M                (every shorter total)
                + the orders of s with a total in [x & ~0xF, x)

(a total with as many digits as ``x`` is below it exactly when, at the highest digit where the two
differ, its digit is smaller; the level-0 digit is too fine to count, so the last term walks the
total index over at most 15 amounts; for ``M <= 1`` that walk is the whole answer). A count reads
at most 16 keys and that short walk, whatever the number of orders.

A key whose counters all drop to zero is deleted, so the state is a function of the orders alone.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterable

from stateset_chain.store.kv import KVStore, prefix_end

ANY_STATUS = 0
LEVELS = 16  # hexadecimal digits of a u64
_BITS = 4
_WIDTH = 1 << _BITS
_DIGIT = _WIDTH - 1
_COUNT = struct.Struct("<I")
_LEVEL = struct.Struct(">B")
_PREFIX = struct.Struct(">Q")
_STATUS = struct.Struct(">I")
_MAG_LEVEL = 0  # the MAG key sits where a level-0 key would (level 0 digits are not counted)
_SIZES = {level: _WIDTH for level in range(1, LEVELS)} | {_MAG_LEVEL: LEVELS + 1}
_SUMS = [struct.Struct(f"<{n}I") for n in range(LEVELS + 2)]


def magnitude(total: int) -> int:
    """How many hexadecimal digits ``total`` has (0 for 0)."""
    return (total.bit_length() + 3) // 4


class AmountHistogram:
    """``prefix | level u8 | total prefix u64 | status u32 -> u32 LE counters`` (module doc)."""

    def __init__(self, prefix: bytes) -> None:
        self.prefix = prefix

    def _key(self, level: int, total_prefix: int, status: int) -> bytes:
        return self.prefix + _LEVEL.pack(level) + _PREFIX.pack(total_prefix) + _STATUS.pack(status)

    def add(self, store: KVStore, status: int, total: int, delta: int) -> None:
        """Count one order of ``status`` (or ANY_STATUS) with ``total`` in (delta 1) or out (-1)."""
        m = magnitude(total)
        self._bump(store, self._key(_MAG_LEVEL, 0, status), _SIZES[_MAG_LEVEL], m, delta)
        for level in range(1, m):
            key = self._key(level, total >> (_BITS * (level + 1)), status)
            self._bump(store, key, _WIDTH, (total >> (_BITS * level)) & _DIGIT, delta)

    @staticmethod
    def _bump(store: KVStore, key: bytes, size: int, slot: int, delta: int) -> None:
        counters = bytearray(store.get(key) or bytes(4 * size))
        (count,) = _COUNT.unpack_from(counters, 4 * slot)
        _COUNT.pack_into(counters, 4 * slot, count + delta)
        if any(counters):
            store.set(key, bytes(counters))
        else:
            store.delete(key)

    def below(self, store: KVStore, status: int, x: int, level0: Callable[[int, int], int]) -> int:
        """Orders of ``status`` (or ANY_STATUS) with a total below ``x`` (0 <= x < 2^64).

        ``level0(low, high)`` counts those with a total in [low, high), at most 15 amounts."""
        m = magnitude(x)
        if m <= 1:
            return level0(0, x) if x else 0
        n = self._sum(store, self._key(_MAG_LEVEL, 0, status), m)
        for level in range(1, m):
            digit = (x >> (_BITS * level)) & _DIGIT
            if digit:
                n += self._sum(store, self._key(level, x >> (_BITS * (level + 1)), status), digit)
        base = x & ~_DIGIT
        if base < x:
            n += level0(base, x)
        return n

    @staticmethod
    def _sum(store: KVStore, key: bytes, first: int) -> int:
        """The sum of the first ``first`` counters of ``key``."""
        counters = store.get(key)
        return 0 if counters is None else sum(_SUMS[first].unpack_from(counters))

    def iterate(self, store: KVStore):
        """Every key as ((level, total prefix, status), counters): for invariants."""
        n = len(self.prefix)
        for key, counters in store.iterate(self.prefix, prefix_end(self.prefix)):
            level = key[n]
            (total_prefix,) = _PREFIX.unpack_from(key, n + 1)
            (status,) = _STATUS.unpack_from(key, n + 9)
            yield (level, total_prefix, status), _SUMS[_SIZES[level]].unpack(counters)


def expected(orders: Iterable[tuple[int, int]]) -> dict[tuple[int, int, int], list[int]]:
    """The histogram ``(status, total)`` pairs should give (each also under ANY_STATUS)."""
    want: dict[tuple[int, int, int], list[int]] = {}
    for status, total in orders:
        m = magnitude(total)
        for s in (status, ANY_STATUS):
            want.setdefault((_MAG_LEVEL, 0, s), [0] * (LEVELS + 1))[m] += 1
            for level in range(1, m):
                group = (level, total >> (_BITS * (level + 1)), s)
                want.setdefault(group, [0] * _WIDTH)[(total >> (_BITS * level)) & _DIGIT] += 1
    return want
