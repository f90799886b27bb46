"""MsgRefundOrder: full refunds end in REFUNDED; partial refunds keep the rest in escrow;
a returned order's refund finishes it and settles any remainder to the merchant."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import BlockInfo
from stateset_chain.orders.errors import (
    InvalidAmount,
    InvalidTransition,
    NotAuthorized,
    OverRefund,
    ReturnWindowClosed,
)
from tests.orders.helpers import (
    CUSTOMER,
    ESCROW,
    MERCHANT,
    PLATFORM,
    RETURN_WINDOW,
    STRANGER,
    UNIT,
    Chain,
    item,
    pay_msg,
)

from stateset.orders.v1 import events_pb2
from stateset.orders.v1 import tx_pb2 as tx
from stateset.orders.v1.orders_pb2 import OrderStatus, PaymentStatus

PRICE = [item(price="100")]


def refund(oid: str, amount: int | None = None, signer: str = MERCHANT) -> tx.MsgRefundOrder:
    return tx.MsgRefundOrder(
        signer=signer, order_id=oid, amount="" if amount is None else str(amount), reason="sorry"
    )


def test_full_refund_of_a_paid_order():
    chain = Chain()
    oid = chain.to_status("PAID", items=PRICE)
    before = chain.balance(CUSTOMER)
    response = chain.deliver(refund(oid))
    order = chain.order(oid)
    assert response.refunded == 100 * UNIT
    assert response.status == order.status == OrderStatus.ORDER_STATUS_REFUNDED
    assert order.payment_status == PaymentStatus.PAYMENT_STATUS_REFUNDED
    assert chain.balance(CUSTOMER) == before + 100 * UNIT and chain.balance(ESCROW) == 0
    [event] = chain.typed(events_pb2.OrderRefunded)
    assert event.refund == order.refunds[0] and event.refund.id.startswith("rfd_")
    assert [(p.recipient, p.amount) for p in event.refund.payouts] == [(CUSTOMER, 100 * UNIT)]
    assert event.status == OrderStatus.ORDER_STATUS_REFUNDED
    chain.check_invariants()


def test_an_explicit_amount_equal_to_the_escrow_is_a_full_refund():
    chain = Chain()
    oid = chain.to_status("PAID", items=PRICE)
    chain.deliver(refund(oid, 100 * UNIT))
    assert chain.order(oid).status == OrderStatus.ORDER_STATUS_REFUNDED


def test_partial_refund_keeps_the_status_and_the_rest_in_escrow():
    chain = Chain()
    oid = chain.to_status("PAID", items=PRICE)
    response = chain.deliver(refund(oid, 30 * UNIT))
    order = chain.order(oid)
    assert response.status == order.status == OrderStatus.ORDER_STATUS_PAID
    assert order.payment_status == PaymentStatus.PAYMENT_STATUS_PARTIALLY_REFUNDED
    assert chain.balance(ESCROW) == 70 * UNIT
    chain.deliver(refund(oid))  # the rest
    assert chain.order(oid).status == OrderStatus.ORDER_STATUS_REFUNDED
    assert [r.amount for r in chain.order(oid).refunds] == [30 * UNIT, 70 * UNIT]
    chain.check_invariants()


def test_refunds_go_to_payers_oldest_payment_first():
    chain = Chain()
    oid = chain.create(items=PRICE)
    chain.deliver(pay_msg(oid, 60 * UNIT))
    chain.deliver(pay_msg(oid, 40 * UNIT, payer=STRANGER))
    customer, stranger = chain.balance(CUSTOMER), chain.balance(STRANGER)
    chain.deliver(refund(oid, 70 * UNIT))
    assert chain.balance(CUSTOMER) == customer + 60 * UNIT
    assert chain.balance(STRANGER) == stranger + 10 * UNIT
    chain.deliver(refund(oid))
    assert chain.balance(STRANGER) == stranger + 40 * UNIT
    assert [p.refunded for p in chain.order(oid).payments] == [60 * UNIT, 40 * UNIT]
    chain.check_invariants()


def test_refund_beyond_the_escrow_is_refused():
    chain = Chain()
    oid = chain.to_status("PAID", items=PRICE)
    with pytest.raises(OverRefund):
        chain.deliver(refund(oid, 100 * UNIT + 1))
    chain.deliver(refund(oid, 50 * UNIT))
    with pytest.raises(OverRefund):
        chain.deliver(refund(oid, 50 * UNIT + 1))


@pytest.mark.parametrize("status", ["FULFILLED", "SHIPPED", "DELIVERED"])
def test_partial_refunds_are_allowed_while_the_order_moves_on(status):
    chain = Chain()
    oid = chain.to_status(status, items=PRICE)
    chain.deliver(refund(oid, 10 * UNIT))
    assert chain.order(oid).status == getattr(OrderStatus, f"ORDER_STATUS_{status}")
    assert chain.balance(ESCROW) == 90 * UNIT


@pytest.mark.parametrize("status", ["FULFILLED", "SHIPPED", "DELIVERED"])
def test_full_refund_outside_paid_or_returned_is_invalid(status):
    chain = Chain()
    oid = chain.to_status(status)
    with pytest.raises(InvalidTransition):
        chain.deliver(refund(oid))


@pytest.mark.parametrize("status", ["HELD", "DISPUTED"])
def test_no_refunds_while_held_or_disputed(status):
    chain = Chain()
    oid = chain.to_status(status, items=PRICE)
    for amount in (None, UNIT):
        with pytest.raises(InvalidTransition):
            chain.deliver(refund(oid, amount))


def test_no_refund_of_an_unpaid_or_partially_paid_order():
    chain = Chain()
    oid = chain.create(items=PRICE)
    with pytest.raises(InvalidTransition):
        chain.deliver(refund(oid))
    chain.deliver(pay_msg(oid, 10 * UNIT))
    with pytest.raises(InvalidTransition):
        chain.deliver(refund(oid, UNIT))


def test_delivered_partial_refund_then_settlement_pays_the_rest():
    chain = Chain()
    oid = chain.to_status("DELIVERED", items=PRICE)
    chain.deliver(refund(oid, 20 * UNIT))
    merchant = chain.balance(MERCHANT)
    chain.advance(RETURN_WINDOW)
    settled = chain.order(oid).settlement
    assert settled.amount == 80 * UNIT
    assert settled.platform_amount == 2 * UNIT  # 2.5% of 80
    assert chain.balance(MERCHANT) == merchant + 78 * UNIT
    assert chain.order(oid).payment_status == PaymentStatus.PAYMENT_STATUS_SETTLED
    chain.check_invariants()


def test_delivered_partial_refund_after_the_due_time_is_refused():
    chain = Chain()
    oid = chain.to_status("DELIVERED")
    due = chain.order(oid).settlement_due
    chain.block = BlockInfo(2, due.seconds * 10**9, "test")
    with pytest.raises(ReturnWindowClosed):
        chain.deliver(refund(oid, 1))


def test_returned_order_full_refund():
    chain = Chain()
    oid = chain.to_status("RETURNED", items=PRICE)
    before = chain.balance(CUSTOMER)
    chain.deliver(refund(oid))
    assert chain.order(oid).status == OrderStatus.ORDER_STATUS_REFUNDED
    assert chain.balance(CUSTOMER) == before + 100 * UNIT
    assert chain.event_types() == ["CoinsTransferred", "OrderRefunded"]
    chain.check_invariants()


def test_returned_order_partial_refund_settles_the_restocking_fee():
    chain = Chain()
    oid = chain.to_status("RETURNED", items=PRICE)
    customer, merchant, platform = (chain.balance(a) for a in (CUSTOMER, MERCHANT, PLATFORM))
    response = chain.deliver(refund(oid, 90 * UNIT))
    order = chain.order(oid)
    assert response.status == order.status == OrderStatus.ORDER_STATUS_REFUNDED
    assert chain.balance(CUSTOMER) == customer + 90 * UNIT
    assert chain.balance(MERCHANT) == merchant + 9_750_000  # 10 less 2.5%
    assert chain.balance(PLATFORM) == platform + 250_000
    assert chain.balance(ESCROW) == 0
    assert order.settled and order.payment_status == PaymentStatus.PAYMENT_STATUS_SETTLED
    assert chain.order_events() == ["OrderRefunded", "OrderSettled"]
    chain.check_invariants()


def test_only_the_merchant_refunds():
    chain = Chain()
    with pytest.raises(NotAuthorized):
        chain.deliver(refund(chain.paid_order(), signer=CUSTOMER))


@pytest.mark.parametrize("amount", ["0", "1.5", "-1", "01", "abc"])
def test_validate_refuses_bad_amounts(amount):
    chain = Chain()
    msg = refund(chain.paid_order())
    msg.amount = amount
    with pytest.raises(InvalidAmount):
        chain.deliver(msg)
