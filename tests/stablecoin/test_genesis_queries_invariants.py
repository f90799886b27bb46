"""Stablecoin genesis round trip, its queries, and the peg invariant."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.bank.state import BankKeeper
from stateset_chain.crypto import address
from stateset_chain.errors import InvariantBroken
from stateset_chain.stablecoin import genesis, invariants, queries
from stateset_chain.stablecoin.errors import InvalidParams
from stateset_chain.stablecoin.msgs import issue as issue_msg
from stateset_chain.stablecoin.state import StablecoinKeeper
from tests.bank.helpers import ALICE, new_bank, new_ctx
from tests.delivery import handle
from tests.stablecoin.helpers import new_stablecoin

from stateset.stablecoin.v1 import query_pb2 as q
from stateset.stablecoin.v1 import tx_pb2


def test_empty_genesis_gives_default_params():
    keeper, ctx = StablecoinKeeper(new_bank()), new_ctx()
    genesis.init_genesis(keeper, ctx, {})
    assert genesis.export_genesis(keeper, ctx) == {
        "params": {"issuance_enabled": True, "max_supply": "0"}
    }


def test_genesis_round_trips():
    data = {"params": {"issuance_enabled": False, "max_supply": "5000000"}}
    keeper, ctx = StablecoinKeeper(new_bank()), new_ctx()
    genesis.init_genesis(keeper, ctx, data)
    assert genesis.export_genesis(keeper, ctx) == data
    again, ctx2 = StablecoinKeeper(new_bank()), new_ctx()
    genesis.init_genesis(again, ctx2, genesis.export_genesis(keeper, ctx))
    assert list(ctx2.store.iterate()) == list(ctx.store.iterate())


@pytest.mark.parametrize(
    "params",
    [{"max_supply": "-1"}, {"max_supply": "1.5"}, {"max_supply": "007"}, {"unknown": 1}],
)
def test_invalid_params_are_refused(params):
    with pytest.raises(InvalidParams):
        genesis.init_genesis(StablecoinKeeper(new_bank()), new_ctx(), {"params": params})


def _route(keeper, name):
    [route] = [
        r for r in queries.routes(keeper) if r.path == f"/stateset.stablecoin.v1.Query/{name}"
    ]
    return route


def test_params_query():
    _, keeper, ctx = new_stablecoin({}, {"max_supply": "9"})
    r = _route(keeper, "Params").handler(ctx, q.QueryParamsRequest())
    assert (r.params.issuance_enabled, r.params.max_supply) == (True, "9")


def test_reserve_query_reports_reserve_and_supply():
    _, keeper, ctx = new_stablecoin({ALICE: {"uusdc": 100}})
    handle(issue_msg, keeper, ctx, tx_pb2.MsgIssueStablecoin(sender=ALICE, amount="70"))
    r = _route(keeper, "Reserve").handler(ctx, q.QueryReserveRequest())
    assert r.reserve_address == address.module_address("stablecoin_reserve")
    assert (r.reserve.denom, r.reserve.amount) == ("uusdc", "70")
    assert (r.supply.denom, r.supply.amount) == ("ussusd", "70")


def test_peg_invariant_holds_on_empty_state_and_breaks_on_unbacked_supply():
    _, keeper, ctx = new_stablecoin({})
    invariants.reserve_backs_supply(keeper, ctx)
    _, keeper, ctx = new_stablecoin({ALICE: {"ussusd": 1}})
    with pytest.raises(InvariantBroken):
        invariants.reserve_backs_supply(keeper, ctx)


def test_peg_invariant_breaks_on_unclaimed_reserve():
    _, keeper, ctx = new_stablecoin({})
    reserve = address.decode(keeper.reserve_address)
    BankKeeper.balances.set(ctx.store, (reserve, "uusdc"), 5)
    with pytest.raises(InvariantBroken):
        invariants.reserve_backs_supply(keeper, ctx)
