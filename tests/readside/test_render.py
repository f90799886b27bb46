"""``render_order``: the Orders API JSON of an order, from the proto JSON the chain returns."""

from stateset_chain.events import to_json_dict
from stateset_chain.readside.render import decimal_string, render_order
from stateset_chain.timefmt import timestamp

from stateset.orders.v1.orders_pb2 import (
    Order,
    OrderItem,
    OrderStatus,
    Payment,
    PaymentStatus,
    ShippingInfo,
    TimelineEntry,
)

T0 = 1_767_225_600 * 10**9  # 2026-01-01T00:00:00Z


def test_decimal_string_keeps_two_to_six_decimals():
    assert decimal_string(1_096_470_000) == "1096.47"
    assert decimal_string(25_000_000) == "25.00"
    assert decimal_string(1) == "0.000001"
    assert decimal_string(0) == "0.00"
    assert decimal_string(2**64 - 1) == "18446744073709.551615"


def test_a_shipped_order_renders_the_documents_shape():
    order = Order(
        id="ord_0000000001", customer="stateset1cust", merchant="stateset1merch",
        currency="usdc", denom="uusdc", total=1_096_470_000, amount_paid=1_096_470_000,
        status=OrderStatus.ORDER_STATUS_SHIPPED,
        payment_status=PaymentStatus.PAYMENT_STATUS_PAID,
        items=[OrderItem(sku="A", name="Thing", quantity=3, unit_price="365.49",
                         unit_price_amount=365_490_000, line_total=1_096_470_000)],
        payments=[Payment(id="pay_1", payer="stateset1cust", amount=1_096_470_000,
                          denom="uusdc", method="wallet", height=5, time=timestamp(T0))],
        shipping=ShippingInfo(carrier="UPS", shipped_at=timestamp(T0)),
        timeline=[TimelineEntry(status=OrderStatus.ORDER_STATUS_CREATED, height=4,
                                time=timestamp(T0 - 10**9))],
        created_at=timestamp(T0 - 10**9),
    )
    out = render_order(to_json_dict(order))
    assert out["status"] == "SHIPPED"
    assert out["customer_id"] == "stateset1cust"
    assert out["items"][0]["total_price"] == "1096.47"
    assert out["items"][0]["unit_price"] == "365.49"
    assert out["payment"] == {
        "id": "pay_1", "status": "PAID", "amount": "1096.47", "method": "wallet",
        "paid_at": "2026-01-01T00:00:00Z",
    }
    assert out["shipping"]["carrier"] == "UPS"
    assert out["shipping"]["shipped_at"] == "2026-01-01T00:00:00Z"
    assert out["shipping"]["estimated_delivery"] is None
    assert out["timeline"] == [
        {"status": "CREATED", "timestamp": "2025-12-31T23:59:59Z", "height": 4}
    ]
    assert out["amount_due"] == "0.00"


def test_an_unpaid_order_has_no_payment():
    out = render_order(to_json_dict(Order(id="ord_x", total=5)))
    assert out["payment"] is None
    assert out["amount_due"] == "0.000005"
