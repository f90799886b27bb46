"""The totals histogram (orders/histogram.py) counts exactly what a brute force counts, for any
totals (0 to 2^64 - 1, on and off the 256-amount edges), and leaves no key behind once every
order it counted has left."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from stateset_chain.orders.histogram import AmountHistogram, expected
from stateset_chain.store.kv import MemoryKV
from tests.orders.test_listing import CountingKV

PREFIX = b"h/"
U64_MAX = 2**64 - 1

totals = st.one_of(
    st.integers(0, U64_MAX),
    st.integers(0, 2**20),
    st.integers(0, 7).map(lambda k: 256**k),  # digit boundaries
    st.integers(1, 8).map(lambda k: 256**k - 1 if k < 8 else U64_MAX),
    st.integers(10**6, 10**9),  # order totals in base units
)
orders = st.lists(st.tuples(st.integers(1, 3), totals), max_size=40)
status_sets = st.one_of(st.none(), st.frozensets(st.integers(1, 3), min_size=1))


def counted(store, statuses, x, bag) -> int:
    def level0(low: int, high: int) -> int:
        return sum(1 for s, t in bag if low <= t < high and (statuses is None or s in statuses))

    return AmountHistogram(PREFIX).below(store, statuses, x, level0)


@settings(max_examples=150, deadline=None)
@given(orders, st.lists(st.tuples(status_sets, totals), min_size=1, max_size=10), st.data())
def test_below_counts_like_a_brute_force(bag, probes, data):
    store, h = MemoryKV(), AmountHistogram(PREFIX)
    for status, total in bag:
        h.add(store, status, total, 1)
    # take some orders out again, as a status change does
    leaving = data.draw(st.lists(st.sampled_from(bag), unique=True) if bag else st.just([]))
    kept = list(bag)
    for status, total in leaving:
        h.add(store, status, total, -1)
        kept.remove((status, total))
    for statuses, x in probes:
        want = sum(1 for s, t in kept if t < x and (statuses is None or s in statuses))
        assert counted(store, statuses, x, kept) == want
    assert {g: list(c) for g, c in h.iterate(store)} == expected(kept)


def test_a_histogram_emptied_again_holds_no_key():
    store, h = MemoryKV(), AmountHistogram(PREFIX)
    for total in (0, 255, 256, 10**9, U64_MAX):
        h.add(store, 2, total, 1)
    assert len(list(store.iterate(None, None))) > 0
    for total in (0, 255, 256, 10**9, U64_MAX):
        h.add(store, 2, total, -1)
    assert list(store.iterate(None, None)) == []


def test_a_count_reads_a_few_keys_however_many_orders():
    """One key per level with a nonzero digit (6 here) for one status: the same reads for 10
    and for 5,000 orders."""
    reads = []
    for n in (10, 5_000):
        store, h = MemoryKV(), AmountHistogram(PREFIX)
        for i in range(n):
            h.add(store, 1 + i % 3, 10**6 + 7919 * i, 1)

        counting = CountingKV(store)
        h.below(counting, frozenset({1}), 0x01_0203_0405_0607, lambda a, b: 0)
        reads.append(len(counting.read))
    assert reads == [6, 6]  # digits 1..6 of x are nonzero, digit 7 is 0
