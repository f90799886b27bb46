"""A block's memo of committed-state reads.

The committed state changes only at Commit, so while one block is finalized every read of a
committed key gives the same value. ``CommittedReads`` sits between the block's branch and the
committed state and keeps each value it reads (absent keys too) for the rest of the block: the
params, the fee collector's account and the denoms every tx reads come from LevelDB once per
block, not once per tx. The tx's and the block's write sets are above it and are consulted first,
so a tx that writes a key is seen by the next; the memo itself only ever holds committed values.

``read_many`` reads keys without keeping them and holds no lock, so worker threads can read a
block's keys ahead (plyvel releases the GIL while LevelDB reads) while the main thread waits;
``remember`` then stores them. A key read ahead that no tx reads costs one wasted read; a key
not read ahead is read on first use. Either way each read returns the committed value, so what
was read ahead changes how long a block takes, never its result (and the gas a read charges is
a function of the key and value sizes, the same either way).

Ranges the same way: ``read_ranges`` walks each ``(start, end)`` range of the committed state on
a worker thread (one LevelDB iterator each, off the main thread) and ``remember_ranges`` keeps
their entries; ``iterate`` over exactly a kept range then answers from the list, without a
LevelDB iterator (the fraud velocity window of a customer and a SKU's named stock locations:
small prefix ranges every order tx walks). Any other range is read through. A range's entries
are the committed ones, so what a tx is charged for iterating them (per entry, from key and
value sizes) and what it sees (the write sets above merge in first) are the same either way.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from stateset_chain.store.kv import KVStore

_MISSING = object()

Range = tuple[bytes, bytes]  # start <= key < end
Entries = list[tuple[bytes, bytes]]  # a range's committed (key, value) pairs, in key order


@dataclass
class ReadAhead:
    """What a block's txs will most likely read: keys and ``(start, end)`` ranges (a guess: a
    wrong one costs a wasted read, a missing one a read on first use)."""

    keys: list[bytes] = field(default_factory=list)
    ranges: list[Range] = field(default_factory=list)

    def add(self, other: ReadAhead) -> None:
        self.keys += other.keys
        self.ranges += other.ranges


class CommittedReads(KVStore):
    """A read-only view of ``state`` (the committed state) that remembers what it read; valid
    until the next commit (the app makes one per block)."""

    def __init__(self, state: KVStore) -> None:
        self.state = state
        self.values: dict[bytes, bytes | None] = {}  # key -> committed value (None: absent)
        self.ranges: dict[Range, Entries] = {}  # (start, end) -> its committed entries

    def get(self, key: bytes) -> bytes | None:
        value = self.values.get(key, _MISSING)
        if value is _MISSING:
            value = self.values[key] = self.state.get(key)
        return value  # type: ignore[return-value]

    def read_many(self, keys: Sequence[bytes]) -> list[bytes | None]:
        """The committed values of ``keys``, read from the state (not kept: see ``remember``);
        safe on another thread."""
        get = self.state.get
        return [get(k) for k in keys]

    def remember(self, keys: Iterable[bytes], values: Iterable[bytes | None]) -> None:
        """Keeps values ``read_many`` returned for ``keys``."""
        self.values.update(zip(keys, values, strict=True))

    def read_ranges(self, ranges: Sequence[Range]) -> list[Entries]:
        """The committed entries of each ``(start, end)`` range (not kept: see
        ``remember_ranges``); safe on another thread."""
        it = self.state.iterate
        return [list(it(start, end)) for start, end in ranges]

    def remember_ranges(self, ranges: Iterable[Range], entries: Iterable[Entries]) -> None:
        """Keeps entries ``read_ranges`` returned for ``ranges`` (each entry as a key's value
        too: a key in a kept range is read from it)."""
        values = self.values
        for r, found in zip(ranges, entries, strict=True):
            self.ranges[r] = found
            values.update(found)

    def set(self, key: bytes, value: bytes) -> None:
        raise TypeError("read-only store view: write through a Branch")

    def delete(self, key: bytes) -> None:
        raise TypeError("read-only store view: write through a Branch")

    def iterate(
        self, start: bytes | None = None, end: bytes | None = None, reverse: bool = False
    ) -> Iterator[tuple[bytes, bytes]]:
        if start is not None and end is not None:
            kept = self.ranges.get((start, end))
            if kept is not None:
                return reversed(kept) if reverse else iter(kept)
        return self.state.iterate(start, end, reverse)  # a range not kept is read through
