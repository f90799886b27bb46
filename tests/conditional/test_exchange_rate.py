"""The exchange-rate condition: "CURRENCY/USD at least / at most R" against the oracle's fresh
accepted rate (a pure evaluator over scaled integers), indexed by currency and woken at
end-block only when the oracle accepts a rate that changes what is readable; no fresh rate
(none yet, or stale) never holds."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import stateset_chain.pb  # noqa: F401
from stateset_chain.conditional import conditions
from stateset_chain.conditional.engine import EXECUTED, WAITING
from stateset_chain.conditional.errors import InvalidCondition
from stateset_chain.conditional.state import ConditionalKeeper
from stateset_chain.rates import format_rate
from tests.conditional.helpers import CondChain, conditional_msg
from tests.orders.helpers import item

from stateset.conditional.v1.conditional_pb2 import Comparison, Condition, ExchangeRate

AT_LEAST, AT_MOST = Comparison.COMPARISON_AT_LEAST, Comparison.COMPARISON_AT_MOST


def rate_condition(currency="EUR", rate="1.1", comparison=AT_LEAST) -> Condition:
    return Condition(exchange_rate=ExchangeRate(currency=currency, rate=rate,
                                                comparison=comparison))


def waiting_on(chain: CondChain, *conds: Condition) -> str:
    cid = chain.deliver(conditional_msg(list(conds), prefund=False, items=[item(sku="X")])).id
    chain.advance()
    return cid


def status(chain: CondChain, cid: str) -> int:
    return chain.cond.must_get(chain.store, cid).status


@given(rate=st.none() | st.integers(1, 10**24), bound=st.integers(1, 10**24),
       comparison=st.sampled_from([AT_LEAST, AT_MOST]))
def test_the_pure_evaluator(rate, bound, comparison):
    held = conditions.rate_holds(comparison, rate, bound)
    if rate is None:
        assert not held
    else:
        assert held == (rate >= bound if comparison == AT_LEAST else rate <= bound)
    # and the condition reads its bound through the one rate parser
    view = conditions.View(0, lambda m, s: None, lambda o: None, lambda a, d: 0,
                           lambda c: rate)
    assert conditions.holds(rate_condition(rate=format_rate(bound), comparison=comparison),
                            view) == held


def test_it_executes_when_the_accepted_rate_crosses_the_bound():
    chain = CondChain()
    cid = waiting_on(chain, rate_condition("EUR", "1.1", AT_LEAST))
    chain.feed(EUR="1.05")
    chain.advance()
    assert status(chain, cid) == WAITING
    chain.feed(EUR="1.1")
    chain.advance()  # the oracle's end-block accepts it, the conditional one wakes and executes
    assert status(chain, cid) == EXECUTED


def test_at_most_and_the_other_currency_is_not_woken():
    chain = CondChain()
    eur = waiting_on(chain, rate_condition("EUR", "1.2", AT_MOST))
    gbp = waiting_on(chain, rate_condition("GBP", "1.2", AT_MOST))
    chain.feed(EUR="1.1")
    chain.advance()
    assert (status(chain, eur), status(chain, gbp)) == (EXECUTED, WAITING)


def test_a_refresh_of_the_same_rate_marks_nothing_but_a_new_value_does():
    chain = CondChain()
    chain.feed(EUR="1.1")
    chain.advance()
    seen = []
    original = chain.cond.rate_changed

    def spy(store, currency):
        seen.append(currency)
        original(store, currency)

    chain.oracle._rate_listeners = [spy]
    chain.feed(EUR="1.1")
    chain.advance()
    assert seen == []
    chain.feed(EUR="1.15")
    chain.advance()
    assert seen == ["EUR"]
    assert list(ConditionalKeeper.changed.iterate(chain.store)) == []  # consumed at end-block


def test_a_stale_rate_never_holds_and_a_fresh_one_of_the_same_value_wakes_it_again():
    chain = CondChain()
    chain.feed(EUR="1.3")
    chain.advance()
    chain.advance(601)  # staleness 600 s: stale now
    cid = waiting_on(chain, rate_condition("EUR", "1.2", AT_LEAST))
    assert status(chain, cid) == WAITING  # 1.3 >= 1.2, but the rate is stale
    chain.feed(EUR="1.3")
    chain.advance()
    assert status(chain, cid) == EXECUTED


def test_two_rate_conditions_hold_together():
    chain = CondChain()
    cid = waiting_on(chain, rate_condition("EUR", "1", AT_LEAST),
                     rate_condition("JPY", "0.01", AT_MOST))
    chain.feed(EUR="1.1")
    chain.advance()
    assert status(chain, cid) == WAITING  # JPY has no rate yet
    chain.feed(JPY="0.0067")
    chain.advance()
    assert status(chain, cid) == EXECUTED


@pytest.mark.parametrize("bad", [
    rate_condition(currency="USD"),
    rate_condition(currency="eur"),
    rate_condition(rate="1.10"),
    rate_condition(rate="0"),
    rate_condition(comparison=Comparison.COMPARISON_UNSPECIFIED),
])
def test_malformed_rate_conditions_are_refused(bad):
    chain = CondChain()
    with pytest.raises(InvalidCondition):
        chain.deliver(conditional_msg([bad], prefund=False))
