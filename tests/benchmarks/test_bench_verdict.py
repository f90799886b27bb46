"""The orders benchmark's verdict on a list query shape: judged by store reads at 1,000 and at
the large size, it calls a shape page-bound only when the extra reads pay for the extra orders on
the page."""

from benchmarks.orders import QueryStats, verdict


def stats(returned: float, reads: float) -> QueryStats:
    return QueryStats(matches=0, returned=returned, reads=reads, cpu_us=0, wall_us=0)


def test_the_same_reads_are_the_same_cost():
    assert verdict(stats(20, 43), stats(20, 60)) == "same"


def test_a_fuller_page_with_a_fixed_overhead_is_page_bound():
    # 37 reads for 4 orders (counters included), 69.5 for 20: 16 more orders, 32.5 more reads
    assert verdict(stats(4, 37), stats(20, 69.5)) == "page-bound (fuller page)"


def test_more_reads_than_the_extra_orders_explain_is_growth():
    assert verdict(stats(1, 42.5), stats(20, 3_986)) == "grows (reads × 94)"
    assert verdict(stats(20, 43), stats(20, 200)) == "grows (reads × 5)"
