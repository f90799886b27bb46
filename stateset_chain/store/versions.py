"""Past versions of the committed state: reverse deltas kept for the last V heights.

The latest state and tree stay where they are (``s/``, ``t/``, read by the hot path unchanged).
Each commit also records, for every key it changes, the value the key had *before* it:

    h/ || hkey(raw key) || u64 height  -> 0x00 (absent) | 0x01 || value  (the value at height - 1)
    p/ || u64 height                   -> u16 len || hkey, for every key that commit recorded

``hkey`` is ``enc`` for state and meta keys: it escapes ``0x00`` as ``0x00 0xFF`` and ends with
``0x00 0x01``, which keeps byte order and makes no encoded key a prefix of another, so one key's
entries are contiguous, sorted by height, and a range of state keys is a range of entries. Tree
node keys are self-delimiting (their leading depth fixes their length) and go in as they are.
The raw keys recorded are the state values (``s/``), the tree nodes (``t/``; not those a commit
creates, which no past walk of the tree reads) and the commit's height and app hash (``m/``):
everything a reader needs to rebuild a past height's state, root and proofs. Node-local keys
(query indexes) are not recorded.

**Reading key k at height H** (``read_at``): the first entry of k with a height above H holds the
value k had at H (no commit between H and that one changed it); without one, k has not changed
since H and its current value is the answer. One seek per key, on a LevelDB snapshot so a commit
running meanwhile changes nothing.

**Window and pruning.** ``keep`` versions are kept (0: all; 1: latest only, nothing recorded).
``m/earliest`` is the lowest height that can be read; each commit raises it to ``height - keep +
1`` and deletes, in the same atomic batch, the entries no readable height needs (those of heights
<= earliest), whole heights at a time, at most ``PRUNE_BUDGET`` keys but at least two heights per
commit (a node that lowers ``keep`` catches up over the following blocks). A crash loses or
keeps a commit's history and pruning together with the commit itself. Turning recording on
starts the window at the last commit; turning it off (keep 1) moves earliest to each new commit
and prunes what is left.
"""

from __future__ import annotations

from collections.abc import Iterator

from stateset_chain.store.kv import KVStore, prefix_end

HISTORY = b"h/"
TREE = b"t/"  # commit.TREE: tree node keys, whose history keys are not escaped
CHANGED = b"p/"
META_EARLIEST = b"m/earliest"
ABSENT = b"\x00"
PRESENT = b"\x01"
END = b"\x00\x01"
PRUNE_BUDGET = 200_000  # history keys a commit deletes, unless two heights hold more

Op = tuple[bytes, bytes | None]


class HeightUnavailable(ValueError):
    """A height outside the kept window (pruned, or not committed yet)."""


class LatestOnly(ValueError):
    """A read of a node-local key (a query index) at a past height: those keep no history."""


def _escape(key: bytes) -> bytes:
    return key.replace(b"\x00", b"\x00\xff")


def enc(key: bytes) -> bytes:
    return _escape(key) + END


def _end(prefix: bytes) -> bytes:
    end = prefix_end(prefix)
    if end is None:
        raise ValueError("a historical view needs a key prefix below 0xff...")
    return end


def dec(data: bytes) -> tuple[bytes, int]:
    """The raw key of an encoded key and where the encoding ends."""
    end = data.find(END)
    if end < 0:
        raise ValueError("unterminated history key")
    return data[:end].replace(b"\x00\xff", b"\x00"), end + len(END)


def _u64(n: int) -> bytes:
    return n.to_bytes(8, "big")


def history_key(raw_key: bytes) -> bytes:
    """Where a raw key's entries go (before the height): tree node keys as they are (they are
    self-delimiting: their depth fixes their length, and it comes first), others ``enc``oded."""
    return raw_key if raw_key.startswith(TREE) else enc(raw_key)


def history_ops(
    raw: KVStore,
    entries: list[tuple[bytes, bytes | None]],
    height: int,
    earliest: int,
    keep: int,
) -> tuple[list[Op], int]:
    """The writes that record the commit of ``height`` and prune what falls out of the window,
    and the new earliest readable height. ``entries``: (``history_key(raw key)``, its value
    before this commit) for every recorded key the commit changes (ignored when ``keep`` is 1).
    Tree nodes that did not exist before need no entry: a walk of the tree at a past height
    loads only nodes whose parent at that height points to them, which existed then."""
    out: list[Op] = []
    if keep == 1:
        new_earliest = height
    else:
        # History starts at the last commit when recording was off until now (this commit
        # records that commit's values as its "before"), or at this commit on a fresh store.
        start = earliest if earliest > 0 else height
        new_earliest = start if keep == 0 else max(start, height - keep + 1)
        if height <= new_earliest:  # the window starts here: no height below it to read
            entries = []
        suffix = _u64(height)
        out = [
            (HISTORY + hk + suffix, ABSENT if old is None else PRESENT + old)
            for hk, old in entries
        ]
        if entries:
            changed = b"".join(len(hk).to_bytes(2, "big") + hk for hk, _ in entries)
            out.append((CHANGED + suffix, changed))
    out += prune_ops(raw, new_earliest)
    out.append((META_EARLIEST, _u64(new_earliest)))
    return out, new_earliest


def changed_keys(joined: bytes) -> list[bytes]:
    """The history keys of a ``p/`` list (each ``u16 length || key``)."""
    out = []
    pos, n = 0, len(joined)
    while pos < n:
        size = int.from_bytes(joined[pos : pos + 2], "big")
        out.append(joined[pos + 2 : pos + 2 + size])
        pos += 2 + size
    return out


def prune_ops(raw: KVStore, earliest: int, budget: int | None = None) -> list[Op]:
    """Deletes the history of heights <= ``earliest``, lowest first, whole heights, stopping
    once ``budget`` keys are deleted (``PRUNE_BUDGET``), but never before two heights when that
    many are due: each commit adds one height, so a backlog shrinks by at least one per commit."""
    budget = PRUNE_BUDGET if budget is None else budget
    out: list[Op] = []
    heights = 0
    for key, joined in raw.iterate(CHANGED, CHANGED + _u64(earliest + 1)):
        if heights >= 2 and len(out) >= budget:
            break
        suffix = key[len(CHANGED):]
        out += [(HISTORY + hk + suffix, None) for hk in changed_keys(joined)]
        out.append((key, None))
        heights += 1
    return out


def load_earliest(raw: KVStore, last_height: int) -> int:
    found = raw.get(META_EARLIEST)
    return int.from_bytes(found, "big") if found else last_height


def pending_prune_heights(raw: KVStore, earliest: int) -> int:
    """How many heights of history are still to be pruned (a check for tests and operators)."""
    return sum(1 for _ in raw.iterate(CHANGED, CHANGED + _u64(earliest + 1)))


def read_at(raw: KVStore, key: bytes, height: int) -> bytes | None:
    """``key``'s value at ``height`` (raw key; ``raw`` is a snapshot of the whole database)."""
    prefix = HISTORY + history_key(key)
    for _, v in raw.iterate(prefix + _u64(height + 1), prefix_end(prefix)):
        return None if v == ABSENT else v[1:]
    return raw.get(key)


class HistoricalKV(KVStore):
    """The state under ``prefix`` as it was at ``height``, read-only, over a snapshot ``raw`` of
    the database. Keys under ``local`` (node-local indexes, which keep no history) are refused
    with ``LatestOnly``."""

    def __init__(
        self, raw: KVStore, prefix: bytes, height: int, local: tuple[bytes, ...] = ()
    ) -> None:
        if not prefix:
            raise ValueError("a historical view reads one key space: give its prefix")
        self.raw = raw
        self.prefix = prefix
        self.height = height
        self.local = local

    def _refuse(self, what: str) -> LatestOnly:
        return LatestOnly(
            f"{what} is a node-local list index, kept for the latest height only: query it "
            f"without a height (this query asked for height {self.height})"
        )

    def get(self, key: bytes) -> bytes | None:
        if self.local and key.startswith(self.local):
            raise self._refuse(f"key {key[:8].hex()}...")
        return read_at(self.raw, self.prefix + key, self.height)

    def set(self, key: bytes, value: bytes) -> None:
        raise TypeError("read-only store view: write through a Branch")

    def delete(self, key: bytes) -> None:
        raise TypeError("read-only store view: write through a Branch")

    def _touches_local(self, start: bytes | None, end: bytes | None) -> bool:
        for p in self.local:
            p_end = prefix_end(p)
            if (start is None or p_end is None or start < p_end) and (end is None or end > p):
                return True
        return False

    def iterate(self, start=None, end=None, reverse=False) -> Iterator[tuple[bytes, bytes]]:
        if self._touches_local(start, end):
            raise self._refuse("a range of keys that includes one")
        n = len(self.prefix)
        lo = self.prefix + start if start is not None else self.prefix
        hi = self.prefix + end if end is not None else prefix_end(self.prefix)
        current = self.raw.iterate(lo, hi, reverse)
        escaped = _escape(self.prefix)
        hist_lo = HISTORY + (enc(lo) if start is not None else escaped)
        hist_hi = HISTORY + (enc(self.prefix + end) if end is not None else _end(escaped))
        past = self._past(self.raw.iterate(hist_lo, hist_hi, reverse))
        for key, value in _merge(current, past, reverse):
            if value is not None:
                yield key[n:], value

    def _past(self, entries: Iterator[tuple[bytes, bytes]]):
        """(raw key, value at ``height`` or None) for each key with an entry above ``height``,
        in the entries' order; entries of one key come together."""
        hl = len(HISTORY)
        group: bytes | None = None
        found: bytes | None = None
        chosen, chosen_height = False, 0
        for k, v in entries:
            key, end = dec(k[hl:])
            h = int.from_bytes(k[hl + end : hl + end + 8], "big")
            if key != group:
                if chosen:
                    yield group, found
                group, chosen, found = key, False, None
            if h > self.height and (not chosen or h < chosen_height):
                chosen, chosen_height = True, h
                found = None if v == ABSENT else v[1:]
        if chosen:
            yield group, found


def _merge(current, past, reverse: bool):
    """Merges (key, value) streams in key order; where both have a key, ``past`` wins."""
    before = (lambda a, b: a > b) if reverse else (lambda a, b: a < b)
    c = next(current, None)
    p = next(past, None)
    while c is not None or p is not None:
        if p is None or (c is not None and before(c[0], p[0])):
            yield c
            c = next(current, None)
        elif c is None or before(p[0], c[0]):
            yield p
            p = next(past, None)
        else:
            yield p
            c = next(current, None)
            p = next(past, None)
