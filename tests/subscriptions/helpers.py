"""Test harness for subscriptions: the orders harness's chain with the subscriptions module wired
as stateset_chain/wiring.py wires it (after orders; its end-block after the orders' one)."""

from __future__ import annotations

from dataclasses import dataclass, field

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import BlockInfo
from stateset_chain.events import EventManager
from stateset_chain.store.kv import Branch
from stateset_chain.subscriptions import genesis as sub_genesis
from stateset_chain.subscriptions.module import subscriptions_module
from stateset_chain.subscriptions.state import SubscriptionsKeeper
from stateset_chain.timefmt import timestamp
from tests.orders.helpers import CUSTOMER, DAY, MERCHANT, Chain, item

from stateset.subscriptions.v1 import tx_pb2 as tx
from stateset.subscriptions.v1.subscriptions_pb2 import Interval, Subscription

SUB_PARAMS = {
    "max_cycles_per_block": 100,
    "retry_delay_seconds": str(DAY),
    "max_retries": 2,
    "max_items": 10,
}


@dataclass
class SubChain(Chain):
    sub_params: dict = field(default_factory=lambda: dict(SUB_PARAMS))

    def __post_init__(self) -> None:
        super().__post_init__()
        self.subs = SubscriptionsKeeper(self.keeper)
        self.sub_module = subscriptions_module(self.subs)
        self.routes.update({route.msg_cls: route for route in self.sub_module.msgs})
        sub_genesis.init_genesis(self.subs, self.ctx(), {"params": self.sub_params})

    def advance(self, seconds: int = 5) -> None:
        """A new empty block ``seconds`` later with both end-blocks (orders, then subscriptions)."""
        self.block = BlockInfo(self.block.height + 1, self.block.time_ns + seconds * 10**9, "test")
        events = EventManager()
        block = Branch(self.store)
        ctx = self.ctx(block, events=events)
        self.module.end_block(ctx)
        self.sub_module.end_block(ctx)
        self._end(block)
        self.events = events.events

    def advance_to(self, ns: int) -> None:
        self.advance(max(0, (ns - self.block.time_ns) // 10**9))

    def sub(self, sub_id: str) -> Subscription:
        return self.subs.must_get(self.store, sub_id)

    def subscribe(self, **kwargs) -> str:
        return self.deliver(create_sub_msg(**kwargs)).subscription_id

    def check_invariants(self) -> None:
        super().check_invariants()
        ctx = self.ctx()
        for check in self.sub_module.invariants:
            check(ctx)

    def sub_events(self) -> list[str]:
        return [e.type.rsplit(".", 1)[-1] for e in self.events if ".subscriptions." in e.type]


def create_sub_msg(
    customer: str = CUSTOMER,
    merchant: str = MERCHANT,
    items=None,
    interval: int = Interval.INTERVAL_MONTHLY,
    start_ns: int | None = None,
    end_ns: int | None = None,
    **fields,
) -> tx.MsgCreateSubscription:
    msg = tx.MsgCreateSubscription(
        customer=customer,
        merchant=merchant,
        items=items if items is not None else [item(price="10")],
        interval=interval,
        **fields,
    )
    if start_ns is not None:
        msg.start.CopyFrom(timestamp(start_ns))
    if end_ns is not None:
        msg.end.CopyFrom(timestamp(end_ns))
    return msg
