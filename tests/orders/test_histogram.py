"""The totals histogram (orders/index/histogram.py) counts exactly what a brute force counts,
for any totals (0 to 2^64 - 1, on and off the 256-amount edges), and leaves no key behind once every
order it counted has left."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from stateset_chain.orders.index.histogram import ANY_STATUS, AmountHistogram, expected
from stateset_chain.store.kv import MemoryKV
from tests.orders.test_listing import CountingKV

PREFIX = b"h/"
U64_MAX = 2**64 - 1

totals = st.one_of(
    st.integers(0, U64_MAX),
    st.integers(0, 2**20),
    st.integers(0, 15).map(lambda k: 16**k),  # digit boundaries
    st.integers(1, 16).map(lambda k: 16**k - 1 if k < 16 else U64_MAX),
    st.integers(10**6, 10**9),  # order totals in base units
)
orders = st.lists(st.tuples(st.integers(1, 3), totals), max_size=40)
probe_statuses = st.integers(0, 3)  # 0: any status


def counted(store, status, x, bag) -> int:
    def level0(low: int, high: int) -> int:
        return sum(1 for s, t in bag if low <= t < high and status in (0, s))

    return AmountHistogram(PREFIX).below(store, status, x, level0)


def add(h, store, status, total, delta):
    """What the keeper does: the order's status and "any status"."""
    h.add(store, status, total, delta)
    h.add(store, ANY_STATUS, total, delta)


@settings(max_examples=150, deadline=None)
@given(orders, st.lists(st.tuples(probe_statuses, totals), min_size=1, max_size=10), st.data())
def test_below_counts_like_a_brute_force(bag, probes, data):
    store, h = MemoryKV(), AmountHistogram(PREFIX)
    for status, total in bag:
        add(h, store, status, total, 1)
    # take some orders out again, as a status change does
    leaving = data.draw(st.lists(st.sampled_from(bag), unique=True) if bag else st.just([]))
    kept = list(bag)
    for status, total in leaving:
        add(h, store, status, total, -1)
        kept.remove((status, total))
    for status, x in probes:
        want = sum(1 for s, t in kept if t < x and status in (0, s))
        assert counted(store, status, x, kept) == want
    assert {g: list(c) for g, c in h.iterate(store)} == expected(kept)


def test_a_histogram_emptied_again_holds_no_key():
    store, h = MemoryKV(), AmountHistogram(PREFIX)
    for total in (0, 255, 256, 10**9, U64_MAX):
        add(h, store, 2, total, 1)
    assert len(list(store.iterate(None, None))) > 0
    for total in (0, 255, 256, 10**9, U64_MAX):
        add(h, store, 2, total, -1)
    assert list(store.iterate(None, None)) == []


def test_a_count_reads_a_few_keys_however_many_orders():
    """One key per nonzero digit (above the lowest) of the bound: the same reads for 10 and for
    5,000 orders."""
    reads = []
    for n in (10, 5_000):
        store, h = MemoryKV(), AmountHistogram(PREFIX)
        for i in range(n):
            add(h, store, 1 + i % 3, 10**6 + 7919 * i, 1)

        counting = CountingKV(store)
        h.below(counting, 1, 0x0102_0304_0506_0708, lambda a, b: 0)
        reads.append(len(counting.read))
    assert reads == [8, 8]  # x has 7 nonzero hex digits above the lowest, and the MAG key
