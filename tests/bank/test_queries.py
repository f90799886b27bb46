"""Bank queries answer at the SDK's paths with the SDK's response types."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.bank import queries
from stateset_chain.errors import InvalidAddress, InvalidCoins
from tests.bank.helpers import ALICE, BOB, CAROL, fund, new_bank, new_ctx

from cosmos.bank.v1beta1 import query_pb2 as q
from cosmos.base.query.v1beta1 import pagination_pb2


@pytest.fixture
def query():
    keeper, ctx = new_bank(), new_ctx()
    fund(keeper, ctx, {ALICE: {"uusdc": 10, "ussusd": 3}, BOB: {"uusdc": 5}})
    table = {r.path: r for r in queries.routes(keeper)}

    def run(path, request):
        route = table["/cosmos.bank.v1beta1.Query/" + path]
        assert isinstance(request, route.request_cls)
        return route.handler(ctx, request)

    return run


def _pairs(coins):
    return [(c.denom, c.amount) for c in coins]


def test_balance(query):
    r = query("Balance", q.QueryBalanceRequest(address=ALICE, denom="uusdc"))
    assert (r.balance.denom, r.balance.amount) == ("uusdc", "10")


def test_balance_of_empty_account_is_zero_coin(query):
    r = query("Balance", q.QueryBalanceRequest(address=CAROL, denom="uusdc"))
    assert (r.balance.denom, r.balance.amount) == ("uusdc", "0")


def test_balance_refuses_bad_address_and_denom(query):
    with pytest.raises(InvalidAddress):
        query("Balance", q.QueryBalanceRequest(address="nope", denom="uusdc"))
    with pytest.raises(InvalidCoins):  # the SDK's error for a malformed denom
        query("Balance", q.QueryBalanceRequest(address=ALICE, denom=""))


def test_all_balances_sorted_by_denom_with_total(query):
    req = q.QueryAllBalancesRequest(
        address=ALICE, pagination=pagination_pb2.PageRequest(count_total=True)
    )
    r = query("AllBalances", req)
    assert _pairs(r.balances) == [("ussusd", "3"), ("uusdc", "10")]
    assert r.pagination.total == 2


def test_total_supply(query):
    r = query("TotalSupply", q.QueryTotalSupplyRequest())
    assert _pairs(r.supply) == [("ussusd", "3"), ("uusdc", "15")]


def test_supply_of_known_and_absent_denom(query):
    assert query("SupplyOf", q.QuerySupplyOfRequest(denom="uusdc")).amount.amount == "15"
    assert query("SupplyOf", q.QuerySupplyOfRequest(denom="ufoo")).amount.amount == "0"
