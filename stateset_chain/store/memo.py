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
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from stateset_chain.store.kv import KVStore

_MISSING = object()


class CommittedReads(KVStore):
    """A read-only view of ``state`` (the committed state) that remembers what it read; valid
    until the next commit (the app makes one per block)."""

    def __init__(self, state: KVStore) -> None:
        self.state = state
        self.values: dict[bytes, bytes | None] = {}  # key -> committed value (None: absent)

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

    def set(self, key: bytes, value: bytes) -> None:
        raise TypeError("read-only store view: write through a Branch")

    def delete(self, key: bytes) -> None:
        raise TypeError("read-only store view: write through a Branch")

    def iterate(self, start=None, end=None, reverse=False):
        return self.state.iterate(start, end, reverse)  # ranges are read through, not kept
