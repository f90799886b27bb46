"""The block's memo of committed reads answers a kept range (``read_ranges`` then
``remember_ranges``, store/memo.py) exactly as the committed state does: the same entries in the
same order (forward and reverse), and the same value for every key inside it; a range it did not
keep is read through. Through a block's branch, with the block's and a tx's writes above it, and
through the gas view: the same entries and the same gas as the same branches over the committed
state itself, on LevelDB and in memory."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stateset_chain.gas import GasKV, GasMeter
from stateset_chain.store.kv import Branch, MemoryKV, prefix_end
from stateset_chain.store.memo import CommittedReads

PREFIXES = [b"a", b"ab", b"abc", b"b", b"b\x00", b"b\xff", b"c"]
KEYS = [p + bytes([i]) for p in PREFIXES for i in (0, 1, 7, 255)] + PREFIXES

entries = st.dictionaries(st.sampled_from(KEYS), st.binary(min_size=1, max_size=6), max_size=30)
ranges = st.lists(
    st.one_of(
        st.sampled_from(PREFIXES).map(lambda p: (p, prefix_end(p))),
        st.tuples(st.sampled_from(KEYS), st.sampled_from(KEYS)).map(lambda t: tuple(sorted(t))),
    ),
    max_size=6,
)
writes = st.dictionaries(
    st.sampled_from(KEYS), st.one_of(st.none(), st.binary(min_size=1, max_size=6)), max_size=8
)


def _state(found: dict[bytes, bytes], tmp_path=None):
    if tmp_path is None:
        state = MemoryKV()
    else:
        from stateset_chain.store.commit import _ReadOnlyLevelDB
        from stateset_chain.store.leveldb import open_db

        db = open_db(str(tmp_path))
        for k in db.iterator(include_value=False):
            db.delete(k)
        for k, v in found.items():
            db.put(b"s/" + k, v)
        return _ReadOnlyLevelDB(db, b"s/"), db
    for k, v in found.items():
        state.set(k, v)
    return state, None


def _apply(branch: Branch, w: dict[bytes, bytes | None]) -> None:
    for k, v in w.items():
        if v is None:
            branch.delete(k)
        else:
            branch.set(k, v)


@settings(max_examples=200, deadline=None)
@given(found=entries, kept=ranges, asked=ranges)
def test_a_kept_range_reads_as_the_committed_state(found, kept, asked):
    state, _ = _state(found)
    reads = CommittedReads(state)
    reads.remember_ranges(kept, reads.read_ranges(kept))
    for start, end in kept + asked:
        for reverse in (False, True):
            assert list(reads.iterate(start, end, reverse)) == list(
                state.iterate(start, end, reverse)
            )
    for start, end in kept:  # every key inside a kept range: its committed value (or absent)
        for k in KEYS:
            if start <= k < end:
                assert reads.get(k) == state.get(k)


@pytest.mark.parametrize("leveldb", [False, True])
def test_a_kept_range_under_the_block_and_tx_branches_charges_the_same_gas(tmp_path, leveldb):
    @settings(max_examples=60, deadline=None)
    @given(found=entries, kept=ranges, block_w=writes, tx_w=writes)
    def check(found, kept, block_w, tx_w):
        state, db = _state(found, tmp_path / "db" if leveldb else None)
        try:
            seen = []
            for memo in (False, True):
                base = CommittedReads(state)
                if memo:
                    base.remember_ranges(kept, base.read_ranges(kept))
                block = Branch(base)
                _apply(block, block_w)
                tx = Branch(block)
                _apply(tx, tx_w)
                meter = GasMeter(None)
                view = GasKV(tx, meter)
                got = [list(view.iterate(s, e, r)) for s, e in kept for r in (False, True)]
                seen.append((got, meter.consumed))
            assert seen[0] == seen[1]
        finally:
            if db is not None:
                db.close()

    check()


def test_a_range_not_kept_is_read_through_and_ranges_are_not_kept_by_reading():
    state = MemoryKV()
    state.set(b"a1", b"1")
    reads = CommittedReads(state)
    assert reads.read_ranges([(b"a", b"b")]) == [[(b"a1", b"1")]]
    assert reads.ranges == {}  # read, not kept
    reads.remember_ranges([(b"a", b"b")], [[(b"a1", b"1")]])
    state.set(b"a2", b"2")  # (the committed state never changes within a block: shows the memo)
    assert list(reads.iterate(b"a", b"b")) == [(b"a1", b"1")]
    assert list(reads.iterate(b"a", b"b", reverse=True)) == [(b"a1", b"1")]
    assert list(reads.iterate(b"a", b"a3")) == [(b"a1", b"1"), (b"a2", b"2")]  # not kept
    assert reads.get(b"a1") == b"1" and b"a1" in reads.values
