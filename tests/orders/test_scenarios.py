"""Declarative scenarios: an order, a list of steps, and the expected end state (status, payment
status, each party's net balance change, the timeline). Invariants are checked after every step.

Prices are 100 ssUSD unless stated; the platform fee is 2.5%; the return window is 7 days.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

import stateset_chain.pb  # noqa: F401
from tests.orders.helpers import (
    ARBITER,
    AUTHORITY,
    CUSTOMER,
    DAY,
    ESCROW,
    MERCHANT,
    PLATFORM,
    RETURN_WINDOW,
    STRANGER,
    SUPPLIER,
    UNIT,
    Chain,
    create_msg,
    item,
    pay_msg,
    ship_msg,
)

from stateset.orders.v1 import tx_pb2 as tx
from stateset.orders.v1.orders_pb2 import (
    DisputeOutcome,
    OrderStatus,
    PaymentStatus,
    RevenueSplit,
)

PARTIES = {
    "customer": CUSTOMER,
    "stranger": STRANGER,
    "merchant": MERCHANT,
    "platform": PLATFORM,
    "supplier": SUPPLIER,
    "escrow": ESCROW,
    "authority": AUTHORITY,
    "arbiter": ARBITER,
}
D = UNIT  # one dollar
OUTCOMES = {
    "FULL": DisputeOutcome.DISPUTE_OUTCOME_REFUND_FULL,
    "PARTIAL": DisputeOutcome.DISPUTE_OUTCOME_REFUND_PARTIAL,
    "RELEASE": DisputeOutcome.DISPUTE_OUTCOME_RELEASE_TO_MERCHANT,
}


@dataclass
class Scenario:
    name: str
    steps: list[tuple]
    status: str
    payment_status: str
    deltas: dict[str, int]  # net ussusd change per party; unlisted parties: 0
    timeline: list[str]
    order: dict = field(default_factory=dict)


SCENARIOS = [
    Scenario(
        "happy path settles after the return window",
        [("pay",), ("fulfill",), ("ship",), ("deliver",), ("wait", RETURN_WINDOW)],
        "DELIVERED",
        "SETTLED",
        {"customer": -100 * D, "merchant": 97_500_000, "platform": 2_500_000},
        ["CREATED", "PAID", "FULFILLED", "SHIPPED", "DELIVERED"],
    ),
    Scenario(
        "happy path with tax and shipping, delivery confirmed by the customer",
        [
            ("pay",),
            ("fulfill",),
            ("ship",),
            ("deliver", "customer"),
            ("wait", RETURN_WINDOW - 1),
            ("wait", 1),
        ],
        "DELIVERED",
        "SETTLED",
        # 100 + 7.25 tax (US/CA) + 5 shipping = 112.25; fee 2.80625
        {"customer": -112_250_000, "merchant": 109_443_750, "platform": 2_806_250},
        ["CREATED", "PAID", "FULFILLED", "SHIPPED", "DELIVERED"],
        {"country": "US", "region": "CA", "shipping_method": "standard"},
    ),
    Scenario(
        "cancel after pay (fulfilled, then out of stock)",
        [("pay",), ("fulfill",), ("cancel", "merchant")],
        "CANCELLED",
        "REFUNDED",
        {},
        ["CREATED", "PAID", "FULFILLED", "CANCELLED"],
    ),
    Scenario(
        "cancel a partially paid order: each payer gets their part back",
        [("pay", "customer", 30 * D), ("pay", "stranger", 20 * D), ("cancel", "customer")],
        "CANCELLED",
        "REFUNDED",
        {},
        ["CREATED", "CANCELLED"],
    ),
    Scenario(
        "partial refund, then the rest settles",
        [
            ("pay",),
            ("refund", 30 * D),
            ("fulfill",),
            ("ship",),
            ("deliver",),
            ("wait", RETURN_WINDOW),
        ],
        "DELIVERED",
        "SETTLED",
        {"customer": -70 * D, "merchant": 68_250_000, "platform": 1_750_000},
        ["CREATED", "PAID", "FULFILLED", "SHIPPED", "DELIVERED"],
    ),
    Scenario(
        "return and full refund",
        [
            ("pay",),
            ("fulfill",),
            ("ship",),
            ("deliver",),
            ("wait", 3 * DAY),
            ("return",),
            ("wait", RETURN_WINDOW),
            ("refund", None),
        ],
        "REFUNDED",
        "REFUNDED",
        {},
        ["CREATED", "PAID", "FULFILLED", "SHIPPED", "DELIVERED", "RETURNED", "REFUNDED"],
    ),
    Scenario(
        "return with a restocking fee",
        [("pay",), ("fulfill",), ("ship",), ("return",), ("refund", 85 * D)],
        "REFUNDED",
        "SETTLED",
        {"customer": -15 * D, "merchant": 14_625_000, "platform": 375_000},
        ["CREATED", "PAID", "FULFILLED", "SHIPPED", "RETURNED", "REFUNDED"],
    ),
    Scenario(
        "dispute decided for the customer",
        [("pay",), ("fulfill",), ("ship",), ("dispute", "customer"), ("resolve", "FULL")],
        "RESOLVED",
        "REFUNDED",
        {},
        ["CREATED", "PAID", "FULFILLED", "SHIPPED", "DISPUTED", "RESOLVED"],
    ),
    Scenario(
        "dispute of a delivered order decided for the merchant",
        [
            ("pay",),
            ("fulfill",),
            ("ship",),
            ("deliver",),
            ("dispute", "customer"),
            ("wait", RETURN_WINDOW),
            ("resolve", "RELEASE"),
        ],
        "RESOLVED",
        "SETTLED",
        {"customer": -100 * D, "merchant": 97_500_000, "platform": 2_500_000},
        ["CREATED", "PAID", "FULFILLED", "SHIPPED", "DELIVERED", "DISPUTED", "RESOLVED"],
    ),
    Scenario(
        "dispute split by the arbiter",
        [("pay",), ("dispute", "merchant"), ("resolve", "PARTIAL", 40 * D)],
        "RESOLVED",
        "SETTLED",
        {"customer": -60 * D, "merchant": 58_500_000, "platform": 1_500_000},
        ["CREATED", "PAID", "DISPUTED", "RESOLVED"],
    ),
    Scenario(
        "hold and release, then the happy path",
        [
            ("pay",),
            ("hold", "authority"),
            ("release", "authority"),
            ("hold", "merchant"),
            ("release", "merchant"),
            ("fulfill",),
            ("ship",),
            ("deliver",),
            ("wait", RETURN_WINDOW),
        ],
        "DELIVERED",
        "SETTLED",
        {"customer": -100 * D, "merchant": 97_500_000, "platform": 2_500_000},
        [
            "CREATED",
            "PAID",
            "HELD",
            "PAID",
            "HELD",
            "PAID",
            "FULFILLED",
            "SHIPPED",
            "DELIVERED",
        ],
    ),
    Scenario(
        "held then cancelled by the authority",
        [("pay",), ("hold", "authority"), ("cancel", "authority")],
        "CANCELLED",
        "REFUNDED",
        {},
        ["CREATED", "PAID", "HELD", "CANCELLED"],
    ),
    Scenario(
        "multi-party order: two payers, settled through the revenue split",
        [
            ("pay", "customer", 60 * D),
            ("pay", "stranger", 40 * D),
            ("fulfill",),
            ("ship",),
            ("deliver",),
            ("wait", RETURN_WINDOW),
        ],
        "DELIVERED",
        "SETTLED",
        {
            "customer": -60 * D,
            "stranger": -40 * D,
            "merchant": 70 * D,
            "supplier": 25 * D,
            "platform": 5 * D,
        },
        ["CREATED", "PAID", "FULFILLED", "SHIPPED", "DELIVERED"],
        {
            "creator": MERCHANT,
            "split": RevenueSplit(
                supplier=SUPPLIER, merchant_bps=7000, supplier_bps=2500, platform_bps=500
            ),
        },
    ),
]


def run_step(chain: Chain, oid: str, step: tuple) -> None:
    action, *args = step
    who = PARTIES[args[0]] if args and isinstance(args[0], str) and args[0] in PARTIES else None
    if action == "pay":
        amount = args[1] if len(args) > 1 else chain.order(oid).total
        chain.deliver(pay_msg(oid, amount, payer=who or CUSTOMER))
    elif action == "fulfill":
        chain.deliver(tx.MsgFulfillOrder(signer=MERCHANT, order_id=oid))
    elif action == "ship":
        chain.deliver(ship_msg(oid))
    elif action == "deliver":
        chain.deliver(tx.MsgDeliverOrder(signer=who or MERCHANT, order_id=oid))
    elif action == "wait":
        chain.advance(args[0])
    elif action == "cancel":
        chain.deliver(tx.MsgCancelOrder(signer=who, order_id=oid, reason="scenario"))
    elif action == "hold":
        chain.deliver(tx.MsgHoldOrder(signer=who, order_id=oid, reason="scenario"))
    elif action == "release":
        chain.deliver(tx.MsgReleaseOrder(signer=who, order_id=oid, reason="scenario"))
    elif action == "return":
        chain.deliver(tx.MsgReturnOrder(signer=CUSTOMER, order_id=oid, reason="scenario"))
    elif action == "refund":
        amount = "" if args[0] is None else str(args[0])
        chain.deliver(tx.MsgRefundOrder(signer=MERCHANT, order_id=oid, amount=amount))
    elif action == "dispute":
        chain.deliver(tx.MsgDisputeOrder(signer=who, order_id=oid, reason="scenario"))
    elif action == "resolve":
        outcome = OUTCOMES[args[0]]
        amount = str(args[1]) if len(args) > 1 else ""
        chain.deliver(
            tx.MsgResolveDispute(
                arbiter=ARBITER, order_id=oid, outcome=outcome, refund_amount=amount
            )
        )
    else:
        raise AssertionError(f"unknown step {step}")


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_scenario(scenario: Scenario):
    chain = Chain()
    before = {name: chain.balance(addr) for name, addr in PARTIES.items()}
    fields = {"items": [item(price="100")], **scenario.order}
    oid = chain.deliver(create_msg(**fields)).order_id
    for step in scenario.steps:
        run_step(chain, oid, step)
        chain.check_invariants()
    order = chain.order(oid)
    assert OrderStatus.Name(order.status) == f"ORDER_STATUS_{scenario.status}"
    assert PaymentStatus.Name(order.payment_status) == f"PAYMENT_STATUS_{scenario.payment_status}"
    deltas = {name: chain.balance(addr) - before[name] for name, addr in PARTIES.items()}
    assert deltas == {name: scenario.deltas.get(name, 0) for name in PARTIES}
    assert [OrderStatus.Name(e.status)[13:] for e in order.timeline] == scenario.timeline
