"""The end-block aggregation: quorum, staleness, the median, the deviation bound and its two ways
through (a persisting out-of-band median, the authority's override), and the consumers' read."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.oracle import errors
from stateset_chain.rates import RATE_SCALE, parse_rate
from tests.oracle.helpers import BLOCK_SECONDS, FEEDERS, OChain

from stateset.oracle.v1 import events_pb2 as ev
from stateset.oracle.v1.oracle_pb2 import RateSource


def test_below_quorum_nothing_is_accepted_and_at_quorum_the_median_is():
    c = OChain(params={"quorum": 3})
    c.submit(FEEDERS[0], EUR="1.08")
    c.submit(FEEDERS[1], EUR="1.1")
    c.end_block()
    assert c.rate("EUR") is None and c.typed(ev.RateAccepted) == []
    c.submit(FEEDERS[2], EUR="1.2")
    height = c.block.height
    c.end_block()
    r = c.rate("EUR")
    assert (r.rate, r.submissions, r.height, r.source) == (
        "1.1", 3, height, RateSource.RATE_SOURCE_MEDIAN)
    (a,) = c.typed(ev.RateAccepted)
    assert a.rate == r and a.previous == ""


def test_an_even_count_takes_the_floor_of_the_mean_of_the_two_middle_values():
    c = OChain(params={"quorum": 2, "max_deviation_bps": 0})
    c.submit(FEEDERS[0], JPY="0.000000000000000001")
    c.submit(FEEDERS[1], JPY="0.000000000000000002")
    c.end_block()
    assert c.rate("JPY").rate == "0.000000000000000001"  # (1 + 2) // 2
    c.submit(FEEDERS[2], JPY="0.000000000000000009")
    c.submit(FEEDERS[3], JPY="0.000000000000000002")
    c.end_block()
    assert c.rate("JPY").rate == "0.000000000000000002"  # sorted 1 2 2 9 -> (2 + 2) // 2


def test_stale_submissions_do_not_count():
    c = OChain(params={"quorum": 2, "staleness_seconds": "60", "max_deviation_bps": 0})
    c.submit(FEEDERS[0], EUR="1.08")
    for _ in range(60 // BLOCK_SECONDS):  # 60 s later FEEDERS[0]'s is exactly at the bound
        c.end_block()
    c.submit(FEEDERS[1], EUR="1.2")
    c.end_block()
    assert c.rate("EUR").rate == "1.14"  # both fresh: (1.08 + 1.2) / 2
    for _ in range(60 // BLOCK_SECONDS):
        c.end_block()
    c.submit(FEEDERS[2], EUR="1.3")  # FEEDERS[0]'s is 125 s old, FEEDERS[1]'s 65 s
    c.end_block()
    assert c.rate("EUR").rate == "1.14"  # only one fresh: below the quorum


def test_the_accepted_rate_goes_stale_for_consumers():
    c = OChain(params={"staleness_seconds": "30"})
    with pytest.raises(errors.RateNotFound):
        c.keeper.usd_rate(c.store, "EUR", c.block.time_ns)
    c.submit(FEEDERS[0], EUR="1.0842")
    accepted_at = c.block.time_ns
    c.end_block()
    r = c.keeper.usd_rate(c.store, "EUR", accepted_at + 30 * 10**9)
    assert parse_rate(r.rate) == 1_0842 * RATE_SCALE // 10_000
    with pytest.raises(errors.RateStale):
        c.keeper.usd_rate(c.store, "EUR", accepted_at + 30 * 10**9 + 1)
    with pytest.raises(errors.RateNotFound):
        c.keeper.usd_rate(c.store, "GBP", accepted_at)


def test_a_median_outside_the_band_is_refused_and_the_old_rate_stays():
    c = OChain(params={"max_deviation_bps": 500, "deviation_confirm_blocks": 3})
    c.submit(FEEDERS[0], EUR="1")
    c.end_block()
    c.submit(FEEDERS[0], EUR="1.05")  # exactly 5%: in the band
    c.end_block()
    assert c.rate("EUR").rate == "1.05"
    c.submit(FEEDERS[0], EUR="1.1026")  # 5.009...% above 1.05
    height = c.block.height
    c.end_block()
    assert c.rate("EUR").rate == "1.05"
    (rej,) = c.typed(ev.RateRejected)
    assert (rej.currency, rej.median, rej.accepted, rej.deviation_bps, rej.max_deviation_bps,
            rej.submissions, rej.pending_since_height) == ("EUR", "1.1026", "1.05", 500, 500, 1,
                                                          height)
    assert c.typed(ev.RateAccepted) == []


def test_an_out_of_band_median_that_persists_is_accepted_after_the_confirm_blocks():
    c = OChain(params={"max_deviation_bps": 500, "deviation_confirm_blocks": 3})
    c.submit(FEEDERS[0], GBP="1.27")
    c.end_block()
    c.submit(FEEDERS[0], GBP="1.5")  # one round of submissions only: re-read every block
    start = c.block.height
    for i in range(3):
        c.end_block()
        assert c.rate("GBP").rate == "1.27"
        assert c.typed(ev.RateRejected)[0].pending_since_height == start, i
    c.end_block()  # height - since = 3
    r = c.rate("GBP")
    assert (r.rate, r.source, r.height) == (
        "1.5", RateSource.RATE_SOURCE_CONFIRMED_DEVIATION, start + 3)
    assert c.typed(ev.RateAccepted)[0].previous == "1.27"
    assert not c.keeper.pending.has(c.store, "GBP")
    c.end_block()  # nothing submitted, no streak: nothing aggregated
    assert c.typed(ev.RateAccepted) == [] and c.rate("GBP").height == start + 3


def test_a_streak_that_flips_side_or_loses_its_quorum_starts_again():
    c = OChain(params={"max_deviation_bps": 100, "deviation_confirm_blocks": 2,
                       "staleness_seconds": "10"})
    c.submit(FEEDERS[0], CAD="0.72")
    c.end_block()
    c.submit(FEEDERS[0], CAD="0.9")
    c.end_block()
    c.submit(FEEDERS[0], CAD="0.5")  # the other side: a new streak
    flipped = c.block.height
    c.end_block()
    assert c.keeper.pending.get(c.store, "CAD").since_height == flipped
    c.end_block()
    c.end_block()  # 10 s after the submission: still fresh -> height - since = 2: accepted
    assert c.rate("CAD").rate == "0.5"
    c.submit(FEEDERS[0], CAD="0.9")
    c.end_block()
    assert c.keeper.pending.has(c.store, "CAD")
    c.end_block()
    c.end_block()  # the submission is 10 s old: fresh, and 2 blocks: accepted
    assert c.rate("CAD").rate == "0.9"


def test_a_streak_without_fresh_submissions_is_dropped():
    c = OChain(params={"max_deviation_bps": 100, "deviation_confirm_blocks": 5,
                       "staleness_seconds": "5"})
    c.submit(FEEDERS[0], CAD="0.72")
    c.end_block()
    c.submit(FEEDERS[0], CAD="0.9")
    c.end_block()
    c.end_block()  # 5 s: fresh, still refused
    assert c.keeper.pending.has(c.store, "CAD")
    c.end_block()  # 10 s: stale, below the quorum: the streak ends
    assert not c.keeper.pending.has(c.store, "CAD")
    (dropped,) = c.typed(ev.PendingDeviationDropped)
    assert (dropped.currency, dropped.median, dropped.fresh_submissions) == ("CAD", "0.9", 0)
    c.end_block()  # nothing left to aggregate
    assert c.events == []
    assert c.rate("CAD").rate == "0.72"


def test_a_bound_of_zero_accepts_every_median():
    c = OChain(params={"max_deviation_bps": 0})
    c.submit(FEEDERS[0], EUR="1")
    c.end_block()
    c.submit(FEEDERS[0], EUR="1000")
    c.end_block()
    assert c.rate("EUR").rate == "1000"


def test_only_currencies_with_a_submission_or_a_streak_are_aggregated():
    c = OChain()
    c.submit(FEEDERS[0], EUR="1.08", GBP="1.27")
    c.end_block()
    c.submit(FEEDERS[1], GBP="1.28")
    c.end_block()
    assert [a.rate.currency for a in c.typed(ev.RateAccepted)] == ["GBP"]
    assert c.rate("GBP").rate == "1.275"
    assert list(c.keeper.submitted.iterate(c.store)) == []
