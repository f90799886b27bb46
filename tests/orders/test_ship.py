"""MsgShipOrder: the merchant ships a fulfilled order with carrier, tracking and ETA."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.orders.errors import (
    FieldTooLong,
    InvalidTimestamp,
    InvalidTransition,
    MissingField,
    NotAuthorized,
)
from stateset_chain.orders.timefmt import parse_iso8601, timestamp_ns
from tests.orders.helpers import CUSTOMER, MERCHANT, START_NS, Chain, ship_msg

from stateset.orders.v1 import events_pb2
from stateset.orders.v1.orders_pb2 import OrderStatus


def test_merchant_ships_a_fulfilled_order():
    chain = Chain()
    oid = chain.to_status("FULFILLED")
    response = chain.deliver(ship_msg(oid, eta="2025-01-05T12:00:00+02:00"))
    order = chain.order(oid)
    assert response.status == order.status == OrderStatus.ORDER_STATUS_SHIPPED
    assert (order.shipping.carrier, order.shipping.tracking_number) == ("UPS", "1Z999")
    assert timestamp_ns(order.shipping.estimated_delivery) == parse_iso8601("2025-01-05T10:00:00Z")
    assert timestamp_ns(order.shipping.shipped_at) == START_NS
    [event] = chain.typed(events_pb2.OrderShipped)
    assert (event.order_id, event.merchant, event.customer) == (oid, MERCHANT, CUSTOMER)
    assert event.shipping == order.shipping
    chain.check_invariants()


def test_eta_is_optional():
    chain = Chain()
    oid = chain.to_status("FULFILLED")
    chain.deliver(ship_msg(oid, eta=""))
    assert not chain.order(oid).shipping.HasField("estimated_delivery")


def test_only_the_merchant_ships():
    chain = Chain()
    oid = chain.to_status("FULFILLED")
    with pytest.raises(NotAuthorized):
        chain.deliver(ship_msg(oid, signer=CUSTOMER))


@pytest.mark.parametrize("status", ["PAID", "SHIPPED", "HELD"])
def test_ship_from_other_statuses_is_invalid(status):
    chain = Chain()
    oid = chain.to_status(status)
    with pytest.raises(InvalidTransition):
        chain.deliver(ship_msg(oid))


def test_carrier_and_tracking_are_required():
    chain = Chain()
    oid = chain.to_status("FULFILLED")
    for field in ("carrier", "tracking_number"):
        msg = ship_msg(oid)
        setattr(msg, field, "")
        with pytest.raises(MissingField):
            chain.deliver(msg)


@pytest.mark.parametrize("eta", ["tomorrow", "2025-02-30", "2025-01-05T12:00:00", "2025-13-01"])
def test_bad_eta_is_refused(eta):
    chain = Chain()
    with pytest.raises(InvalidTimestamp):
        chain.deliver(ship_msg(chain.to_status("FULFILLED"), eta=eta))


def test_carrier_longer_than_the_limit_is_refused():
    chain = Chain()
    msg = ship_msg(chain.to_status("FULFILLED"))
    msg.carrier = "c" * 65
    with pytest.raises(FieldTooLong):
        chain.deliver(msg)
