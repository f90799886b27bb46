"""MsgHoldOrder: merchant or authority pauses a paid order."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.orders.errors import FieldTooLong, InvalidTransition, NotAuthorized
from tests.orders.helpers import AUTHORITY, CUSTOMER, ESCROW, MERCHANT, STRANGER, Chain

from stateset.orders.v1 import events_pb2
from stateset.orders.v1 import tx_pb2 as tx
from stateset.orders.v1.orders_pb2 import OrderStatus


def hold(oid: str, signer: str, reason: str = "fraud check") -> tx.MsgHoldOrder:
    return tx.MsgHoldOrder(signer=signer, order_id=oid, reason=reason)


@pytest.mark.parametrize("signer", [MERCHANT, AUTHORITY])
def test_merchant_or_authority_holds_a_paid_order(signer):
    chain = Chain()
    oid = chain.paid_order()
    escrowed = chain.balance(ESCROW)
    response = chain.deliver(hold(oid, signer))
    order = chain.order(oid)
    assert response.status == order.status == OrderStatus.ORDER_STATUS_HELD
    assert order.held_by == signer
    assert chain.balance(ESCROW) == escrowed
    [event] = chain.typed(events_pb2.OrderHeld)
    assert (event.order_id, event.signer, event.reason) == (oid, signer, "fraud check")
    chain.check_invariants()


@pytest.mark.parametrize("signer", [CUSTOMER, STRANGER])
def test_others_may_not_hold(signer):
    chain = Chain()
    with pytest.raises(NotAuthorized):
        chain.deliver(hold(chain.paid_order(), signer))


@pytest.mark.parametrize("status", ["CREATED", "FULFILLED", "HELD", "SHIPPED"])
def test_hold_outside_paid_is_invalid(status):
    chain = Chain()
    oid = chain.create() if status == "CREATED" else chain.to_status(status)
    with pytest.raises(InvalidTransition):
        chain.deliver(hold(oid, MERCHANT))


def test_reason_longer_than_the_limit_is_refused():
    chain = Chain()
    with pytest.raises(FieldTooLong):
        chain.deliver(hold(chain.paid_order(), MERCHANT, "r" * 129))
