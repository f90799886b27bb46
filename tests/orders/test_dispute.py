"""MsgDisputeOrder: the customer or the merchant opens a dispute; settlement stops."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.orders.errors import (
    FieldTooLong,
    InvalidTransition,
    MissingField,
    NotAuthorized,
    ReturnWindowClosed,
    TooManyEvidenceItems,
)
from stateset_chain.orders.state import OrdersKeeper
from stateset_chain.timefmt import timestamp_ns
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
from stateset.orders.v1.orders_pb2 import OrderStatus


def dispute(oid: str, signer: str = CUSTOMER, evidence=("photo.jpg",)) -> tx.MsgDisputeOrder:
    return tx.MsgDisputeOrder(
        signer=signer, order_id=oid, reason="not as described", evidence=list(evidence)
    )


@pytest.mark.parametrize("status", ["PAID", "FULFILLED", "SHIPPED", "DELIVERED"])
@pytest.mark.parametrize("signer", [CUSTOMER, MERCHANT])
def test_a_party_disputes_a_paid_order(status, signer):
    chain = Chain()
    oid = chain.to_status(status)
    response = chain.deliver(dispute(oid, signer))
    order = chain.order(oid)
    assert response.status == order.status == OrderStatus.ORDER_STATUS_DISPUTED
    d = order.dispute
    assert (d.opened_by, d.reason, list(d.evidence)) == (signer, "not as described", ["photo.jpg"])
    assert d.previous_status == getattr(OrderStatus, f"ORDER_STATUS_{status}")
    assert timestamp_ns(d.opened_at) == START_NS
    [event] = chain.typed(events_pb2.OrderDisputed)
    assert event.dispute == d
    chain.check_invariants()


def test_disputing_a_delivered_order_stops_its_settlement():
    chain = Chain()
    oid = chain.to_status("DELIVERED")
    chain.deliver(dispute(oid))
    assert list(OrdersKeeper.settlement_queue.iterate(chain.store)) == []
    chain.advance(RETURN_WINDOW * 2)
    assert not chain.order(oid).settled
    chain.check_invariants()


def test_dispute_after_settlement_is_refused():
    chain = Chain()
    oid = chain.to_status("DELIVERED")
    chain.advance(RETURN_WINDOW)
    with pytest.raises(ReturnWindowClosed):
        chain.deliver(dispute(oid))


@pytest.mark.parametrize("signer", [STRANGER, AUTHORITY])
def test_others_may_not_dispute(signer):
    chain = Chain()
    with pytest.raises(NotAuthorized):
        chain.deliver(dispute(chain.paid_order(), signer))


@pytest.mark.parametrize("status", ["HELD", "RETURNED", "DISPUTED"])
def test_dispute_outside_the_table_is_invalid(status):
    chain = Chain()
    with pytest.raises(InvalidTransition):
        chain.deliver(dispute(chain.to_status(status)))


def test_dispute_of_an_unpaid_order_is_invalid():
    chain = Chain()
    with pytest.raises(InvalidTransition):
        chain.deliver(dispute(chain.create()))


def test_reason_is_required_and_evidence_is_bounded():
    chain = Chain()
    oid = chain.paid_order()
    msg = dispute(oid)
    msg.reason = ""
    with pytest.raises(MissingField):
        chain.deliver(msg)
    with pytest.raises(TooManyEvidenceItems):
        chain.deliver(dispute(oid, evidence=["a", "b", "c", "d"]))
    with pytest.raises(FieldTooLong):
        chain.deliver(dispute(oid, evidence=["e" * 129]))
