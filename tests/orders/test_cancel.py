"""MsgCancelOrder: who may cancel when, and the escrow going back to the payers."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.orders.errors import FieldTooLong, InvalidTransition, NotAuthorized
from tests.orders.helpers import (
    AUTHORITY,
    CUSTOMER,
    ESCROW,
    MERCHANT,
    STRANGER,
    UNIT,
    Chain,
    item,
    pay_msg,
)

from stateset.orders.v1 import events_pb2
from stateset.orders.v1 import tx_pb2 as tx
from stateset.orders.v1.orders_pb2 import OrderStatus, PaymentStatus

CANCELLED = OrderStatus.ORDER_STATUS_CANCELLED


def cancel(oid: str, signer: str, reason: str = "changed my mind") -> tx.MsgCancelOrder:
    return tx.MsgCancelOrder(signer=signer, order_id=oid, reason=reason)


@pytest.mark.parametrize("signer", [CUSTOMER, MERCHANT])
def test_customer_or_merchant_cancels_an_unpaid_order(signer):
    chain = Chain()
    oid = chain.create()
    response = chain.deliver(cancel(oid, signer))
    assert response.status == chain.order(oid).status == CANCELLED
    assert response.refunded == 0
    [event] = chain.typed(events_pb2.OrderCancelled)
    assert (event.signer, event.reason, event.previous_status) == (
        signer,
        "changed my mind",
        OrderStatus.ORDER_STATUS_CREATED,
    )
    assert not event.HasField("refund")
    assert chain.event_types() == ["OrderCancelled"]
    chain.check_invariants()


def test_cancelling_a_partially_paid_order_returns_each_payer_their_money():
    chain = Chain()
    oid = chain.create(items=[item(price="100")])
    customer, stranger = chain.balance(CUSTOMER), chain.balance(STRANGER)
    chain.deliver(pay_msg(oid, 30 * UNIT))
    chain.deliver(pay_msg(oid, 20 * UNIT, payer=STRANGER))
    chain.deliver(cancel(oid, CUSTOMER))
    assert (chain.balance(CUSTOMER), chain.balance(STRANGER)) == (customer, stranger)
    assert chain.balance(ESCROW) == 0
    order = chain.order(oid)
    assert order.payment_status == PaymentStatus.PAYMENT_STATUS_REFUNDED
    [event] = chain.typed(events_pb2.OrderCancelled)
    assert [(p.recipient, p.amount) for p in event.refund.payouts] == [
        (CUSTOMER, 30 * UNIT),
        (STRANGER, 20 * UNIT),
    ]
    chain.check_invariants()


def test_merchant_cancels_a_fulfilled_order_with_a_full_refund():
    chain = Chain()
    oid = chain.to_status("FULFILLED", items=[item(price="42")])
    before = chain.balance(CUSTOMER)
    response = chain.deliver(cancel(oid, MERCHANT, "out of stock"))
    assert response.refunded == 42 * UNIT
    assert chain.balance(CUSTOMER) == before + 42 * UNIT
    assert chain.order(oid).refunds[0].reason == "out of stock"
    chain.check_invariants()


@pytest.mark.parametrize("signer", [MERCHANT, AUTHORITY])
def test_merchant_or_authority_cancels_a_held_order(signer):
    chain = Chain()
    oid = chain.to_status("HELD")
    chain.deliver(cancel(oid, signer))
    assert chain.order(oid).status == CANCELLED
    assert chain.balance(ESCROW) == 0


def test_customer_may_cancel_only_created_orders():
    chain = Chain()
    for status in ("FULFILLED", "HELD"):
        oid = chain.to_status(status)
        with pytest.raises(NotAuthorized):
            chain.deliver(cancel(oid, CUSTOMER))


def test_authority_may_cancel_only_held_orders():
    chain = Chain()
    with pytest.raises(NotAuthorized):
        chain.deliver(cancel(chain.create(), AUTHORITY))


def test_strangers_may_not_cancel():
    chain = Chain()
    with pytest.raises(NotAuthorized):
        chain.deliver(cancel(chain.create(), STRANGER))


@pytest.mark.parametrize("status", ["PAID", "SHIPPED", "DELIVERED", "RETURNED", "DISPUTED"])
def test_cancel_outside_the_table_is_invalid(status):
    chain = Chain()
    oid = chain.to_status(status)
    with pytest.raises(InvalidTransition):
        chain.deliver(cancel(oid, MERCHANT))


def test_cancelled_is_terminal():
    chain = Chain()
    oid = chain.create()
    chain.deliver(cancel(oid, CUSTOMER))
    with pytest.raises(InvalidTransition):
        chain.deliver(cancel(oid, MERCHANT))


def test_reason_longer_than_the_limit_is_refused():
    chain = Chain()
    with pytest.raises(FieldTooLong):
        chain.deliver(cancel(chain.create(), CUSTOMER, "r" * 129))
