"""MsgReleaseOrder: HELD -> PAID; the authority releases any hold, a merchant only its own."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.orders.errors import InvalidTransition, NotAuthorized
from tests.orders.helpers import AUTHORITY, CUSTOMER, MERCHANT, Chain

from stateset.orders.v1 import events_pb2
from stateset.orders.v1 import tx_pb2 as tx
from stateset.orders.v1.orders_pb2 import OrderStatus


def hold(oid: str, signer: str) -> tx.MsgHoldOrder:
    return tx.MsgHoldOrder(signer=signer, order_id=oid, reason="check")


def release(oid: str, signer: str) -> tx.MsgReleaseOrder:
    return tx.MsgReleaseOrder(signer=signer, order_id=oid, reason="ok")


@pytest.mark.parametrize(
    ("holder", "releaser"), [(MERCHANT, MERCHANT), (MERCHANT, AUTHORITY), (AUTHORITY, AUTHORITY)]
)
def test_release_returns_the_order_to_paid(holder, releaser):
    chain = Chain()
    oid = chain.paid_order()
    chain.deliver(hold(oid, holder))
    response = chain.deliver(release(oid, releaser))
    order = chain.order(oid)
    assert response.status == order.status == OrderStatus.ORDER_STATUS_PAID
    assert order.held_by == ""
    assert [e.status for e in order.timeline] == [1, 2, 6, 2]
    [event] = chain.typed(events_pb2.OrderReleased)
    assert (event.signer, event.reason) == (releaser, "ok")
    chain.check_invariants()


def test_merchant_may_not_lift_the_authoritys_hold():
    chain = Chain()
    oid = chain.paid_order()
    chain.deliver(hold(oid, AUTHORITY))
    with pytest.raises(NotAuthorized):
        chain.deliver(release(oid, MERCHANT))


def test_customer_may_not_release():
    chain = Chain()
    oid = chain.to_status("HELD")
    with pytest.raises(NotAuthorized):
        chain.deliver(release(oid, CUSTOMER))


@pytest.mark.parametrize("status", ["PAID", "FULFILLED"])
def test_release_of_an_order_not_held_is_invalid(status):
    chain = Chain()
    with pytest.raises(InvalidTransition):
        chain.deliver(release(chain.to_status(status), AUTHORITY))


def test_release_does_not_mark_an_unpaid_order_paid():
    """CREATED -> PAID is in the table (by payment), but not by release: found by the
    stateful test."""
    chain = Chain()
    oid = chain.create()
    with pytest.raises(InvalidTransition):
        chain.deliver(release(oid, AUTHORITY))
    assert chain.order(oid).status == OrderStatus.ORDER_STATUS_CREATED
