"""MsgReturnOrder: the customer returns a shipped or delivered order before settlement."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import BlockInfo
from stateset_chain.orders.errors import InvalidTransition, NotAuthorized, ReturnWindowClosed
from stateset_chain.orders.state import OrdersKeeper
from tests.orders.helpers import CUSTOMER, ESCROW, MERCHANT, RETURN_WINDOW, Chain

from stateset.orders.v1 import events_pb2
from stateset.orders.v1 import tx_pb2 as tx
from stateset.orders.v1.orders_pb2 import OrderStatus


def return_(oid: str, signer: str = CUSTOMER) -> tx.MsgReturnOrder:
    return tx.MsgReturnOrder(signer=signer, order_id=oid, reason="does not fit")


@pytest.mark.parametrize("status", ["SHIPPED", "DELIVERED"])
def test_customer_returns_a_shipped_or_delivered_order(status):
    chain = Chain()
    oid = chain.to_status(status)
    escrowed = chain.balance(ESCROW)
    response = chain.deliver(return_(oid))
    order = chain.order(oid)
    assert response.status == order.status == OrderStatus.ORDER_STATUS_RETURNED
    assert chain.balance(ESCROW) == escrowed  # money waits for the merchant's refund
    [event] = chain.typed(events_pb2.OrderReturned)
    assert (event.signer, event.reason, event.previous_status) == (
        CUSTOMER,
        "does not fit",
        getattr(OrderStatus, f"ORDER_STATUS_{status}"),
    )
    chain.check_invariants()


def test_returning_a_delivered_order_stops_its_settlement():
    chain = Chain()
    oid = chain.to_status("DELIVERED")
    chain.advance(RETURN_WINDOW - 10)
    chain.deliver(return_(oid))
    assert list(OrdersKeeper.settlement_queue.iterate(chain.store)) == []
    assert not chain.order(oid).HasField("settlement_due")
    chain.advance(RETURN_WINDOW)
    assert chain.event_types() == []
    assert not chain.order(oid).settled
    chain.check_invariants()


def test_return_after_the_due_time_is_refused_even_before_the_queue_drains():
    chain = Chain()
    oid = chain.to_status("DELIVERED")
    due = chain.order(oid).settlement_due
    chain.block = BlockInfo(2, due.seconds * 10**9 + due.nanos, "test")  # no end-block yet
    with pytest.raises(ReturnWindowClosed):
        chain.deliver(return_(oid))


def test_return_after_settlement_is_refused():
    chain = Chain()
    oid = chain.to_status("DELIVERED")
    chain.advance(RETURN_WINDOW)
    assert chain.order(oid).settled
    with pytest.raises(ReturnWindowClosed):
        chain.deliver(return_(oid))


def test_only_the_customer_returns():
    chain = Chain()
    with pytest.raises(NotAuthorized):
        chain.deliver(return_(chain.to_status("SHIPPED"), MERCHANT))


@pytest.mark.parametrize("status", ["PAID", "FULFILLED", "RETURNED", "DISPUTED"])
def test_return_outside_shipped_or_delivered_is_invalid(status):
    chain = Chain()
    with pytest.raises(InvalidTransition):
        chain.deliver(return_(chain.to_status(status)))
