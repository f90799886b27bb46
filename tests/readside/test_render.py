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


def test_a_fiat_order_shows_its_currency_its_lock_and_its_stablecoin_amounts():
    from stateset.orders.v1.orders_pb2 import ExchangeRateLock, Refund

    order = Order(
        id="ord_0000000002", currency="EUR", denom="uusdc", total=299_970_000, vat=5_000_000,
        vat_rate_bps=1900, import_duty=1_250_000, stablecoin_total=325_278_469,
        amount_paid=325_278_469, amount_refunded=27_109_250, amount_refunded_fiat=25_000_000,
        exchange_rate=ExchangeRateLock(
            pair="EUR/USD", rate="1.08437", rate_height=7, rate_time=timestamp(T0),
            amount_due=325_278_469, locked_height=8, locked_at=timestamp(T0 + 10**9)),
        refunds=[Refund(id="rfd_1", amount=27_109_250, denom="uusdc", fiat_amount=25_000_000)],
        items=[OrderItem(sku="A", name="Thing", quantity=1, unit_price="10",
                         unit_price_amount=10_000_000, line_total=10_000_000,
                         import_duty_rate_bps=1250, import_duty=1_250_000)],
    )
    out = render_order(to_json_dict(order))
    assert (out["currency"], out["denom"], out["total"]) == ("EUR", "uusdc", "299.97")
    assert out["stablecoin_total"] == "325.278469"
    assert out["amount_due"] == "0.00"  # in the denom: paid in full at the locked rate
    assert out["exchange_rate"] == {
        "pair": "EUR/USD", "rate": "1.08437", "rate_height": 7,
        "rate_time": "2026-01-01T00:00:00Z", "amount_due": "325.278469", "locked_height": 8,
        "locked_at": "2026-01-01T00:00:01Z",
    }
    assert (out["vat"], out["vat_rate_bps"], out["import_duty"]) == ("5.00", 1900, "1.25")
    assert out["items"][0]["import_duty"] == "1.25"
    assert (out["refunds"][0]["amount"], out["refunds"][0]["fiat_amount"]) == (
        "27.10925", "25.00"
    )
    assert out["amount_refunded_fiat"] == "25.00"
    unlocked = render_order(to_json_dict(Order(currency="EUR", denom="ussusd", total=10,
                                               stablecoin_total=11)))
    assert unlocked["exchange_rate"] is None and unlocked["amount_due"] == "0.000011"
