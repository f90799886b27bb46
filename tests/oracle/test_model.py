"""Hypothesis stateful: the keeper against a model written from SPEC.md alone (plain dicts, no
code shared with aggregate.py but the rate text), over random submissions, empty blocks, feeder
changes and overrides: after every end block the accepted rate and the refused streak of every
currency are the model's, and the invariants hold."""

from __future__ import annotations

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

import stateset_chain.pb  # noqa: F401
from stateset_chain.rates import RATE_SCALE, format_rate, parse_rate
from tests.oracle.helpers import AUTHORITY, FEEDERS, OChain, submit_msg

from stateset.oracle.v1 import tx_pb2 as t

CURRENCIES = ["EUR", "JPY"]
QUORUM, STALENESS, BOUND, CONFIRM = 2, 20, 1000, 3  # 20 s = 4 blocks of 5 s; 10%; 3 blocks
# rates near 1 so that in-band and out-of-band moves both happen
rates = st.integers(80, 125).map(lambda n: format_rate(n * RATE_SCALE // 100))


class Model:
    def __init__(self) -> None:
        self.feeders = set(FEEDERS)
        self.subs: dict[tuple[str, str], tuple[int, int]] = {}  # (cur, feeder) -> (rate, t)
        self.accepted: dict[str, int] = {}
        self.streak: dict[str, tuple[int, bool]] = {}  # cur -> (since, above)
        self.marked: set[str] = set()

    def end_block(self, height: int, now: int) -> None:
        for cur in CURRENCIES:
            if cur not in self.marked and cur not in self.streak:
                continue
            fresh = sorted(r for (c, f), (r, at) in self.subs.items()
                           if c == cur and now - at <= STALENESS)
            if len(fresh) < QUORUM:
                self.streak.pop(cur, None)
                continue
            n = len(fresh)
            med = fresh[n // 2] if n % 2 else (fresh[n // 2 - 1] + fresh[n // 2]) // 2
            old = self.accepted.get(cur)
            if old is None or abs(med - old) * 10_000 <= BOUND * old:
                self.accepted[cur] = med
                self.streak.pop(cur, None)
                continue
            above = med > old
            since, side = self.streak.get(cur, (height, above))
            if side != above:
                since = height
            if height - since >= CONFIRM:
                self.accepted[cur] = med
                self.streak.pop(cur, None)
            else:
                self.streak[cur] = (since, above)
        self.marked.clear()


class OracleMachine(RuleBasedStateMachine):
    @initialize()
    def start(self) -> None:
        self.chain = OChain(params={
            "currencies": CURRENCIES, "quorum": QUORUM, "staleness_seconds": str(STALENESS),
            "max_deviation_bps": BOUND, "deviation_confirm_blocks": CONFIRM,
        })
        self.model = Model()

    @rule(feeder=st.sampled_from(FEEDERS), cur=st.sampled_from(CURRENCIES), rate=rates)
    def submit(self, feeder: str, cur: str, rate: str) -> None:
        if feeder not in self.model.feeders:
            return
        self.chain.deliver(submit_msg(feeder, **{cur: rate}))
        self.model.subs[(cur, feeder)] = (parse_rate(rate), self.chain.block.time_ns // 10**9)
        self.model.marked.add(cur)

    @rule(blocks=st.integers(1, 3))
    def end_blocks(self, blocks: int) -> None:
        for _ in range(blocks):
            self.model.end_block(self.chain.block.height, self.chain.block.time_ns // 10**9)
            self.chain.end_block()

    @rule(keep=st.sets(st.sampled_from(FEEDERS), min_size=2))
    def set_feeders(self, keep: set[str]) -> None:
        self.chain.deliver(t.MsgSetFeeders(authority=AUTHORITY, feeders=sorted(keep)))
        self.model.feeders = set(keep)
        self.model.subs = {k: v for k, v in self.model.subs.items() if k[1] in keep}

    @rule(cur=st.sampled_from(CURRENCIES), rate=rates)
    def override(self, cur: str, rate: str) -> None:
        self.chain.deliver(t.MsgOverrideRate(authority=AUTHORITY, currency=cur, rate=rate,
                                             reason="model"))
        self.model.accepted[cur] = parse_rate(rate)
        self.model.streak.pop(cur, None)

    @invariant()
    def agrees_with_the_model(self) -> None:
        keeper, store = self.chain.keeper, self.chain.store
        for cur in CURRENCIES:
            got = keeper.accepted.get(store, cur)
            assert (parse_rate(got.rate) if got else None) == self.model.accepted.get(cur), cur
            pending = keeper.pending.get(store, cur)
            want = self.model.streak.get(cur)
            assert ((pending.since_height, pending.above) if pending else None) == want, cur


OracleMachine.TestCase.settings = settings(max_examples=60, stateful_step_count=30,
                                           deadline=None)
test_the_keeper_follows_the_spec_model = OracleMachine.TestCase
