"""MsgCreateAndPayOrder: the order is created and paid in full in one message, or neither."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.errors import InsufficientFunds
from stateset_chain.orders.errors import CreatorNotParty, MissingField, NoItems
from tests.orders.helpers import CUSTOMER, ESCROW, MERCHANT, STRANGER, UNIT, Chain, create_msg, item

from stateset.orders.v1 import events_pb2
from stateset.orders.v1 import tx_pb2 as tx
from stateset.orders.v1.orders_pb2 import OrderStatus


def create_and_pay(**kwargs) -> tx.MsgCreateAndPayOrder:
    return tx.MsgCreateAndPayOrder(order=create_msg(**kwargs), method="card")


def test_creates_and_pays_in_one_message_and_returns_both_ids():
    chain = Chain()
    before = chain.balance(CUSTOMER)
    response = chain.deliver(create_and_pay(items=[item(price="40")], country="US", region="CA"))
    order = chain.order(response.order_id)
    assert order.status == OrderStatus.ORDER_STATUS_PAID
    assert response.status == OrderStatus.ORDER_STATUS_PAID
    assert response.total == order.total == 40 * UNIT + 2_900_000  # 7.25% tax
    [payment] = order.payments
    assert response.payment_id == payment.id
    assert (payment.payer, payment.method) == (CUSTOMER, "card")
    assert chain.balance(CUSTOMER) == before - order.total
    assert chain.balance(ESCROW) == order.total
    assert chain.order_events() == ["OrderCreated", "PaymentReceived", "OrderPaid"]
    chain.check_invariants()


def test_an_unfunded_creator_gets_neither_an_order_nor_a_payment():
    chain = Chain(holdings={CUSTOMER: {"ussusd": 5 * UNIT}, MERCHANT: {}})
    with pytest.raises(InsufficientFunds):
        chain.deliver(create_and_pay(items=[item(price="6")]))
    assert chain.balance(CUSTOMER) == 5 * UNIT
    assert chain.keeper.order_count(chain.store) == 0  # no order was created


def test_validation_is_create_orders():
    with pytest.raises(NoItems):
        Chain().deliver(create_and_pay(items=[]))
    with pytest.raises(CreatorNotParty):
        Chain().deliver(create_and_pay(creator=STRANGER))
    with pytest.raises(MissingField):
        Chain().deliver(tx.MsgCreateAndPayOrder())


def test_signer_is_the_order_creator():
    from stateset_chain.orders.msgs import create_and_pay as m

    assert m.signers(create_and_pay(creator=MERCHANT)) == [MERCHANT]
    assert events_pb2.OrderPaid  # the typed event the message emits
