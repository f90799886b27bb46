"""The oracle messages one by one: who may sign, validation (a clear error, no state change),
the feeder set, submissions, overrides and params."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.errors import InvalidAddress
from stateset_chain.oracle import errors
from stateset_chain.oracle.params import default_params
from tests.oracle.helpers import AUTHORITY, FEEDERS, STRANGER, OChain, submit_msg

from stateset.oracle.v1 import events_pb2 as ev
from stateset.oracle.v1 import tx_pb2 as t
from stateset.oracle.v1.oracle_pb2 import CurrencyRate, RateSource


def snapshot(c: OChain) -> list:
    return list(c.store.iterate(b"", None))


def test_only_the_authority_sets_feeders_params_and_overrides():
    c = OChain()
    p = c.keeper.params(c.store)
    for msg in (
        t.MsgSetFeeders(authority=STRANGER, feeders=[STRANGER]),
        t.MsgUpdateParams(authority=FEEDERS[0], params=p),
        t.MsgOverrideRate(authority=STRANGER, currency="EUR", rate="1.1", reason="r"),
    ):
        before = snapshot(c)
        with pytest.raises(errors.NotAuthorized):
            c.deliver(msg)
        assert snapshot(c) == before


def test_the_signer_of_each_message():
    c = OChain()
    assert c.routes[t.MsgSubmitRates].signers(submit_msg(FEEDERS[1], EUR="1")) == [FEEDERS[1]]
    assert c.routes[t.MsgSetFeeders].signers(t.MsgSetFeeders(authority=AUTHORITY)) == [AUTHORITY]
    assert c.routes[t.MsgOverrideRate].signers(
        t.MsgOverrideRate(authority=AUTHORITY)) == [AUTHORITY]


def test_set_feeders_replaces_the_set_and_drops_removed_feeders_submissions():
    c = OChain(feeders=FEEDERS[:3])
    c.submit(FEEDERS[0], EUR="1.08", GBP="1.27")
    c.submit(FEEDERS[1], EUR="1.09")
    c.deliver(t.MsgSetFeeders(authority=AUTHORITY, feeders=[FEEDERS[3], FEEDERS[1]]))
    (e,) = c.typed(ev.FeedersSet)
    assert list(e.feeders) == sorted([FEEDERS[1], FEEDERS[3]])
    assert list(e.added) == [FEEDERS[3]]
    assert list(e.removed) == sorted([FEEDERS[0], FEEDERS[2]])
    assert c.keeper.all_feeders(c.store) == sorted([FEEDERS[1], FEEDERS[3]])
    assert [s.feeder for s in c.keeper.all_submissions(c.store)] == [FEEDERS[1]]
    with pytest.raises(errors.NotFeeder):
        c.submit(FEEDERS[0], EUR="1.08")


@pytest.mark.parametrize("feeders, error", [
    ([FEEDERS[0], FEEDERS[0]], errors.InvalidFeeders),
    (["stateset1nope"], InvalidAddress),
    ([FEEDERS[0]] * 65, errors.InvalidFeeders),
])
def test_bad_feeder_sets(feeders, error):
    c = OChain()
    before = snapshot(c)
    with pytest.raises(error):
        c.deliver(t.MsgSetFeeders(authority=AUTHORITY, feeders=feeders))
    assert snapshot(c) == before


def test_a_submission_is_recorded_with_its_height_and_time_and_emitted():
    c = OChain()
    c.submit(FEEDERS[2], EUR="1.0842", JPY="0.0067")
    subs = {s.currency: s for s in c.keeper.all_submissions(c.store)}
    assert sorted(subs) == ["EUR", "JPY"]
    assert subs["EUR"].rate == "1.0842" and subs["EUR"].feeder == FEEDERS[2]
    assert subs["EUR"].height == c.block.height
    assert subs["EUR"].time.seconds * 10**9 == c.block.time_ns
    (e,) = c.typed(ev.RatesSubmitted)
    assert e.feeder == FEEDERS[2]
    assert [(r.currency, r.rate) for r in e.rates] == [("EUR", "1.0842"), ("JPY", "0.0067")]
    c.end_block()
    c.submit(FEEDERS[2], EUR="1.09")  # the latest replaces the feeder's previous one
    subs = {s.currency: s for s in c.keeper.all_submissions(c.store)}
    assert subs["EUR"].rate == "1.09" and subs["EUR"].height == c.block.height
    assert subs["JPY"].rate == "0.0067"


@pytest.mark.parametrize("rates, error", [
    ([], errors.NoRates),
    ([("EUR", "1.1"), ("EUR", "1.2")], errors.DuplicateCurrency),
    ([("eur", "1.1")], errors.UnknownCurrency),
    ([("USD", "1")], errors.UnknownCurrency),
    ([("EURO", "1")], errors.UnknownCurrency),
    ([("EUR", "0")], errors.InvalidRate),
    ([("EUR", "-1.1")], errors.InvalidRate),
    ([("EUR", "1.10")], errors.InvalidRate),
    ([("EUR", "1.1e3")], errors.InvalidRate),
    ([("EUR", "0." + "0" * 18 + "1")], errors.InvalidRate),
    ([("EUR", "1" * 19)], errors.InvalidRate),
    ([("EUR", " 1.1")], errors.InvalidRate),
    ([("EUR", "")], errors.InvalidRate),
])
def test_bad_submissions_are_refused_statelessly(rates, error):
    c = OChain()
    before = snapshot(c)
    msg = t.MsgSubmitRates(feeder=FEEDERS[0],
                           rates=[CurrencyRate(currency=k, rate=v) for k, v in rates])
    with pytest.raises(error):
        c.deliver(msg)
    assert snapshot(c) == before


def test_a_non_feeder_and_an_unlisted_currency_are_refused():
    c = OChain()
    before = snapshot(c)
    with pytest.raises(errors.NotFeeder):
        c.submit(STRANGER, EUR="1.08")
    with pytest.raises(errors.UnknownCurrency):
        c.submit(FEEDERS[0], EUR="1.08", CHF="1.13")  # EUR is not recorded either
    assert snapshot(c) == before
    with pytest.raises(InvalidAddress):
        c.submit("not an address", EUR="1.08")


def test_override_sets_the_rate_at_once_and_clears_a_streak():
    c = OChain(params={"max_deviation_bps": 100})
    c.submit(FEEDERS[0], EUR="1.08")
    c.end_block()
    c.submit(FEEDERS[0], EUR="1.5")
    c.end_block()
    assert c.keeper.pending.has(c.store, "EUR")
    c.deliver(t.MsgOverrideRate(authority=AUTHORITY, currency="EUR", rate="1.5",
                                reason="the euro moved"))
    r = c.rate("EUR")
    assert (r.rate, r.source, r.submissions, r.height) == (
        "1.5", RateSource.RATE_SOURCE_OVERRIDE, 0, c.block.height)
    assert not c.keeper.pending.has(c.store, "EUR")
    (o,) = c.typed(ev.RateOverridden)
    assert o.reason == "the euro moved" and o.rate.rate == "1.5"
    (a,) = c.typed(ev.RateAccepted)
    assert a.previous == "1.08"


@pytest.mark.parametrize("fields, error", [
    ({"currency": "CHF"}, errors.UnknownCurrency),
    ({"currency": "usd"}, errors.UnknownCurrency),
    ({"rate": "1.0"}, errors.InvalidRate),
    ({"reason": ""}, errors.MissingReason),
    ({"reason": "x" * 257}, errors.MissingReason),
])
def test_bad_overrides(fields, error):
    c = OChain()
    before = snapshot(c)
    msg = t.MsgOverrideRate(
        **{"authority": AUTHORITY, "currency": "EUR", "rate": "1.1", "reason": "r", **fields}
    )
    with pytest.raises(error):
        c.deliver(msg)
    assert snapshot(c) == before


def test_update_params_replaces_them_and_forgets_an_unlisted_currency():
    c = OChain()
    c.submit(FEEDERS[0], EUR="1.08", GBP="1.27")
    c.end_block()
    p = c.keeper.params(c.store)
    del p.currencies[:]
    p.currencies.extend(["EUR", "CHF"])
    p.quorum = 3
    c.deliver(t.MsgUpdateParams(authority=AUTHORITY, params=p))
    assert c.typed(ev.ParamsUpdated)[0].params == p
    assert c.keeper.params(c.store) == p
    assert c.rate("GBP") is None and c.rate("EUR") is not None
    assert [s.currency for s in c.keeper.all_submissions(c.store)] == ["EUR"]
    with pytest.raises(errors.UnknownCurrency):
        c.submit(FEEDERS[0], GBP="1.27")
    c.submit(FEEDERS[0], CHF="1.13")


@pytest.mark.parametrize("change, field", [
    ({"quorum": 0}, "quorum"),
    ({"quorum": 65}, "quorum"),
    ({"staleness_seconds": 0}, "staleness"),
    ({"max_deviation_bps": 10001}, "max_deviation_bps"),
    ({"deviation_confirm_blocks": 0}, "deviation_confirm_blocks"),
    ({"currencies": ["EUR", "EUR"]}, "twice"),
    ({"currencies": ["USD"]}, "ISO 4217"),
    ({"currencies": ["eur"]}, "ISO 4217"),
    ({"currencies": [f"A{chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(33)]}, "at most"),
    ({"authority": "nope"}, "authority"),
])
def test_invalid_params(change, field):
    c = OChain()
    p = default_params()
    p.authority = AUTHORITY
    for k, v in change.items():
        if k == "currencies":
            del p.currencies[:]
            p.currencies.extend(v)
        else:
            setattr(p, k, v)
    before = snapshot(c)
    with pytest.raises(errors.InvalidParams, match=field):
        c.deliver(t.MsgUpdateParams(authority=AUTHORITY, params=p))
    assert snapshot(c) == before
    with pytest.raises(errors.InvalidParams):
        c.deliver(t.MsgUpdateParams(authority=AUTHORITY))
