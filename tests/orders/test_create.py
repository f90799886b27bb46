"""MsgCreateOrder: chain-computed prices, tax and shipping; deterministic ids; validation."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.errors import InvalidAddress
from stateset_chain.orders import ids
from stateset_chain.orders.errors import (
    BlockedSettlementRecipient,
    CreatorNotParty,
    CustomerIsMerchant,
    DuplicateClientOrderId,
    FieldTooLong,
    InvalidCountry,
    InvalidCurrency,
    InvalidItem,
    InvalidPrice,
    InvalidQuantity,
    InvalidRevenueSplit,
    NoItems,
    OrderTotalTooLarge,
    SplitNotAllowed,
    TooManyItems,
    TooManyMetadataEntries,
    UnknownShippingMethod,
    ZeroTotal,
)
from stateset_chain.orders.state import OrdersKeeper
from stateset_chain.timefmt import timestamp_ns
from tests.orders.helpers import (
    BLOCKED,
    BLOCKED_IDS,
    CUSTOMER,
    MERCHANT,
    RETURN_WINDOW,
    START_NS,
    STRANGER,
    SUPPLIER,
    UNIT,
    Chain,
    create_msg,
    item,
)

from stateset.orders.v1 import events_pb2
from stateset.orders.v1.orders_pb2 import Order, OrderStatus, PaymentStatus, RevenueSplit


def test_create_prices_the_order_and_stores_it_created_and_unpaid():
    chain = Chain()
    msg = create_msg(
        items=[item("A", "Laptop", 2, "999.99"), item("B", "Cable", 3, "0.015")],
        country="US",
        region="CA",
        shipping_method="standard",
        name="Order #1",
        number="1001",
        source="web",
        preferred_payment_method="wallet",
        metadata={"gift": "yes"},
        client_order_id="client-1",
    )
    response = chain.deliver(msg)
    order = chain.order(response.order_id)
    subtotal = 2 * 999_990_000 + 3 * 15_000
    tax = (subtotal * 725 + 5000) // 10000
    assert (order.subtotal, order.tax_rate_bps, order.tax) == (subtotal, 725, tax)
    assert order.shipping_fee == 5 * UNIT
    assert order.total == subtotal + tax + 5 * UNIT == response.total
    assert [i.line_total for i in order.items] == [1_999_980_000, 45_000]
    assert order.items[1].unit_price == "0.015" and order.items[1].unit_price_amount == 15_000
    assert (order.currency, order.denom, response.denom) == ("ssusd", "ussusd", "ussusd")
    assert order.status == OrderStatus.ORDER_STATUS_CREATED
    assert order.payment_status == PaymentStatus.PAYMENT_STATUS_UNPAID
    assert (order.customer, order.merchant, order.creator) == (CUSTOMER, MERCHANT, MERCHANT)
    assert (order.name, order.number, order.source) == ("Order #1", "1001", "web")
    assert dict(order.metadata) == {"gift": "yes"} and order.client_order_id == "client-1"
    assert order.shipping.method == "standard" and order.shipping_address.country == "US"
    assert [(e.status, e.height, timestamp_ns(e.time)) for e in order.timeline] == [
        (OrderStatus.ORDER_STATUS_CREATED, 1, START_NS)
    ]
    assert timestamp_ns(order.created_at) == START_NS and order.sequence == 1
    chain.check_invariants()


def test_create_emits_order_created_with_its_creation_data():
    """The whole order but what the event's block says (the CREATED timeline entry, created_at,
    updated_at) and the FraudAssessed before it (fraud; none in this harness)."""
    chain = Chain()
    oid = chain.create()
    [created] = chain.typed(events_pb2.OrderCreated)
    order = chain.order(oid)
    assert [(t.status, t.height, t.time) for t in order.timeline] == [
        (order.status, chain.block.height, order.created_at)
    ]
    assert order.updated_at == order.created_at
    for derived in ("timeline", "created_at", "updated_at", "fraud"):
        order.ClearField(derived)
    assert created.order == order
    assert chain.event_types() == ["OrderCreated"]


@pytest.mark.parametrize(
    ("country", "region", "rate"),
    [("US", "CA", 725), ("US", "NY", 500), ("us", "ca", 725), ("DE", "", 1900), ("FR", "", 0)],
)
def test_tax_rate_is_region_then_country_then_zero(country, region, rate):
    chain = Chain()
    order = chain.order(chain.create(country=country, region=region, items=[item(price="100")]))
    assert order.tax_rate_bps == rate
    assert order.tax == 100 * UNIT * rate // 10000
    assert (order.shipping_address.country, order.shipping_address.region) == (
        country.upper(),
        region.upper(),
    )


def test_without_an_address_there_is_no_tax():
    chain = Chain()
    assert chain.order(chain.create(items=[item(price="100")])).tax == 0


@pytest.mark.parametrize(("price", "tax"), [("0.00001", 1), ("0.000009", 0), ("0.00003", 2)])
def test_tax_rounds_half_up_on_the_order_subtotal(price, tax):
    """5% of 10 base units is 0.5 -> 1; of 9 is 0.45 -> 0; of 30 is 1.5 -> 2."""
    chain = Chain()
    order = chain.order(chain.create(country="US", items=[item(price=price)]))
    assert order.tax == tax


def test_shipping_fee_comes_from_the_method_table():
    chain = Chain()
    assert chain.order(chain.create(shipping_method="express")).shipping_fee == 15 * UNIT
    assert chain.order(chain.create()).shipping_fee == 0


@pytest.mark.parametrize(
    ("currency", "stored", "denom"),
    [("", "ssusd", "ussusd"), ("usd", "usd", "ussusd"), ("USDC", "usdc", "uusdc")],
)
def test_currency_selects_the_denom(currency, stored, denom):
    chain = Chain()
    order = chain.order(chain.create(currency=currency))
    assert (order.currency, order.denom) == (stored, denom)


def test_the_merchant_may_create_and_set_a_revenue_split():
    chain = Chain()
    split = RevenueSplit(supplier=SUPPLIER, merchant_bps=7000, supplier_bps=2500, platform_bps=500)
    order = chain.order(chain.create(creator=MERCHANT, split=split))
    assert order.creator == MERCHANT and order.revenue_split == split


def test_order_ids_are_deterministic_distinct_and_well_formed():
    a, b = Chain(), Chain()
    ids_a = [a.create() for _ in range(5)]
    ids_b = [b.create() for _ in range(5)]
    assert ids_a == ids_b
    assert len(set(ids_a)) == 5
    assert all(ids.is_order_id(i) for i in ids_a)
    assert [a.order(i).sequence for i in ids_a] == [1, 2, 3, 4, 5]


def test_a_taken_id_is_skipped_without_losing_the_sequence():
    chain = Chain()
    taken = ids.make_order_id(chain.block.chain_id, 1, 0)
    OrdersKeeper.orders.set(chain.store, taken, Order(id=taken))
    oid = chain.create()
    assert oid == ids.make_order_id(chain.block.chain_id, 1, 1)
    assert chain.order(oid).sequence == 1


def test_client_order_id_is_unique():
    chain = Chain()
    chain.create(client_order_id="c-1")
    with pytest.raises(DuplicateClientOrderId):
        chain.create(client_order_id="c-1")
    chain.create(client_order_id="c-2")


def test_signer_is_the_creator():
    assert Chain().signers(create_msg(creator=MERCHANT)) == [MERCHANT]


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"creator": "stateset1bad"}, InvalidAddress),
        ({"customer": ""}, InvalidAddress),
        ({"merchant": MERCHANT.upper()}, InvalidAddress),
        ({"customer": MERCHANT, "creator": MERCHANT}, CustomerIsMerchant),
        ({"creator": STRANGER}, CreatorNotParty),
        ({"items": []}, NoItems),
        ({"items": [item(sku="")]}, InvalidItem),
        ({"items": [item(name="")]}, InvalidItem),
        ({"items": [item(quantity=0)]}, InvalidQuantity),
        ({"items": [item(quantity=1_000_001)]}, InvalidQuantity),
        ({"items": [item(price="1.1234567")]}, InvalidPrice),
        ({"items": [item(price="-1")]}, InvalidPrice),
        ({"items": [item(price="1e3")]}, InvalidPrice),
        ({"items": [item(price="01")]}, InvalidPrice),
        ({"items": [item(price=".5")]}, InvalidPrice),
        ({"items": [item(price="")]}, InvalidPrice),
        ({"items": [item(price="1,5")]}, InvalidPrice),
        ({"currency": "euro"}, InvalidCurrency),
        ({"country": "USA"}, InvalidCountry),
        ({"country": "US", "region": "C A"}, InvalidCountry),
        ({"client_order_id": "x" * 129}, FieldTooLong),
        (
            {"creator": MERCHANT, "split": RevenueSplit(merchant_bps=9000, platform_bps=500)},
            InvalidRevenueSplit,
        ),
        (
            {"creator": MERCHANT, "split": RevenueSplit(merchant_bps=9000, supplier_bps=1000)},
            InvalidRevenueSplit,
        ),
        (
            {"creator": MERCHANT, "split": RevenueSplit(supplier=SUPPLIER, merchant_bps=10000)},
            InvalidRevenueSplit,
        ),
        ({"split": RevenueSplit(merchant_bps=10000)}, SplitNotAllowed),
    ],
)
def test_validate_refuses(kwargs, error):
    chain = Chain()
    with pytest.raises(error):
        chain.deliver(create_msg(**kwargs))
    assert chain.keeper.order_count(chain.store) == 0


def test_items_beyond_the_param_limit_are_refused():
    chain = Chain()
    with pytest.raises(TooManyItems):
        chain.create(items=[item(sku=f"S{i}") for i in range(11)])
    chain.create(items=[item(sku=f"S{i}") for i in range(10)])


def test_metadata_entries_beyond_the_limit_are_refused():
    with pytest.raises(TooManyMetadataEntries):
        Chain().create(metadata={str(i): "v" for i in range(5)})


@pytest.mark.parametrize(
    "kwargs",
    [
        {"name": "n" * 65},
        {"items": [item(name="é" * 33)]},  # 66 bytes of UTF-8
        {"metadata": {"k": "v" * 65}},
        {"metadata": {"k" * 65: "v"}},
    ],
)
def test_text_fields_beyond_the_limit_are_refused(kwargs):
    with pytest.raises(FieldTooLong):
        Chain().create(**kwargs)


def test_the_public_address_has_only_country_and_region():
    """Name, street, city, postal code and phone left the clear-text address (docs/privacy.md):
    they travel only sealed, in personal_data."""
    from stateset.orders.v1.orders_pb2 import ShippingAddress

    assert sorted(f.name for f in ShippingAddress.DESCRIPTOR.fields) == ["country", "region"]


def test_unknown_shipping_method_is_refused():
    with pytest.raises(UnknownShippingMethod):
        Chain().create(shipping_method="teleport")


def test_a_zero_total_is_refused():
    with pytest.raises(ZeroTotal):
        Chain().create(items=[item(price="0")])


def test_a_total_beyond_u64_is_refused():
    huge = item(price="9999999999999.999999", quantity=1_000_000)
    with pytest.raises(OrderTotalTooLarge):
        Chain().create(items=[huge, huge])


def test_a_refused_create_writes_nothing():
    chain = Chain()
    chain.create(client_order_id="c")
    before = list(chain.store.iterate())
    with pytest.raises(DuplicateClientOrderId):
        chain.create(client_order_id="c")
    assert list(chain.store.iterate()) == before


@pytest.mark.parametrize(("blocked", "reason"), BLOCKED, ids=BLOCKED_IDS)
def test_a_merchant_the_bank_blocks_is_refused_and_nothing_is_written(blocked, reason):
    """Settlement pays the merchant with a module send that never refuses: a module account or a
    deposit address there would strand the coins, so the order is refused up front."""
    chain = Chain()
    before = list(chain.store.iterate())
    with pytest.raises(BlockedSettlementRecipient) as refused:
        chain.deliver(create_msg(merchant=blocked))
    assert (refused.value.codespace, refused.value.code) == ("orders", 38)
    assert refused.value.log == f"merchant {blocked} is {reason}: it cannot receive settlement"
    assert list(chain.store.iterate()) == before


@pytest.mark.parametrize(("blocked", "reason"), BLOCKED, ids=BLOCKED_IDS)
def test_a_revenue_split_supplier_the_bank_blocks_is_refused(blocked, reason):
    chain = Chain()
    split = RevenueSplit(supplier=blocked, merchant_bps=7000, supplier_bps=2500, platform_bps=500)
    before = list(chain.store.iterate())
    with pytest.raises(BlockedSettlementRecipient) as refused:
        chain.deliver(create_msg(creator=MERCHANT, split=split))
    assert refused.value.log == f"supplier {blocked} is {reason}: it cannot receive settlement"
    assert list(chain.store.iterate()) == before


def test_an_ordinary_merchant_and_supplier_are_settled_to():
    """The guard refuses only blocked addresses: a key-holding merchant and supplier are paid."""
    chain = Chain()
    split = RevenueSplit(supplier=SUPPLIER, merchant_bps=9000, supplier_bps=1000)
    oid = chain.to_status("DELIVERED", creator=MERCHANT, split=split)
    merchant_before, supplier_before = chain.balance(MERCHANT), chain.balance(SUPPLIER)
    chain.advance(RETURN_WINDOW)
    assert chain.order(oid).settled
    assert chain.balance(MERCHANT) - merchant_before == 9 * UNIT
    assert chain.balance(SUPPLIER) - supplier_before == 1 * UNIT
