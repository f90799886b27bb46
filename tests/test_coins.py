"""Coins from protobuf: validation, and the parse cache that must never change a result."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import stateset_chain.pb  # noqa: F401
from stateset_chain import coins as coins_module
from stateset_chain.coins import Coin, coins_from_proto, format_units, parse_uint, parse_units
from stateset_chain.errors import InvalidCoins

from cosmos.base.v1beta1.coin_pb2 import Coin as PbCoin


def pb(denom: str, amount: str) -> PbCoin:
    return PbCoin(denom=denom, amount=amount)


def test_coins_are_parsed_validated_and_sorted_checked():
    assert coins_from_proto([pb("ussusd", "2"), pb("uusdc", "10")]) == [
        Coin("ussusd", 2), Coin("uusdc", 10)
    ]
    assert coins_from_proto([pb("uusdc", "0")], allow_zero=True) == [Coin("uusdc", 0)]
    for bad in ([pb("uusdc", "0")], [pb("uusdc", "-1")], [pb("uusdc", "1.5")], [pb("u", "1")],
                [pb("uusdc", "1"), pb("ussusd", "1")], [pb("uusdc", "1"), pb("uusdc", "2")],
                [pb("uusdc", "")], [pb("uusdc", str(2**256))]):
        with pytest.raises(InvalidCoins):
            coins_from_proto(bad)


@given(st.lists(st.tuples(st.sampled_from(["uusdc", "ussusd", "x", "u$", "uatom"]),
                          st.sampled_from(["0", "1", "007", "-3", "", "12a", str(2**256 - 1)])),
                max_size=3))
def test_cached_parsing_gives_what_parsing_gives(entries):
    """Twice in a row (the second time from the cache), and the same as a fresh parse."""
    protos = [pb(d, a) for d, a in entries]

    def outcome():
        try:
            return coins_from_proto(protos)
        except InvalidCoins as e:
            return e.log

    first, second = outcome(), outcome()
    coins_module._coin_cache.clear()
    assert first == second == outcome()


def test_the_coin_cache_is_bounded_and_keeps_no_failures(monkeypatch):
    monkeypatch.setattr(coins_module._coin_cache, "capacity", 3)
    coins_module._coin_cache.clear()
    for n in range(10):
        coins_from_proto([pb("uusdc", str(n + 1))])
    with pytest.raises(InvalidCoins):
        coins_from_proto([pb("uusdc", "x")])
    assert 1 <= len(coins_module._coin_cache) <= 3  # bounded (a full cache starts over)
    assert ("uusdc", "x") not in coins_module._coin_cache


# The three writers of base units as currency text that ``coins.format_units`` replaced (the
# orders' CLI text, the read side's render, the Orders API's analytics), kept here as they were
# so the one writer is held to the bytes each of them wrote.
def _old_trimmed(amount: int) -> str:
    whole, frac = divmod(amount, 10**6)
    return f"{whole}.{frac:06d}".rstrip("0").rstrip(".") if frac else str(whole)


def _old_render(amount: int) -> str:
    whole, frac = divmod(amount, 10**6)
    return f"{whole}.{f'{frac:06d}'.rstrip('0').ljust(2, '0')}"


def _old_api(amount: int) -> str:
    from decimal import Decimal

    d = Decimal(amount).scaleb(-6)
    cents = d.quantize(Decimal("0.01"))
    return format(cents if cents == d else d.normalize(), "f")


@given(st.integers(0, 2**64 - 1))
def test_one_writer_of_currency_units_gives_what_each_old_writer_gave(amount):
    assert format_units(amount) == _old_trimmed(amount)
    assert format_units(amount, min_decimals=2) == _old_render(amount) == _old_api(amount)
    assert parse_units(format_units(amount), max_whole_digits=20) == amount


def test_negative_units_keep_their_sign():
    assert format_units(-1, min_decimals=2) == "-0.000001"
    assert format_units(-5_000_000, min_decimals=2) == "-5.00"
    assert format_units(-1_500_000) == "-1.5"


@pytest.mark.parametrize("value", [-1, True, 2**32, "4294967296", "01", " 1", "1.0", None, 1.0])
def test_a_json_uint_is_an_int_or_its_canonical_text_in_range(value):
    with pytest.raises(InvalidCoins, match="must be an unsigned integer <= 4294967295"):
        parse_uint(value, InvalidCoins, field="domain", maximum=2**32 - 1)


def test_a_json_uint_reads_both_spellings():
    assert parse_uint(7, InvalidCoins, field="n", maximum=7) == 7
    assert parse_uint("7", InvalidCoins, field="n", maximum=7) == 7
    assert parse_uint("0", InvalidCoins, field="n", maximum=7) == 0
