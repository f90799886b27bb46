"""VAT for destinations in params.vat_rates and import duty per (destination, category):
computed in integer basis points, rounded half up (duty per line, VAT once on subtotal + duty),
VAT replacing the destination's tax_rates entry, shown on the order and in OrderCreated; the two
tables validated (unique keys) in MsgUpdateParams and genesis, and kept by the round trip."""

from __future__ import annotations

import copy

import pytest
from google.protobuf import json_format
from hypothesis import given
from hypothesis import strategies as st

import stateset_chain.pb  # noqa: F401
from stateset_chain.orders import genesis, pricing
from stateset_chain.orders.errors import InvalidCountry, InvalidParams
from stateset_chain.orders.money import half_up_bps, parse_price
from tests.orders.helpers import (
    AUTHORITY,
    TEST_PARAMS,
    UNIT,
    Chain,
    create_msg,
    item,
    new_bank,
)
from tests.orders.test_update_params import params as params_with

from stateset.orders.v1 import events_pb2
from stateset.orders.v1 import tx_pb2 as tx
from stateset.orders.v1.orders_pb2 import LineItem, ShippingAddress
from stateset.orders.v1.params_pb2 import ImportDutyRate, Params, VatRate

CROSS_BORDER = {
    **TEST_PARAMS,
    # DE keeps its tax_rates entry (1900) in TEST_PARAMS: VAT must replace it, not add to it
    "vat_rates": [{"country": "DE", "rate_bps": 1900}, {"country": "FR", "rate_bps": 2000}],
    "import_duty_rates": [
        {"country": "DE", "category": "apparel", "rate_bps": 1200},
        {"country": "DE", "category": "electronics", "rate_bps": 250},
        {"country": "US", "category": "apparel", "rate_bps": 1650},
    ],
}


def categorized(sku: str, price: str, category: str, quantity: int = 1) -> LineItem:
    return LineItem(sku=sku, name=sku, quantity=quantity, unit_price=price, category=category)


@pytest.fixture
def chain() -> Chain:
    return Chain(params=copy.deepcopy(CROSS_BORDER))


def test_an_eu_destination_pays_vat_on_goods_plus_duty_instead_of_its_tax(chain):
    items = [
        categorized("SHIRT", "40.00", "apparel", 2), categorized("CABLE", "9.99", "electronics")
    ]
    oid = chain.create(items=items, country="de", shipping_method="standard")
    o = chain.order(oid)
    # duty per line, half up: 80.00 x 12% = 9.60; 9.99 x 2.5% = 0.24975 -> 0.249750 exactly
    assert [i.import_duty_rate_bps for i in o.items] == [1200, 250]
    assert [i.import_duty for i in o.items] == [9_600_000, 249_750]
    assert o.import_duty == 9_849_750
    # VAT 19% of (89.99 + 9.84975) = 18.9695525 -> 18.969553 (half up); DE's 19% tax is not added
    assert (o.vat_rate_bps, o.vat) == (1900, 18_969_553)
    assert (o.tax_rate_bps, o.tax) == (0, 0)
    assert o.total == 89_990_000 + 9_849_750 + 18_969_553 + 5 * UNIT
    created = chain.typed(events_pb2.OrderCreated)[0].order
    assert (created.vat, created.import_duty, created.items[0].import_duty) == (
        18_969_553, 9_849_750, 9_600_000
    )
    chain.check_invariants()


def test_a_destination_without_vat_keeps_its_tax_and_pays_duty():
    chain = Chain(params=copy.deepcopy(CROSS_BORDER))
    oid = chain.create(items=[categorized("SHIRT", "100", "apparel")], country="US", region="CA")
    o = chain.order(oid)
    assert (o.import_duty, o.vat_rate_bps, o.vat) == (16_500_000, 0, 0)
    assert (o.tax_rate_bps, o.tax) == (725, 7_250_000)  # tax on the subtotal only, as before
    assert o.total == 100 * UNIT + 16_500_000 + 7_250_000


def test_no_duty_when_the_order_ships_from_its_destination(chain):
    oid = chain.create(items=[categorized("SHIRT", "100", "apparel")], country="DE",
                       origin_country="de")
    o = chain.order(oid)
    assert (o.origin_country, o.import_duty, o.items[0].import_duty_rate_bps) == ("DE", 0, 0)
    assert o.vat == 19 * UNIT


def test_uncategorized_items_and_unlisted_categories_pay_no_duty(chain):
    oid = chain.create(items=[item(price="100"), categorized("BOOK", "10", "books")], country="DE")
    o = chain.order(oid)
    assert o.import_duty == 0 and o.vat == half_up_bps(110 * UNIT, 1900)


def test_without_a_destination_there_is_no_tax_vat_or_duty(chain):
    o = chain.order(chain.create(items=[categorized("SHIRT", "100", "apparel")]))
    assert (o.tax, o.vat, o.import_duty, o.total) == (0, 0, 0, 100 * UNIT)


def test_a_bad_origin_country_is_refused(chain):
    with pytest.raises(InvalidCountry):
        chain.deliver(create_msg(origin_country="DEU"))


@given(
    lines=st.lists(
        st.tuples(st.integers(1, 10**9), st.integers(1, 50), st.sampled_from(["a", "b", ""])),
        min_size=1, max_size=5,
    ),
    duty_a=st.integers(0, 10_000), vat=st.integers(0, 10_000),
)
def test_pricing_is_the_stated_integer_arithmetic(lines, duty_a, vat):
    """Against the rule written out: per-line half-up duty, half-up VAT on subtotal + duty."""
    p = Params(
        vat_rates=[VatRate(country="FR", rate_bps=vat)],
        import_duty_rates=[ImportDutyRate(country="FR", category="a", rate_bps=duty_a)],
    )
    items = [
        LineItem(sku="s", name="n", quantity=q, unit_price=str(units), category=c)
        for units, q, c in lines
    ]
    unit_prices = [parse_price(i.unit_price) for i in items]  # as the validation parses them
    charges = pricing.price(p, items, unit_prices, ShippingAddress(country="FR"), "", 0)
    duties = [
        (units * UNIT * q * (duty_a if c == "a" else 0) * 2 + 10_000) // 20_000
        for units, q, c in lines
    ]
    subtotal = sum(units * UNIT * q for units, q, _ in lines)
    assert charges.import_duty == sum(duties)
    assert charges.vat == ((subtotal + sum(duties)) * vat * 2 + 10_000) // 20_000
    assert charges.tax == 0
    assert charges.total == subtotal + sum(duties) + charges.vat


@pytest.mark.parametrize(
    "changes",
    [
        {"vat_rates": [VatRate(country="DE", rate_bps=1900), VatRate(country="DE", rate_bps=700)]},
        {"vat_rates": [VatRate(country="de", rate_bps=1900)]},
        {"vat_rates": [VatRate(country="DE", rate_bps=10_001)]},
        {"import_duty_rates": [ImportDutyRate(country="DE", category="x", rate_bps=1),
                               ImportDutyRate(country="DE", category="x", rate_bps=2)]},
        {"import_duty_rates": [ImportDutyRate(country="DE", category="", rate_bps=1)]},
        {"import_duty_rates": [ImportDutyRate(country="DE", category="Bad", rate_bps=1)]},
        {"import_duty_rates": [ImportDutyRate(country="D", category="x", rate_bps=1)]},
        {"import_duty_rates": [ImportDutyRate(country="DE", category="x", rate_bps=10_001)]},
    ],
    ids=["dup-vat", "lower-vat", "vat-over-100%", "dup-duty", "no-category", "bad-category",
         "bad-country", "duty-over-100%"],
)
def test_bad_tables_are_refused_by_update_params_and_genesis(changes):
    chain = Chain()
    bad = params_with(**changes)
    with pytest.raises(InvalidParams):
        chain.deliver(tx.MsgUpdateParams(authority=AUTHORITY, params=bad))
    keeper_chain = Chain()
    data = {"params": json_format.MessageToDict(bad, preserving_proto_field_name=True)}
    with pytest.raises(InvalidParams):
        genesis.init_genesis(keeper_chain.keeper, keeper_chain.ctx(), data)


def test_the_authority_governs_the_tables_and_new_orders_use_them():
    chain = Chain()
    oid = chain.create(items=[categorized("SHIRT", "100", "apparel")], country="FR")
    assert chain.order(oid).vat == 0
    chain.deliver(tx.MsgUpdateParams(authority=AUTHORITY, params=params_with(
        vat_rates=[VatRate(country="FR", rate_bps=2000)],
        import_duty_rates=[ImportDutyRate(country="FR", category="apparel", rate_bps=1000)],
    )))
    later = chain.order(chain.create(items=[categorized("SHIRT", "100", "apparel")], country="FR"))
    assert (later.import_duty, later.vat) == (10 * UNIT, 22 * UNIT)
    assert chain.order(oid).vat == 0  # an existing order keeps its price


def test_the_tables_and_priced_orders_survive_the_genesis_round_trip(chain):
    chain.create(items=[categorized("SHIRT", "40", "apparel")], country="DE", origin_country="CN")
    exported = genesis.export_genesis(chain.keeper, chain.ctx())
    assert exported["params"]["vat_rates"] == CROSS_BORDER["vat_rates"]
    assert exported["params"]["import_duty_rates"] == CROSS_BORDER["import_duty_rates"]
    from stateset_chain.bank import genesis as bank_genesis
    from stateset_chain.orders.state import OrdersKeeper
    from stateset_chain.store.kv import MemoryKV

    bank_data = bank_genesis.export_genesis(chain.bank, chain.ctx())
    fresh = OrdersKeeper(new_bank())
    ctx = chain.ctx(store=MemoryKV())
    bank_genesis.init_genesis(fresh.bank, ctx, copy.deepcopy(bank_data))
    genesis.init_genesis(fresh, ctx, copy.deepcopy(exported))
    assert genesis.export_genesis(fresh, ctx) == exported
    (order,) = exported["orders"]
    assert (order["origin_country"], order["import_duty"]) == ("CN", "4800000")
