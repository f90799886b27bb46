"""Hypothesis: the median against a brute force over random submissions (ties and even counts
included), the rate text round trip, and determinism: the same submissions delivered in any
order, in one block or across txs, give the same accepted rate and the same store."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import stateset_chain.pb  # noqa: F401
from stateset_chain.oracle.aggregate import median
from stateset_chain.rates import RATE_SCALE, format_rate, parse_rate
from tests.oracle.helpers import FEEDERS, OChain

# small ranges force ties; the full range checks the arithmetic
values = st.one_of(
    st.lists(st.integers(1, 5), min_size=1, max_size=9),
    st.lists(st.integers(1, 10**36 - 1), min_size=1, max_size=9),
)


def brute_median(xs: list[int]) -> int:
    """The value m such that at least half the values are <= m and at least half >= m, lower
    middle and upper middle for an even count, averaged down: counted, not sorted."""
    n = len(xs)

    def rank_ok(m: int, k: int) -> bool:  # m is the k-th smallest (0-based)
        below = sum(1 for x in xs if x < m)
        equal = sum(1 for x in xs if x == m)
        return below <= k < below + equal

    lower = next(m for m in xs if rank_ok(m, (n - 1) // 2))
    upper = next(m for m in xs if rank_ok(m, n // 2))
    return (lower + upper) // 2


@given(values)
def test_the_median_is_the_brute_force_median(xs):
    assert median(xs) == brute_median(xs)


@given(values, st.randoms(use_true_random=False))
def test_the_median_does_not_depend_on_the_order(xs, rnd):
    shuffled = list(xs)
    rnd.shuffle(shuffled)
    assert median(shuffled) == median(xs)


@given(st.integers(1, 10**36 - 1))
def test_rate_text_round_trips(value):
    text = format_rate(value)
    assert parse_rate(text) == value
    assert format_rate(parse_rate(text)) == text
    assert parse_rate(str(value // RATE_SCALE) if value % RATE_SCALE == 0 else text) == value


rates = st.integers(1, 3 * RATE_SCALE).map(format_rate)
submissions = st.lists(st.tuples(st.sampled_from(FEEDERS), rates), min_size=1, max_size=12)


def run(order: list[tuple[str, str]], one_tx: bool) -> tuple[str | None, list]:
    c = OChain(params={"max_deviation_bps": 0, "quorum": 2})
    latest = {}
    for feeder, rate in order:
        latest[feeder] = rate
    # each feeder's last submission in the order is the one that counts; deliver one per feeder
    # in the given order of first appearance
    msgs = [(f, latest[f]) for f in dict.fromkeys(f for f, _ in order)]
    if one_tx:
        from tests.oracle.helpers import submit_msg

        c.deliver(*[submit_msg(f, EUR=r) for f, r in msgs])
    else:
        for f, r in msgs:
            c.submit(f, EUR=r)
    c.end_block()
    rate = c.rate("EUR")
    stored = list(c.store.iterate(b"", None))
    return (rate.rate if rate else None), stored


@settings(max_examples=50, deadline=None)
@given(submissions, st.randoms(use_true_random=False), st.booleans())
def test_the_same_submissions_in_any_order_give_the_same_rate_and_store(subs, rnd, one_tx):
    latest = dict(subs)  # the latest per feeder
    order = list(latest.items())
    shuffled = list(order)
    rnd.shuffle(shuffled)
    a, store_a = run(order, one_tx)
    b, store_b = run(shuffled, not one_tx)
    assert a == b and store_a == store_b
    if len(latest) >= 2:
        assert a == format_rate(brute_median([parse_rate(r) for r in latest.values()]))
    else:
        assert a is None  # below the quorum of 2
