"""Hypothesis drives random stock changes (at the default location and two named ones) and order
flows: after every step the inventory invariant holds per (SKU, location) (available + reserved
+ shipped == set + adjusted; reserved == what open reservations hold there), no unit appears or
vanishes outside a set or an adjustment, and a refused message changed nothing."""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

import stateset_chain.pb  # noqa: F401
from stateset_chain.errors import ChainError
from tests.inventory.helpers import StockChain
from tests.orders.helpers import CUSTOMER, MERCHANT, item, pay_msg, ship_msg

from stateset.inventory.v1 import tx_pb2 as tx
from stateset.orders.v1 import tx_pb2 as otx

SKUS = ["A", "B"]
LOCATIONS = ["", "east", "west"]


class InventoryMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.chain = StockChain()
        self.orders: list[str] = []

    def _try(self, msg) -> None:
        before = sorted(self.chain.store.iterate())
        try:
            self.chain.deliver(msg)
        except ChainError:
            assert sorted(self.chain.store.iterate()) == before

    @rule(
        sku=st.sampled_from(SKUS), quantity=st.integers(0, 20),
        location=st.sampled_from(LOCATIONS),
    )
    def set_stock(self, sku, quantity, location):
        self._try(tx.MsgSetInventory(
            merchant=MERCHANT, sku=sku, quantity=quantity, location=location))

    @rule(
        sku=st.sampled_from(SKUS), delta=st.integers(-10, 10),
        location=st.sampled_from(LOCATIONS),
    )
    def adjust(self, sku, delta, location):
        self._try(tx.MsgAdjustInventory(
            merchant=MERCHANT, sku=sku, delta=delta, reason="count", location=location))

    @rule(sku=st.sampled_from(SKUS + ["UNTRACKED"]), quantity=st.integers(1, 6))
    def order(self, sku, quantity):
        try:
            self.orders.append(self.chain.create(items=[item(sku=sku, quantity=quantity)]))
        except ChainError:
            pass

    @rule(
        data=st.data(),
        step=st.sampled_from(["pay", "cancel", "ship", "return", "refund", "restock"]),
    )
    def advance_order(self, data, step):
        if not self.orders:
            return
        oid = data.draw(st.sampled_from(self.orders))
        order = self.chain.order(oid)
        msgs = {
            "pay": [pay_msg(oid, order.total - order.amount_paid)]
            if order.total > order.amount_paid
            else [],
            "cancel": [otx.MsgCancelOrder(signer=MERCHANT, order_id=oid)],
            "ship": [otx.MsgFulfillOrder(signer=MERCHANT, order_id=oid), ship_msg(oid)],
            "return": [
                otx.MsgDeliverOrder(signer=MERCHANT, order_id=oid),
                otx.MsgReturnOrder(signer=CUSTOMER, order_id=oid, reason="no"),
            ],
            "refund": [otx.MsgRefundOrder(signer=MERCHANT, order_id=oid, reason="r")],
            "restock": [tx.MsgRestockReturn(merchant=MERCHANT, order_id=oid)],
        }[step]
        for msg in msgs:
            self._try(msg)

    @invariant()
    def books_balance(self):
        self.chain.check_invariants()


TestInventoryMachine = InventoryMachine.TestCase
TestInventoryMachine.settings = settings(
    max_examples=30,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
