"""The oracle module on an in-memory store, its messages delivered as the app delivers them
(``tests.delivery``) and its end block run between blocks, as the app runs it."""

from __future__ import annotations

from dataclasses import dataclass, field

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import BlockInfo, Context
from stateset_chain.crypto import address
from stateset_chain.events import EventManager, parse_typed_event
from stateset_chain.oracle import genesis
from stateset_chain.oracle.module import oracle_module
from stateset_chain.oracle.state import OracleKeeper
from stateset_chain.store.kv import MemoryKV
from tests import delivery

from stateset.oracle.v1 import tx_pb2 as t
from stateset.oracle.v1.oracle_pb2 import CurrencyRate

CHAIN_ID = "stateset-test-1"
START_NS = 1_700_000_000 * 10**9
BLOCK_SECONDS = 5
AUTHORITY = address.encode(bytes([1]) * 20)
STRANGER = address.encode(bytes([2]) * 20)
FEEDERS = [address.encode(bytes([10 + i]) * 20) for i in range(5)]


@dataclass
class OChain:
    """Params default but for ``params``; the feeder set ``feeders`` (all five by default)."""

    params: dict = field(default_factory=dict)
    feeders: list[str] = field(default_factory=lambda: list(FEEDERS))
    extra: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.store = MemoryKV()
        self.keeper = OracleKeeper()
        self.module = oracle_module(self.keeper)
        self.routes = {r.msg_cls: r for r in self.module.msgs}
        self.block = BlockInfo(1, START_NS, CHAIN_ID)
        self.events: list = []
        data = {"params": {"authority": AUTHORITY, **self.params}, "feeders": self.feeders,
                **self.extra}
        genesis.init_genesis(self.keeper, self.ctx(), data)

    def ctx(self, events: EventManager | None = None) -> Context:
        return Context(store=self.store, block=self.block, events=events or EventManager())

    def deliver(self, *msgs):
        delivered = delivery.deliver(self.store, self.block, msgs, self.routes)
        self.events = delivered.handler_events()
        return delivered.responses[0] if len(msgs) == 1 else delivered.responses

    def end_block(self) -> None:
        """This block's end block (the aggregation), then the next block begins."""
        events = EventManager()
        self.module.end_block(self.ctx(events=events))
        self.events = events.events
        for check in self.module.invariants:
            check(self.ctx())
        self.block = BlockInfo(
            self.block.height + 1, self.block.time_ns + BLOCK_SECONDS * 10**9, CHAIN_ID
        )

    def submit(self, feeder: str, **rates: str) -> None:
        self.deliver(submit_msg(feeder, **rates))

    def typed(self, cls) -> list:
        return [
            parse_typed_event(e, cls) for e in self.events if e.type == cls.DESCRIPTOR.full_name
        ]

    def rate(self, currency: str):
        return self.keeper.accepted.get(self.store, currency)


def submit_msg(feeder: str, **rates: str) -> t.MsgSubmitRates:
    return t.MsgSubmitRates(
        feeder=feeder, rates=[CurrencyRate(currency=c, rate=r) for c, r in rates.items()]
    )
