"""The orders test chain with inventory and conditional orders wired as wiring.py wires them."""

from __future__ import annotations

from dataclasses import dataclass

import stateset_chain.pb  # noqa: F401
from stateset_chain.bank.state import BankKeeper
from stateset_chain.conditional.module import conditional_module
from stateset_chain.conditional.state import CONDITIONAL_MODULE_ACCOUNTS, ConditionalKeeper
from stateset_chain.context import BlockInfo
from stateset_chain.crypto import address
from stateset_chain.events import EventManager
from stateset_chain.oracle import genesis as oracle_genesis
from stateset_chain.oracle.module import oracle_module
from stateset_chain.oracle.state import OracleKeeper
from stateset_chain.orders.keys import ORDERS_MODULE_ACCOUNTS
from stateset_chain.store.kv import Branch
from stateset_chain.timefmt import timestamp
from tests.bank.helpers import TEST_MODULE_ACCOUNTS, FakeAccounts
from tests.inventory.helpers import StockChain
from tests.oracle.helpers import submit_msg
from tests.orders import helpers as orders_helpers
from tests.orders.helpers import BLOCKED_PREDICATES, START_NS, create_msg

from stateset.conditional.v1 import tx_pb2 as tx

CONDITIONAL_ESCROW = address.module_address("conditional_escrow")
FEEDER = address.encode(bytes([20]) * 20)


def _bank() -> BankKeeper:
    return BankKeeper(
        FakeAccounts(),
        {**TEST_MODULE_ACCOUNTS, **ORDERS_MODULE_ACCOUNTS, **CONDITIONAL_MODULE_ACCOUNTS},
        blocked_predicates=BLOCKED_PREDICATES,
    )


@dataclass
class CondChain(StockChain):
    def __post_init__(self) -> None:
        original = orders_helpers.new_bank
        orders_helpers.new_bank = _bank
        try:
            super().__post_init__()
        finally:
            orders_helpers.new_bank = original
        # the oracle, fed by one feeder (one fresh submission makes a median)
        self.oracle = OracleKeeper()
        self.oracle_module = oracle_module(self.oracle)
        self.routes.update({r.msg_cls: r for r in self.oracle_module.msgs})
        oracle_genesis.init_genesis(self.oracle, self.ctx(), {
            "params": {"authority": FEEDER, "staleness_seconds": "600", "max_deviation_bps": 0},
            "feeders": [FEEDER]})
        # attaches itself to the orders' status hooks, the inventory's stock listeners and the
        # oracle's rate listeners
        self.cond = ConditionalKeeper(self.bank, self.keeper, self.inventory, self.oracle)
        self.cond_module = conditional_module(self.cond)
        self.routes.update({r.msg_cls: r for r in self.cond_module.msgs})
        self.cond_module.init_genesis(self.ctx(), {})

    def advance(self, seconds: int = 5) -> None:
        self.block = BlockInfo(self.block.height + 1, self.block.time_ns + seconds * 10**9, "test")
        events = EventManager()
        block = Branch(self.store)
        ctx = self.ctx(block, events=events)
        self.module.end_block(ctx)
        self.oracle_module.end_block(ctx)
        self.cond_module.end_block(ctx)
        self._end(block)
        self.events = events.events

    def feed(self, **rates: str) -> None:
        """The feeder submits CURRENCY=rate texts; the next end-block accepts them."""
        self.deliver(submit_msg(FEEDER, **rates))

    def check_invariants(self) -> None:
        super().check_invariants()
        for check in self.cond_module.invariants:
            check(self.ctx())


def conditional_msg(conditions, expires_in_s=30 * 86_400, prefund=True, auto=True, **order):
    return tx.MsgCreateConditionalOrder(
        order=create_msg(**order),
        conditions=conditions,
        auto_execute=auto,
        prefund=prefund,
        expires_at=timestamp(START_NS + expires_in_s * 10**9),
    )
