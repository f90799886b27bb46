"""Auth params: exact decimal min gas price, genesis JSON parsing and validation, stored form."""

from __future__ import annotations

import pytest

from stateset_chain.auth.params import (
    DEC_ONE,
    InvalidParams,
    Params,
    format_dec,
    parse_dec,
)


@pytest.mark.parametrize(
    ("text", "numerator"),
    [
        ("0.01", 10**16),
        ("1", DEC_ONE),
        ("0", 0),
        ("0.000000000000000001", 1),
        ("2.5", 25 * 10**17),
        ("0.010000000000000000", 10**16),
    ],
)
def test_decimal_strings_parse_exactly(text, numerator):
    assert parse_dec(text) == numerator


@pytest.mark.parametrize(
    "bad", ["", "-1", "0.0000000000000000001", "1e-2", ".5", "1.", "0,01", " 1", 0.01, None]
)
def test_malformed_decimals_are_refused(bad):
    with pytest.raises(InvalidParams):
        parse_dec(bad)


def test_format_dec_is_the_sdk_legacy_dec_text_and_round_trips():
    assert format_dec(10**16) == "0.010000000000000000"
    assert format_dec(3 * DEC_ONE + 1) == "3.000000000000000001"
    for n in (0, 1, 10**16, 123456789 * 10**12, 7 * DEC_ONE):
        assert parse_dec(format_dec(n)) == n


def test_defaults():
    p = Params()
    assert (p.max_memo_characters, p.tx_sig_limit, p.tx_size_cost_per_byte) == (256, 7, 10)
    assert p.sig_verify_cost_secp256k1 == 1000
    assert p.fee_denoms == ("uusdc", "ussusd")
    assert p.min_gas_price == parse_dec("0.01")
    assert Params.from_json({}) == p


@pytest.mark.parametrize(
    ("gas", "price", "fee"),
    [
        (200_000, "0.01", 2000),
        (200_001, "0.01", 2001),
        (1, "0.01", 1),
        (0, "0.01", 0),
        (100, "0", 0),
        (3, "0.333333333333333333", 1),
        (10**18, "0.000000000000000001", 1),
    ],
)
def test_required_fee_is_the_exact_ceiling(gas, price, fee):
    assert Params(min_gas_price=parse_dec(price)).required_fee(gas) == fee


def test_json_round_trip_and_string_or_integer_inputs():
    p = Params.from_json(
        {
            "max_memo_characters": 512,
            "tx_sig_limit": "3",
            "fee_denoms": ["ussusd"],
            "min_gas_price": "0.025",
            "max_tx_bytes": "1048576",
        }
    )
    assert (p.max_memo_characters, p.tx_sig_limit, p.max_tx_bytes) == (512, 3, 1048576)
    assert p.fee_denoms == ("ussusd",) and p.min_gas_price == 25 * 10**15
    assert Params.from_json(p.to_json()) == p
    assert p.to_json()["min_gas_price"] == "0.025000000000000000"


def test_proto_round_trip():
    p = Params(min_gas_price=12345, fee_denoms=("ussusd", "uusdc"), max_tx_bytes=99)
    assert Params.from_proto(p.to_proto()) == p


@pytest.mark.parametrize(
    ("data", "match"),
    [
        ({"max_memo": 5}, "unknown params"),
        ({"tx_sig_limit": "0"}, "tx_sig_limit must be positive"),
        ({"tx_sig_limit": -1}, "must be an unsigned integer <= 18446744073709551615"),
        ({"tx_sig_limit": True}, "must be an unsigned integer <= 18446744073709551615"),
        ({"max_tx_bytes": 2**64}, "must be an unsigned integer <= 18446744073709551615"),
        ({"tx_size_cost_per_byte": "ten"}, "must be an unsigned integer <= 18446744073709551615"),
        ({"min_gas_price": 0.01}, "decimal string"),
        ({"fee_denoms": []}, "at least one"),
        ({"fee_denoms": ["uusdc", "uusdc"]}, "duplicates"),
        ({"fee_denoms": ["u"]}, "invalid denom"),
        ({"fee_denoms": "uusdc"}, "list of strings"),
    ],
)
def test_invalid_params_are_refused_with_a_clear_reason(data, match):
    with pytest.raises(InvalidParams, match=match):
        Params.from_json(data)
