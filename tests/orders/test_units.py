"""The pure helpers: decimal prices, rounding, settlement shares, ids, ISO 8601."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stateset_chain.coins import format_units
from stateset_chain.orders import ids
from stateset_chain.orders.errors import InvalidAmount, InvalidPrice, InvalidTimestamp
from stateset_chain.orders.money import (
    MAX_ORDER_AMOUNT,
    parse_amount,
    parse_price,
    split_settlement,
    tax_of,
)
from stateset_chain.timefmt import (
    civil_from_days,
    days_from_civil,
    format_iso8601,
    parse_iso8601,
)


@pytest.mark.parametrize(
    ("text", "units"),
    [
        ("999.99", 999_990_000),
        ("0", 0),
        ("0.000001", 1),
        ("1.5", 1_500_000),
        ("12", 12_000_000),
        ("9999999999999.999999", 9_999_999_999_999_999_999),
    ],
)
def test_parse_price(text, units):
    assert parse_price(text) == units


@pytest.mark.parametrize(
    "text", ["", "1.", ".1", "1.0000001", "00", "01.5", "-1", "+1", "1e6", " 1", "1 ", "١", "1_0"]
)
def test_parse_price_refuses(text):
    with pytest.raises(InvalidPrice):
        parse_price(text)


@given(st.integers(0, 10**19 - 1))
def test_format_units_is_the_inverse_of_parse_price(units):
    assert parse_price(format_units(units)) == units


@pytest.mark.parametrize("text", ["0", "", "01", "1.0", "-5", str(MAX_ORDER_AMOUNT + 1)])
def test_parse_amount_refuses(text):
    with pytest.raises(InvalidAmount):
        parse_amount(text)


def test_parse_amount():
    assert parse_amount("42") == 42 and parse_amount(str(MAX_ORDER_AMOUNT)) == MAX_ORDER_AMOUNT


@pytest.mark.parametrize(
    ("subtotal", "bps", "tax"),
    [(10, 500, 1), (9, 500, 0), (30, 500, 2), (10_000, 725, 725), (1, 10000, 1)],
)
def test_tax_rounds_half_up(subtotal, bps, tax):
    assert tax_of(subtotal, bps) == tax


@given(st.integers(0, 2**64), st.integers(0, 10000), st.integers(0, 10000))
def test_split_parts_sum_to_the_amount(amount, a, b):
    supplier_bps, platform_bps = min(a, b), 10000 - max(a, b)
    for shares in (
        split_settlement(amount, a),
        split_settlement(amount, 0, supplier_bps=supplier_bps, platform_bps=platform_bps),
    ):
        assert shares.merchant + shares.supplier + shares.platform == amount
        assert min(shares.merchant, shares.supplier, shares.platform) >= 0


def test_ids_are_prefixed_base62_and_deterministic():
    a = ids.make_order_id("stateset-1", 1)
    assert a == ids.make_order_id("stateset-1", 1) and ids.is_order_id(a)
    assert a != ids.make_order_id("stateset-1", 1, 1) != ids.make_order_id("stateset-1", 2)
    assert ids.make_id(ids.PAYMENT_PREFIX, 1).startswith("pay_")
    assert ids.base62(0) == "0" * 10 and ids.base62(61) == "0" * 9 + "z"
    assert not ids.is_order_id("ord_0000-00000") and not ids.is_order_id("ord_00000000000")


@pytest.mark.parametrize(
    ("text", "ns"),
    [
        ("1970-01-01", 0),
        ("1970-01-01T00:00:01Z", 10**9),
        ("1970-01-01T00:00:00.5Z", 5 * 10**8),
        ("1970-01-01T00:00:00.000000001Z", 1),
        ("1970-01-01T01:00:00+01:00", 0),
        ("1969-12-31T23:00:00-01:00", 0),
        ("2000-02-29T00:00:00Z", 951_782_400 * 10**9),
        ("1969-12-31", -86400 * 10**9),
    ],
)
def test_parse_iso8601(text, ns):
    assert parse_iso8601(text) == ns


@pytest.mark.parametrize(
    "text",
    [
        "2001-02-29",
        "2025-04-31",
        "2025-00-10",
        "2025-01-01T24:00:00Z",
        "2025-01-01T00:60:00Z",
        "2025-01-01T00:00:60Z",
        "2025-01-01T00:00:00",
        "2025-01-01T00:00:00.1234567890Z",
        "2025-01-01T00:00:00+24:00",
        "2025-1-1",
        "0000-01-01",
        "2025-01-01 00:00:00Z",
        "",
        "٢٠٢٥-01-01",
    ],
)
def test_parse_iso8601_refuses(text):
    with pytest.raises(InvalidTimestamp):
        parse_iso8601(text, error=InvalidTimestamp)


@given(st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)))
def test_iso8601_agrees_with_datetime(moment):
    epoch = dt.datetime(1970, 1, 1)
    delta = moment - epoch
    ns = (delta.days * 86400 + delta.seconds) * 10**9 + delta.microseconds * 1000
    text = (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}T"
        f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}.{moment.microsecond:06d}Z"
    )
    assert parse_iso8601(text) == ns
    assert parse_iso8601(format_iso8601(ns)) == ns


@given(st.integers(-719162, 2932896))
def test_civil_days_round_trip(days):
    assert days_from_civil(*civil_from_days(days)) == days


@pytest.mark.parametrize("text", ["1\n", "1.5\n"])
def test_a_trailing_newline_is_not_a_price(text):
    with pytest.raises(InvalidPrice):
        parse_price(text)


def test_order_ids_bind_the_chain_id():
    """The same sequence gives different ids on two networks, computed as orders/SPEC.md says:
    sha256("stateset/orders/ord_" | u16 len | chain id | u64 seq | u32 attempt) mod 62^10."""
    import hashlib
    import struct

    def spec(chain_id: str, seq: int) -> str:
        pre = b"stateset/orders/ord_" + struct.pack(">H", len(chain_id)) + chain_id.encode()
        digest = hashlib.sha256(pre + struct.pack(">QI", seq, 0)).digest()
        return "ord_" + ids.base62(int.from_bytes(digest, "big") % 62**10)

    for seq in (1, 2, 1000):
        mainnet = ids.make_order_id("stateset-1", seq)
        testnet = ids.make_order_id("stateset-testnet-1", seq)
        assert mainnet == spec("stateset-1", seq) and testnet == spec("stateset-testnet-1", seq)
        assert mainnet != testnet
    # the length prefix keeps chain id and sequence apart
    assert ids.make_order_id("a", 1) != ids.make_order_id("", 1)


def test_a_trailing_newline_is_not_an_order_id_or_time():
    assert not ids.is_order_id(ids.make_order_id("stateset-1", 1) + "\n")
    with pytest.raises(InvalidTimestamp):
        parse_iso8601("2025-01-01\n", error=InvalidTimestamp)
