"""The oracle on the standard app over blocks (tests.chain: the real ABCI path, cosmpy-signed
txs, invariants every block): the localnet genesis rates, feeders submitting, the end-block
median in FinalizeBlock's events, a refused move that persists and gets through, a non-feeder's
tx failing with the oracle's code, and the queries."""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.events import parse_typed_event
from stateset_chain.localnet import LOCALNET_RATES
from tests.chain import Chain, address
from tests.oracle.helpers import submit_msg

from stateset.oracle.v1 import events_pb2 as ev
from stateset.oracle.v1 import query_pb2 as q
from stateset.oracle.v1 import tx_pb2 as t
from stateset.oracle.v1.oracle_pb2 import RateSource

Q = "/stateset.oracle.v1.Query/"


def query(chain: Chain, method: str, request, response):
    res = chain.query(Q + method, request)
    assert res.code == 0, res.log
    return response.FromString(res.value)


def events_of(res, cls) -> list:
    return [parse_typed_event(e, cls) for e in res.events if e.type == cls.DESCRIPTOR.full_name]


def test_feeders_move_the_rates_over_blocks():
    chain = Chain.start(n_wallets=4)
    admin, feeder, newcomer, stranger = chain.wallets
    rates = query(chain, "Rates", q.QueryRatesRequest(), q.QueryRatesResponse).rates
    assert {r.currency: r.rate for r in rates} == LOCALNET_RATES
    assert all(r.source == RateSource.RATE_SOURCE_GENESIS for r in rates)
    feeders = query(chain, "Feeders", q.QueryFeedersRequest(), q.QueryFeedersResponse).feeders
    assert sorted(feeders) == sorted([address(admin), address(feeder)])

    # two feeders, quorum 1: the median of both
    res = chain.block([
        chain.sign(admin, [submit_msg(address(admin), EUR="1.09", GBP="1.28")]),
        chain.sign(feeder, [submit_msg(address(feeder), EUR="1.1")]),
        chain.sign(stranger, [submit_msg(address(stranger), EUR="9")]),
    ])
    codes = [(r.code, r.codespace) for r in res.tx_results]
    assert codes == [(0, ""), (0, ""), (7, "oracle")]  # NotFeeder
    accepted = {e.rate.currency: e for e in events_of(res, ev.RateAccepted)}
    assert sorted(accepted) == ["EUR", "GBP"]
    assert (accepted["EUR"].rate.rate, accepted["EUR"].previous) == ("1.095", "1.0842")
    got = query(chain, "Rate", q.QueryRateRequest(currency="EUR"), q.QueryRateResponse)
    assert got.rate.rate == "1.095" and got.rate.height == chain.height
    assert got.rate.submissions == 2

    # a 20% move is refused, then accepted after deviation_confirm_blocks blocks out of band
    confirm = query(chain, "Params", q.QueryParamsRequest(),
                    q.QueryParamsResponse).params.deviation_confirm_blocks
    res = chain.block([chain.sign(feeder, [submit_msg(address(feeder), JPY="0.008")])])
    (rejected,) = events_of(res, ev.RateRejected)
    assert (rejected.median, rejected.accepted) == ("0.008", "0.0067")
    since = rejected.pending_since_height
    subs = query(chain, "Submissions", q.QuerySubmissionsRequest(currency="JPY"),
                 q.QuerySubmissionsResponse)
    assert [s.rate for s in subs.submissions] == ["0.008"] and subs.pending.since_height == since
    while chain.height + 1 - since < confirm:
        res = chain.block([])
        assert events_of(res, ev.RateRejected) and not events_of(res, ev.RateAccepted)
    res = chain.block([])
    (accepted_jpy,) = events_of(res, ev.RateAccepted)
    assert accepted_jpy.rate.source == RateSource.RATE_SOURCE_CONFIRMED_DEVIATION
    assert accepted_jpy.rate.rate == "0.008"

    # the authority adds a feeder; its submissions count from the next tx on
    res = chain.block([chain.sign(admin, [t.MsgSetFeeders(
        authority=address(admin), feeders=[address(admin), address(feeder), address(newcomer)]
    )])])
    assert res.tx_results[0].code == 0, res.tx_results[0].log
    res = chain.block([chain.sign(newcomer, [submit_msg(address(newcomer), CAD="0.73")])])
    assert res.tx_results[0].code == 0, res.tx_results[0].log
    assert events_of(res, ev.RateAccepted)[0].rate.rate == "0.73"


def test_bad_rates_fail_in_check_tx_with_the_oracle_code_and_change_nothing():
    chain = Chain.start(n_wallets=2)
    admin = chain.wallets[0]
    res = chain.block([chain.sign(admin, [submit_msg(address(admin), EUR="1.0842000")])])
    assert (res.tx_results[0].code, res.tx_results[0].codespace) == (5, "oracle")  # InvalidRate
    assert not events_of(res, ev.RatesSubmitted)
    rate = query(chain, "Rate", q.QueryRateRequest(currency="EUR"), q.QueryRateResponse).rate
    assert rate.rate == "1.0842" and rate.source == RateSource.RATE_SOURCE_GENESIS
    res = chain.query(Q + "Rate", q.QueryRateRequest(currency="eur"))
    assert (res.code, res.codespace) == (6, "oracle")  # UnknownCurrency, as in a message
    res = chain.query(Q + "Rate", q.QueryRateRequest(currency="CHF"))  # REST 404: "not found"
    assert (res.code, res.codespace) == (12, "oracle") and "not found" in res.log
