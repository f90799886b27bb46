"""MsgFulfillOrder: the merchant moves a paid order to FULFILLED."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.errors import InvalidAddress
from stateset_chain.orders.errors import (
    InsufficientPayment,
    InvalidOrderId,
    InvalidTransition,
    NotAuthorized,
    OrderNotFound,
)
from tests.orders.helpers import AUTHORITY, CUSTOMER, MERCHANT, UNIT, Chain, pay_msg

from stateset.orders.v1 import events_pb2
from stateset.orders.v1 import tx_pb2 as tx
from stateset.orders.v1.orders_pb2 import OrderStatus


def fulfil(oid: str, signer: str = MERCHANT) -> tx.MsgFulfillOrder:
    return tx.MsgFulfillOrder(signer=signer, order_id=oid)


def test_merchant_fulfils_a_paid_order():
    chain = Chain()
    oid = chain.paid_order()
    response = chain.deliver(fulfil(oid))
    assert response.status == chain.order(oid).status == OrderStatus.ORDER_STATUS_FULFILLED
    [event] = chain.typed(events_pb2.OrderFulfilled)
    assert (event.order_id, event.merchant, list(event.items)) == (
        oid,
        MERCHANT,
        list(chain.order(oid).items),
    )
    assert [e.status for e in chain.order(oid).timeline] == [1, 2, 3]
    chain.check_invariants()


@pytest.mark.parametrize("signer", [CUSTOMER, AUTHORITY])
def test_only_the_merchant_fulfils(signer):
    chain = Chain()
    oid = chain.paid_order()
    with pytest.raises(NotAuthorized):
        chain.deliver(fulfil(oid, signer))


def test_an_unpaid_or_partially_paid_order_is_insufficient_payment():
    chain = Chain()
    oid = chain.create()
    with pytest.raises(InsufficientPayment):
        chain.deliver(fulfil(oid))
    chain.deliver(pay_msg(oid, UNIT))
    with pytest.raises(InsufficientPayment):
        chain.deliver(fulfil(oid))


@pytest.mark.parametrize("status", ["FULFILLED", "SHIPPED", "HELD", "DELIVERED"])
def test_fulfil_outside_paid_is_an_invalid_transition(status):
    chain = Chain()
    oid = chain.to_status(status)
    with pytest.raises(InvalidTransition):
        chain.deliver(fulfil(oid))


def test_unknown_or_malformed_order_and_signer():
    chain = Chain()
    with pytest.raises(OrderNotFound):
        chain.deliver(fulfil("ord_0000000000"))
    with pytest.raises(InvalidOrderId):
        chain.deliver(fulfil("0000000000"))
    with pytest.raises(InvalidAddress):
        chain.deliver(fulfil("ord_0000000000", "merchant"))


def test_signer_is_the_signer_field():
    assert Chain().signers(fulfil("ord_0000000000")) == [MERCHANT]
