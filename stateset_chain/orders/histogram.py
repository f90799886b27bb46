"""How many orders of a status have a total in a range: counters over the total's bytes.

A total ``t`` (u64) is read as eight digits of eight bits, ``digit(l, t) = (t >> 8l) & 0xFF``,
under ``prefix(l, t) = t >> 8(l + 1)``. For every status ``s``, level ``l`` in 1..7 and prefix
``p`` in use, one key holds 256 counters (u32, little-endian, 1 KiB):

    H[l][p][s][d] = orders in status s whose total has prefix(l, t) = p and digit(l, t) = d

so the orders of ``s`` with a total below ``x`` are

    below(s, x) = sum over l = 1..7 of  sum of H[l][prefix(l, x)][s][d] for d < digit(l, x)
                + the orders of s with a total in [x & ~0xFF, x)

(an order's total is below ``x`` exactly when, at the highest digit where the two differ, its digit
is smaller; digits at level 0 are too fine to count, so the last term walks the total index over at
most 256 amounts). A count reads 7 keys (one key range per level for all statuses at once) and
that short walk, whatever the number of orders; an insert or a status change rewrites 7 keys per
status, of which only the level-1 key (65,536 base units wide) is usually the order's own: the
coarser keys are shared by many orders and so, within a block, written to the tree once.

A key whose counters all drop to zero is deleted, so the state is a function of the orders alone.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterable

from stateset_chain.store.kv import KVStore, prefix_end

LEVELS = range(1, 8)
_WIDTH = 256
_EMPTY = bytes(4 * _WIDTH)
_COUNT = struct.Struct("<I")
_LEVEL = struct.Struct(">B")
_PREFIX = struct.Struct(">Q")
_STATUS = struct.Struct(">I")


class AmountHistogram:
    """``prefix | level u8 | total prefix u64 | status u32 -> 256 x u32`` (see the module doc)."""

    def __init__(self, prefix: bytes) -> None:
        self.prefix = prefix

    def _group(self, level: int, total: int) -> bytes:
        return self.prefix + _LEVEL.pack(level) + _PREFIX.pack(total >> (8 * (level + 1)))

    def add(self, store: KVStore, status: int, total: int, delta: int) -> None:
        """Count one order of ``status`` with ``total`` in (delta = 1) or out (delta = -1)."""
        tail = _STATUS.pack(status)
        for level in LEVELS:
            key = self._group(level, total) + tail
            counters = bytearray(store.get(key) or _EMPTY)
            at = 4 * ((total >> (8 * level)) & 0xFF)
            (count,) = _COUNT.unpack_from(counters, at)
            _COUNT.pack_into(counters, at, count + delta)
            if any(counters):
                store.set(key, bytes(counters))
            else:
                store.delete(key)

    def below(
        self,
        store: KVStore,
        statuses: frozenset[int] | None,
        x: int,
        level0: Callable[[int, int], int],
    ) -> int:
        """Orders with a total below ``x`` (0 <= x < 2^64) in ``statuses`` (None = any).

        ``level0(low, high)`` counts the orders (of those statuses) with a total in [low, high),
        a range of at most 255 amounts."""
        n = 0
        for level in LEVELS:
            digit = (x >> (8 * level)) & 0xFF
            if not digit:
                continue
            group = self._group(level, x)
            if statuses is not None and len(statuses) == 1:
                (status,) = statuses
                found = store.get(group + _STATUS.pack(status))
                rows = [] if found is None else [found]
            else:
                rows = [
                    counters
                    for key, counters in store.iterate(group, prefix_end(group))
                    if statuses is None or _STATUS.unpack_from(key, len(group))[0] in statuses
                ]
            for counters in rows:
                n += sum(struct.unpack_from(f"<{digit}I", counters))
        base = x & ~0xFF
        if base < x:
            n += level0(base, x)
        return n

    def iterate(self, store: KVStore):
        """Every key as ((level, total prefix, status), 256 counters): for invariants."""
        n = len(self.prefix)
        for key, counters in store.iterate(self.prefix, prefix_end(self.prefix)):
            level = key[n]
            (total_prefix,) = _PREFIX.unpack_from(key, n + 1)
            (status,) = _STATUS.unpack_from(key, n + 9)
            yield (level, total_prefix, status), struct.unpack(f"<{_WIDTH}I", counters)


def expected(orders: Iterable[tuple[int, int]]) -> dict[tuple[int, int, int], list[int]]:
    """The histogram ``(status, total)`` pairs should have: for invariants and tests."""
    want: dict[tuple[int, int, int], list[int]] = {}
    for status, total in orders:
        for level in LEVELS:
            group = (level, total >> (8 * (level + 1)), status)
            want.setdefault(group, [0] * _WIDTH)[(total >> (8 * level)) & 0xFF] += 1
    return want
