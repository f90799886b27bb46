"""Hypothesis drives conditional orders (create pre-funded or not, cancel; on stock, time and the
EUR/USD rate), stock changes, order status changes, accepted exchange rates and time: after
every step the escrow holds exactly the waiting pre-funding, the bank's supply is unchanged,
stock books balance, and a refused message changed nothing; every executed conditional order's
conditions held when it ran (its order exists)."""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

import stateset_chain.pb  # noqa: F401
from stateset_chain.conditional.engine import EXECUTED
from stateset_chain.errors import ChainError
from stateset_chain.timefmt import timestamp
from tests.conditional.helpers import FEEDER, CondChain, conditional_msg
from tests.oracle.helpers import submit_msg
from tests.orders.helpers import CUSTOMER, DAY, MERCHANT, item

from stateset.conditional.v1 import tx_pb2 as tx
from stateset.conditional.v1.conditional_pb2 import (
    Comparison,
    Condition,
    ExchangeRate,
    SkuInStock,
    TimeAfter,
)
from stateset.inventory.v1 import tx_pb2 as inv_tx

SKUS = ["A", "B"]
RATES = ["1", "1.05", "1.1"]


class ConditionalMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.chain = CondChain()
        self.ids: list[str] = []
        self.supply = self.chain.bank.supply(self.chain.store, "ussusd")

    def _try(self, msg):
        before = sorted(self.chain.store.iterate())
        try:
            return self.chain.deliver(msg)
        except ChainError:
            assert sorted(self.chain.store.iterate()) == before
            return None

    @rule(
        sku=st.sampled_from(SKUS),
        qty=st.integers(1, 3),
        prefund=st.booleans(),
        days=st.integers(1, 5),
        with_time=st.booleans(),
        rate=st.none() | st.sampled_from(RATES),
        at_most=st.booleans(),
    )
    def create(self, sku, qty, prefund, days, with_time, rate, at_most):
        conds = [Condition(sku_in_stock=SkuInStock(merchant=MERCHANT, sku=sku, quantity=qty))]
        if with_time:
            at = timestamp(self.chain.block.time_ns + DAY * 10**9)
            conds.append(Condition(time_after=TimeAfter(time=at)))
        if rate is not None:
            comparison = (
                Comparison.COMPARISON_AT_MOST if at_most else Comparison.COMPARISON_AT_LEAST
            )
            conds.append(Condition(exchange_rate=ExchangeRate(
                currency="EUR", rate=rate, comparison=comparison)))
        msg = conditional_msg(conds, prefund=prefund, items=[item(sku="GIFT")])
        msg.expires_at.CopyFrom(timestamp(self.chain.block.time_ns + days * DAY * 10**9))
        r = self._try(msg)
        if r is not None:
            self.ids.append(r.id)

    @rule(data=st.data())
    def cancel(self, data):
        if self.ids:
            cid = data.draw(st.sampled_from(self.ids))
            self._try(tx.MsgCancelConditionalOrder(creator=CUSTOMER, id=cid))

    @rule(sku=st.sampled_from(SKUS), quantity=st.integers(0, 5))
    def set_stock(self, sku, quantity):
        self._try(inv_tx.MsgSetInventory(merchant=MERCHANT, sku=sku, quantity=quantity))

    @rule(rate=st.sampled_from(RATES))
    def feed(self, rate):
        self._try(submit_msg(FEEDER, EUR=rate))

    @rule(seconds=st.sampled_from([1, 3600, DAY, 3 * DAY]))
    def advance(self, seconds):
        self.chain.advance(seconds)

    @invariant()
    def conserved(self):
        self.chain.check_invariants()
        assert self.chain.bank.supply(self.chain.store, "ussusd") == self.supply
        for cid in self.ids:
            c = self.chain.cond.must_get(self.chain.store, cid)
            if c.status == EXECUTED:
                assert self.chain.order(c.order_id).customer == CUSTOMER


TestConditionalMachine = ConditionalMachine.TestCase
TestConditionalMachine.settings = settings(
    max_examples=25,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
