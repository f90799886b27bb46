"""MsgDeliverOrder: SHIPPED -> DELIVERED by merchant or customer; settlement is scheduled."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.orders.errors import InvalidTransition, NotAuthorized
from stateset_chain.orders.state import OrdersKeeper
from stateset_chain.timefmt import NS, timestamp_ns
from tests.orders.helpers import (
    AUTHORITY,
    CUSTOMER,
    MERCHANT,
    RETURN_WINDOW,
    START_NS,
    STRANGER,
    Chain,
)

from stateset.orders.v1 import events_pb2
from stateset.orders.v1 import tx_pb2 as tx
from stateset.orders.v1.orders_pb2 import OrderStatus, PaymentStatus


def deliver(oid: str, signer: str = MERCHANT) -> tx.MsgDeliverOrder:
    return tx.MsgDeliverOrder(signer=signer, order_id=oid)


@pytest.mark.parametrize("signer", [MERCHANT, CUSTOMER])
def test_merchant_or_customer_marks_delivery_and_settlement_is_queued(signer):
    chain = Chain()
    oid = chain.to_status("SHIPPED")
    response = chain.deliver(deliver(oid, signer))
    order = chain.order(oid)
    due = START_NS + RETURN_WINDOW * NS
    assert response.status == order.status == OrderStatus.ORDER_STATUS_DELIVERED
    assert response.settlement_due_seconds == due // NS
    assert timestamp_ns(order.shipping.delivered_at) == START_NS
    assert timestamp_ns(order.settlement_due) == due
    assert list(OrdersKeeper.settlement_queue.iterate(chain.store)) == [(due, oid)]
    assert order.payment_status == PaymentStatus.PAYMENT_STATUS_PAID and not order.settled
    [event] = chain.typed(events_pb2.OrderDelivered)
    assert (event.order_id, event.signer) == (oid, signer)
    assert timestamp_ns(event.settlement_due) == due
    chain.check_invariants()


@pytest.mark.parametrize("signer", [STRANGER, AUTHORITY])
def test_others_may_not_deliver(signer):
    chain = Chain()
    oid = chain.to_status("SHIPPED")
    with pytest.raises(NotAuthorized):
        chain.deliver(deliver(oid, signer))


@pytest.mark.parametrize("status", ["PAID", "FULFILLED", "DELIVERED", "RETURNED"])
def test_deliver_outside_shipped_is_invalid(status):
    chain = Chain()
    oid = chain.to_status(status)
    with pytest.raises(InvalidTransition):
        chain.deliver(deliver(oid))
