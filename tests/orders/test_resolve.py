"""MsgResolveDispute: the arbiter refunds in full or in part, or releases to the merchant."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.orders.errors import (
    InvalidAmount,
    InvalidOutcome,
    InvalidTransition,
    NotAuthorized,
    OverRefund,
)
from tests.orders.helpers import (
    ARBITER,
    AUTHORITY,
    CUSTOMER,
    ESCROW,
    MERCHANT,
    PLATFORM,
    SUPPLIER,
    UNIT,
    Chain,
    item,
)

from stateset.orders.v1 import events_pb2
from stateset.orders.v1 import tx_pb2 as tx
from stateset.orders.v1.orders_pb2 import DisputeOutcome, OrderStatus, PaymentStatus, RevenueSplit

FULL = DisputeOutcome.DISPUTE_OUTCOME_REFUND_FULL
PARTIAL = DisputeOutcome.DISPUTE_OUTCOME_REFUND_PARTIAL
RELEASE = DisputeOutcome.DISPUTE_OUTCOME_RELEASE_TO_MERCHANT
PRICE = [item(price="100")]


def resolve(oid: str, outcome: int, amount: str = "", arbiter: str = ARBITER):
    return tx.MsgResolveDispute(
        arbiter=arbiter, order_id=oid, outcome=outcome, refund_amount=amount, note="decided"
    )


def balances(chain: Chain) -> list[int]:
    return [chain.balance(a) for a in (CUSTOMER, MERCHANT, PLATFORM, SUPPLIER, ESCROW)]


def test_full_refund_returns_everything_to_the_payer():
    chain = Chain()
    oid = chain.to_status("DISPUTED", items=PRICE)
    before = balances(chain)
    response = chain.deliver(resolve(oid, FULL))
    order = chain.order(oid)
    assert (response.status, response.refunded, response.settled) == (
        OrderStatus.ORDER_STATUS_RESOLVED,
        100 * UNIT,
        0,
    )
    assert balances(chain) == [before[0] + 100 * UNIT, before[1], before[2], before[3], 0]
    assert order.payment_status == PaymentStatus.PAYMENT_STATUS_REFUNDED
    d = order.dispute
    assert (d.outcome, d.refund_amount, d.resolved_by, d.note) == (
        FULL,
        100 * UNIT,
        ARBITER,
        "decided",
    )
    assert chain.event_types() == ["CoinsTransferred", "OrderRefunded", "OrderResolved"]
    chain.check_invariants()


def test_partial_refund_settles_the_rest_to_the_merchant():
    chain = Chain()
    oid = chain.to_status("DISPUTED", items=PRICE)
    before = balances(chain)
    response = chain.deliver(resolve(oid, PARTIAL, str(40 * UNIT)))
    assert (response.refunded, response.settled) == (40 * UNIT, 60 * UNIT)
    assert balances(chain) == [
        before[0] + 40 * UNIT,
        before[1] + 58_500_000,  # 60 less 2.5%
        before[2] + 1_500_000,
        before[3],
        0,
    ]
    assert chain.order_events() == ["OrderRefunded", "OrderSettled", "OrderResolved"]
    [resolved] = chain.typed(events_pb2.OrderResolved)
    assert (resolved.refunded, resolved.settled) == (40 * UNIT, 60 * UNIT)
    chain.check_invariants()


def test_release_settles_everything_through_the_revenue_split():
    chain = Chain()
    split = RevenueSplit(supplier=SUPPLIER, merchant_bps=6000, supplier_bps=3000, platform_bps=1000)
    oid = chain.to_status("DISPUTED", creator=MERCHANT, split=split, items=PRICE)
    before = balances(chain)
    response = chain.deliver(resolve(oid, RELEASE))
    assert (response.refunded, response.settled) == (0, 100 * UNIT)
    assert balances(chain) == [
        before[0],
        before[1] + 60 * UNIT,
        before[2] + 10 * UNIT,
        before[3] + 30 * UNIT,
        0,
    ]
    assert chain.order(oid).payment_status == PaymentStatus.PAYMENT_STATUS_SETTLED
    assert "OrderRefunded" not in chain.event_types()
    chain.check_invariants()


def test_partial_refund_beyond_the_escrow_is_refused():
    chain = Chain()
    oid = chain.to_status("DISPUTED", items=PRICE)
    with pytest.raises(OverRefund):
        chain.deliver(resolve(oid, PARTIAL, str(100 * UNIT + 1)))


@pytest.mark.parametrize("signer", [AUTHORITY, CUSTOMER, MERCHANT])
def test_only_the_arbiter_resolves(signer):
    chain = Chain()
    oid = chain.to_status("DISPUTED")
    with pytest.raises(NotAuthorized):
        chain.deliver(resolve(oid, FULL, arbiter=signer))


@pytest.mark.parametrize("status", ["PAID", "DELIVERED"])
def test_resolving_an_undisputed_order_is_invalid(status):
    chain = Chain()
    with pytest.raises(InvalidTransition):
        chain.deliver(resolve(chain.to_status(status), FULL))


def test_resolved_is_terminal():
    chain = Chain()
    oid = chain.to_status("DISPUTED")
    chain.deliver(resolve(oid, RELEASE))
    with pytest.raises(InvalidTransition):
        chain.deliver(resolve(oid, FULL))


@pytest.mark.parametrize(
    ("outcome", "amount", "error"),
    [
        (0, "", InvalidOutcome),
        (9, "", InvalidOutcome),
        (FULL, "5", InvalidOutcome),
        (RELEASE, "5", InvalidOutcome),
        (PARTIAL, "", InvalidAmount),
        (PARTIAL, "0", InvalidAmount),
    ],
)
def test_validate_refuses_bad_outcomes(outcome, amount, error):
    chain = Chain()
    oid = chain.to_status("DISPUTED")
    with pytest.raises(error):
        chain.deliver(resolve(oid, outcome, amount))


def test_signer_is_the_arbiter_field():
    assert Chain().signers(resolve("ord_0000000000", FULL)) == [ARBITER]
