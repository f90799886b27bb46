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
from stateset_chain.privacy.errors import InvalidRecipients
from stateset_chain.privacy.seal import DecryptionFailed, open_order, open_tracking
from stateset_chain.timefmt import parse_iso8601, timestamp_ns
from tests.orders.helpers import (
    CHAIN_ID,
    CUSTOMER,
    MERCHANT,
    START_NS,
    STRANGER,
    TRACKING_KEY,
    Chain,
    sealed_tracking,
    ship_msg,
)

from stateset.orders.v1 import events_pb2
from stateset.orders.v1 import tx_pb2 as tx
from stateset.orders.v1.orders_pb2 import Order, OrderStatus


def test_merchant_ships_a_fulfilled_order():
    chain = Chain()
    oid = chain.to_status("FULFILLED")
    response = chain.deliver(ship_msg(oid, eta="2025-01-05T12:00:00+02:00"))
    order = chain.order(oid)
    assert response.status == order.status == OrderStatus.ORDER_STATUS_SHIPPED
    assert order.shipping.carrier == "UPS"
    assert open_tracking(order, chain_id=CHAIN_ID, recipient=MERCHANT,
                         private_keys=[TRACKING_KEY]) == "1Z999"
    assert b"1Z999" not in order.SerializeToString()
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
    msg = ship_msg(oid)
    msg.carrier = ""
    with pytest.raises(MissingField):
        chain.deliver(msg)
    msg = ship_msg(oid)
    msg.ClearField("tracking")
    with pytest.raises(MissingField):
        chain.deliver(msg)


def test_a_tracking_number_in_clear_is_refused_as_an_unknown_field():
    assert "tracking_number" not in tx.MsgShipOrder.DESCRIPTOR.fields_by_name


def test_a_tracking_envelope_to_someone_else_is_refused():
    chain = Chain()
    oid = chain.to_status("FULFILLED")
    msg = ship_msg(oid)
    msg.tracking.CopyFrom(sealed_tracking(oid, merchant=STRANGER))
    with pytest.raises(InvalidRecipients):
        chain.deliver(msg)
    assert chain.order(oid).status == OrderStatus.ORDER_STATUS_FULFILLED


def test_the_tracking_envelope_is_bound_to_its_order_and_shipment():
    chain = Chain()
    oid = chain.to_status("FULFILLED")
    chain.deliver(ship_msg(oid))
    order = chain.order(oid)
    moved = Order()
    moved.CopyFrom(order)
    moved.id = oid[:-1] + ("a" if oid[-1] != "a" else "b")
    with pytest.raises(DecryptionFailed):
        open_tracking(moved, chain_id=CHAIN_ID, recipient=MERCHANT, private_keys=[TRACKING_KEY])
    as_personal = Order()
    as_personal.CopyFrom(order)
    as_personal.personal_data.CopyFrom(order.shipping.tracking)
    with pytest.raises(DecryptionFailed):  # no purpose: not the order's personal data either
        open_order(as_personal, chain_id=CHAIN_ID, recipient=MERCHANT,
                   private_keys=[TRACKING_KEY])


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


def test_erasure_clears_the_sealed_tracking_number():
    chain = Chain()
    oid = chain.to_status("FULFILLED")
    chain.deliver(ship_msg(oid))
    chain.deliver(tx.MsgErasePersonalData(signer=CUSTOMER, order_id=oid))
    order = chain.order(oid)
    assert not order.shipping.HasField("tracking") and order.shipping.carrier == "UPS"
    assert order.HasField("personal_data_erased_at")
