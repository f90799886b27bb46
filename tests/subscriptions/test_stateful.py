"""Hypothesis drives random subscription messages, balance changes and time against the module.
After every step: every invariant of bank, orders and subscriptions holds (no money created or
lost: supply == Σ balances, escrow == Σ order balances); a refused message changed nothing;
every status change followed the transition table; a customer was never charged twice in one
billing period."""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

import stateset_chain.pb  # noqa: F401
from stateset_chain.coins import Coin
from stateset_chain.errors import ChainError
from stateset_chain.subscriptions.lifecycle import TRANSITIONS
from tests.orders.helpers import CUSTOMER, DAY, MERCHANT, STRANGER, UNIT, item
from tests.subscriptions.helpers import SubChain, create_sub_msg

from stateset.subscriptions.v1 import tx_pb2 as tx
from stateset.subscriptions.v1.subscriptions_pb2 import Interval

INTERVALS = [Interval.INTERVAL_DAILY, Interval.INTERVAL_WEEKLY, Interval.INTERVAL_MONTHLY]


class SubscriptionMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.chain = SubChain(
            holdings={CUSTOMER: {"ussusd": 50 * UNIT}, STRANGER: {"ussusd": 500 * UNIT}}
        )
        self.ids: list[str] = []
        self.statuses: dict[str, int] = {}
        self.supply = self._supply()

    def _supply(self) -> int:
        return self.chain.bank.supply(self.chain.store, "ussusd")

    def _try(self, msg) -> None:
        before = sorted(self.chain.store.iterate())
        try:
            self.chain.deliver(msg)
        except ChainError:
            assert sorted(self.chain.store.iterate()) == before

    @rule(
        interval=st.sampled_from(INTERVALS),
        trial=st.sampled_from([0, 0, 3]),
        price=st.integers(1, 30),
        cycles=st.sampled_from([0, 0, 2]),
    )
    def create(self, interval, trial, price, cycles):
        msg = create_sub_msg(
            items=[item(price=str(price))], interval=interval, trial_days=trial, max_cycles=cycles
        )
        self.ids.append(self.chain.deliver(msg).subscription_id)

    @rule(data=st.data(), kind=st.sampled_from(["pause", "resume", "cancel", "cancel_end"]))
    def act(self, data, kind):
        if not self.ids:
            return
        sid = data.draw(st.sampled_from(self.ids))
        signer = data.draw(st.sampled_from([CUSTOMER, MERCHANT, STRANGER]))
        msg = {
            "pause": tx.MsgPauseSubscription(signer=signer, subscription_id=sid),
            "resume": tx.MsgResumeSubscription(signer=signer, subscription_id=sid),
            "cancel": tx.MsgCancelSubscription(signer=signer, subscription_id=sid),
            "cancel_end": tx.MsgCancelSubscription(
                signer=signer, subscription_id=sid, at_period_end=True
            ),
        }[kind]
        self._try(msg)

    @rule(data=st.data(), quantity=st.integers(1, 3))
    def update(self, data, quantity):
        if self.ids:
            sid = data.draw(st.sampled_from(self.ids))
            self._try(
                tx.MsgUpdateSubscription(
                    signer=CUSTOMER, subscription_id=sid, items=[item(quantity=quantity)]
                )
            )

    @rule(amount=st.integers(1, 100))
    def top_up(self, amount):
        if self.chain.balance(STRANGER) >= amount * UNIT:
            self.chain.bank.send(
                self.chain.ctx(), STRANGER, CUSTOMER, [Coin("ussusd", amount * UNIT)]
            )

    @rule(seconds=st.sampled_from([0, 3600, DAY, 3 * DAY, 8 * DAY, 31 * DAY]))
    def advance(self, seconds):
        self.chain.advance(seconds)

    @invariant()
    def invariants_hold(self):
        self.chain.check_invariants()
        assert self._supply() == self.supply

    @invariant()
    def statuses_follow_the_table(self):
        for sid in self.ids:
            now = self.chain.sub(sid).status
            before = self.statuses.get(sid, now)
            # one step may chain transitions (e.g. ACTIVE -> PAST_DUE -> CANCELED): reachable
            assert now == before or _reachable(before, now)
            self.statuses[sid] = now

    @invariant()
    def one_charge_per_period(self):
        for sid in self.ids:
            periods = [c.period for c in self.chain.subs.cycles_of(self.chain.store, sid)]
            assert len(periods) == len(set(periods))
            assert periods == sorted(periods)


def _reachable(a: int, b: int) -> bool:
    seen, todo = {a}, [a]
    while todo:
        for nxt in TRANSITIONS[todo.pop()]:
            if nxt == b:
                return True
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return False


TestSubscriptionMachine = SubscriptionMachine.TestCase
TestSubscriptionMachine.settings = settings(
    max_examples=30,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
