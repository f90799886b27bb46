"""Coins from protobuf: validation, and the parse cache that must never change a result."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import stateset_chain.pb  # noqa: F401
from stateset_chain import coins as coins_module
from stateset_chain.coins import Coin, coins_from_proto
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
