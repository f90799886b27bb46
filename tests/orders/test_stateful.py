"""Hypothesis drives random messages from random signers against random orders, with time
passing in between. After every step: every invariant holds, money is conserved (no ssUSD or
USDC appears or disappears), a refused message changed nothing, and a message that succeeded
moved its order only along the transition table, to the status that message stands for, and was
signed by a role that message allows."""

from __future__ import annotations

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

import stateset_chain.pb  # noqa: F401
from stateset_chain.coins import Coin
from stateset_chain.crypto import address
from stateset_chain.errors import ChainError
from stateset_chain.orders import escrow
from stateset_chain.orders.lifecycle import (
    CANCELLED,
    CREATED,
    DELIVERED,
    DISPUTED,
    FULFILLED,
    HELD,
    PAID,
    REFUNDED,
    RESOLVED,
    RETURNED,
    SHIPPED,
    TRANSITIONS,
)
from tests.orders.helpers import (
    ARBITER,
    AUTHORITY,
    DAY,
    ESCROW,
    PLATFORM,
    RETURN_WINDOW,
    SUPPLIER,
    UNIT,
    Chain,
    create_msg,
    item,
    ship_msg,
)

from stateset.orders.v1 import tx_pb2 as tx
from stateset.orders.v1.orders_pb2 import DisputeOutcome, RevenueSplit

CUSTOMERS = [address.encode(bytes([40 + i]) * 20) for i in range(2)]
MERCHANTS = [address.encode(bytes([50 + i]) * 20) for i in range(2)]
PAYER = address.encode(bytes([60]) * 20)
SIGNERS = CUSTOMERS + MERCHANTS + [PAYER, AUTHORITY, ARBITER]
ACCOUNTS = SIGNERS + [PLATFORM, SUPPLIER, ESCROW]
FUNDS = 10**6 * UNIT

# action -> (the status it moves to, or None if it may keep the status; roles that may sign it)
ACTIONS = {
    "pay": (None, None),  # anyone; CREATED -> PAID when the total is covered
    "fulfill": (FULFILLED, {"merchant"}),
    "ship": (SHIPPED, {"merchant"}),
    "deliver": (DELIVERED, {"merchant", "customer"}),
    "cancel": (CANCELLED, {"customer", "merchant", "authority"}),
    "hold": (HELD, {"merchant", "authority"}),
    "release": (PAID, {"merchant", "authority"}),
    "return": (RETURNED, {"customer"}),
    "refund": (None, {"merchant"}),  # partial keeps the status, full -> REFUNDED
    "dispute": (DISPUTED, {"customer", "merchant"}),
    "resolve": (RESOLVED, {"arbiter"}),
}
OUTCOMES = [
    DisputeOutcome.DISPUTE_OUTCOME_REFUND_FULL,
    DisputeOutcome.DISPUTE_OUTCOME_REFUND_PARTIAL,
    DisputeOutcome.DISPUTE_OUTCOME_RELEASE_TO_MERCHANT,
]


# Actions that usually make progress from a status, so random runs reach deep states.
NATURAL = {
    CREATED: ["pay", "pay", "cancel"],
    PAID: ["fulfill", "hold", "refund", "dispute"],
    FULFILLED: ["ship", "cancel", "dispute"],
    SHIPPED: ["deliver", "return", "dispute"],
    DELIVERED: ["return", "dispute", "refund"],
    HELD: ["release", "cancel"],
    RETURNED: ["refund"],
    DISPUTED: ["resolve"],
}


HAPPY_PATH = {CREATED: "pay", PAID: "fulfill", FULFILLED: "ship", SHIPPED: "deliver"}


def likely_signers(action: str, order) -> list[str]:
    """Addresses that usually hold a role the action allows (a random signer is drawn too)."""
    return {
        "pay": [order.customer, PAYER],
        "deliver": [order.merchant, order.customer],
        "cancel": [order.customer, order.merchant, AUTHORITY],
        "hold": [order.merchant, AUTHORITY],
        "release": [order.merchant, AUTHORITY],
        "return": [order.customer],
        "dispute": [order.customer, order.merchant],
        "resolve": [ARBITER],
    }.get(action, [order.merchant])


class OrdersMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        holdings = {a: {"ussusd": FUNDS, "uusdc": FUNDS} for a in CUSTOMERS + [PAYER]}
        self.chain = Chain(holdings=holdings)
        self.totals = self.money()
        self.order_ids: list[str] = []

    def money(self) -> dict[str, int]:
        return {
            denom: sum(self.chain.balance(a, denom) for a in ACCOUNTS)
            for denom in ("ussusd", "uusdc")
        }

    @precondition(lambda self: len(self.order_ids) < 4)
    @rule(
        c=st.integers(0, 1),
        m=st.integers(0, 1),
        cents=st.integers(1, 50_000),
        usdc=st.booleans(),
        split=st.booleans(),
    )
    def create(self, c, m, cents, usdc, split):
        customer, merchant = CUSTOMERS[c], MERCHANTS[m]
        msg = create_msg(
            creator=merchant if split else customer,
            customer=customer,
            merchant=merchant,
            items=[item(price=f"{cents // 100}.{cents % 100:02d}")],
            currency="usdc" if usdc else "",
            split=RevenueSplit(
                supplier=SUPPLIER, merchant_bps=8000, supplier_bps=1500, platform_bps=500
            )
            if split
            else None,
        )
        self.order_ids.append(self.chain.deliver(msg).order_id)

    @precondition(lambda self: self.order_ids)
    @rule(data=st.data(), steps=st.integers(1, 4))
    def fast_forward(self, data, steps):
        """Up to ``steps`` happy-path actions on one order, each by its usual signer."""
        oid = data.draw(st.sampled_from(self.order_ids))
        for _ in range(steps):
            order = self.chain.order(oid)
            action = HAPPY_PATH.get(order.status)
            if action is None:
                return
            self.attempt(data, oid, action, likely_signers(action, order)[0])

    @rule(seconds=st.sampled_from([1, DAY, RETURN_WINDOW]))
    def wait(self, seconds):
        self.chain.advance(seconds)
        if "OrderSettled" in self.chain.order_events():
            event("end-block settled an order")

    @precondition(lambda self: self.order_ids)
    @rule(data=st.data())
    def act(self, data):
        """Any action, any signer: mostly refused."""
        oid = data.draw(st.sampled_from(self.order_ids))
        action = data.draw(st.sampled_from(sorted(ACTIONS)))
        self.attempt(data, oid, action, data.draw(st.sampled_from(SIGNERS)))

    @precondition(lambda self: self.order_ids)
    @rule(data=st.data())
    def progress(self, data):
        """An action that usually moves the order on, by a signer that usually may."""
        oid = data.draw(st.sampled_from(self.order_ids))
        order = self.chain.order(oid)
        action = data.draw(st.sampled_from(NATURAL.get(order.status, sorted(ACTIONS))))
        self.attempt(data, oid, action, data.draw(st.sampled_from(likely_signers(action, order))))

    def attempt(self, data, oid: str, action: str, signer: str) -> None:
        before = self.chain.order(oid)
        msg = self.message(data, action, oid, signer, before)
        snapshot = list(self.chain.store.iterate())
        try:
            self.chain.deliver(msg)
        except ChainError as e:
            assert list(self.chain.store.iterate()) == snapshot
            event(f"{action} refused: {type(e).__name__}")
            return
        event(f"{action} succeeded")
        self.check_success(action, signer, before, self.chain.order(oid))

    def message(self, data, action, oid, signer, order):
        left, due = escrow.escrowed(order), escrow.amount_due(order)
        if action == "pay":
            amount = data.draw(st.sampled_from([due, due, max(1, due // 2), due + 1]))
            denom = data.draw(st.sampled_from([order.denom] * 4 + ["uusdc", "ussusd"]))
            return tx.MsgPayOrder(
                payer=signer, order_id=oid, amount=Coin(denom, max(1, amount)).to_proto()
            )
        if action == "fulfill":
            return tx.MsgFulfillOrder(signer=signer, order_id=oid)
        if action == "ship":
            return ship_msg(oid, signer=signer)
        if action == "deliver":
            return tx.MsgDeliverOrder(signer=signer, order_id=oid)
        if action == "cancel":
            return tx.MsgCancelOrder(signer=signer, order_id=oid)
        if action == "hold":
            return tx.MsgHoldOrder(signer=signer, order_id=oid)
        if action == "release":
            return tx.MsgReleaseOrder(signer=signer, order_id=oid)
        if action == "return":
            return tx.MsgReturnOrder(signer=signer, order_id=oid)
        if action == "refund":
            amount = data.draw(st.sampled_from(["", str(max(1, left // 3)), str(left + 1)]))
            return tx.MsgRefundOrder(signer=signer, order_id=oid, amount=amount)
        if action == "dispute":
            return tx.MsgDisputeOrder(signer=signer, order_id=oid, reason="r")
        outcome = data.draw(st.sampled_from(OUTCOMES))
        partial = outcome == DisputeOutcome.DISPUTE_OUTCOME_REFUND_PARTIAL
        return tx.MsgResolveDispute(
            arbiter=signer,
            order_id=oid,
            outcome=outcome,
            refund_amount=str(max(1, left // 2)) if partial else "",
        )

    def check_success(self, action, signer, before, after):
        target, allowed = ACTIONS[action]
        if after.status != before.status:
            assert after.status in TRANSITIONS[before.status]
            assert after.timeline[-1].status == after.status
        if target is not None:
            assert after.status == target
        if action == "pay":
            assert after.status == before.status or after.status == PAID
        if action == "refund":
            assert after.status in (before.status, REFUNDED)
        if allowed is not None:
            roles = set()
            if signer == before.customer:
                roles.add("customer")
            if signer == before.merchant:
                roles.add("merchant")
            if signer == AUTHORITY:
                roles.add("authority")
            if signer == ARBITER:
                roles.add("arbiter")
            assert roles & allowed, f"{action} by {signer} succeeded"

    @invariant()
    def invariants_hold_and_money_is_conserved(self):
        self.chain.check_invariants()
        assert self.money() == self.totals


OrdersMachine.TestCase.settings = settings(
    max_examples=120,
    stateful_step_count=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_orders_state_machine = OrdersMachine.TestCase
