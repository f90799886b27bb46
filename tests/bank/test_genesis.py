"""Bank genesis: init computes supply, refuses bad input, and export is its exact inverse."""

from __future__ import annotations

import pytest

from stateset_chain.bank import genesis, invariants
from stateset_chain.bank.errors import InvalidGenesis
from tests.bank.helpers import ALICE, BOB, CAROL, new_bank, new_ctx


def _coins(**amounts):
    return [{"denom": d, "amount": str(n)} for d, n in sorted(amounts.items())]


GENESIS = {
    "balances": [
        {"address": ALICE, "coins": _coins(uusdc=1000, ussusd=5)},
        {"address": BOB, "coins": _coins(uusdc=1)},
    ],
    "denoms": ["ussusd", "uusdc"],
}


def test_init_sets_balances_computes_supply_and_creates_accounts():
    keeper, ctx = new_bank(), new_ctx()
    genesis.init_genesis(keeper, ctx, GENESIS)
    assert keeper.balance(ctx.store, ALICE, "uusdc") == 1000
    assert keeper.supply(ctx.store, "uusdc") == 1001
    assert keeper.supply(ctx.store, "ussusd") == 5
    assert keeper.accounts.number(ctx.store, ALICE) is not None
    assert keeper.accounts.number(ctx.store, BOB) is not None
    invariants.total_supply(keeper, ctx)


def test_export_is_deterministic_and_round_trips():
    keeper, ctx = new_bank(), new_ctx()
    genesis.init_genesis(keeper, ctx, GENESIS)
    exported = genesis.export_genesis(keeper, ctx)
    assert exported["supply"] == _coins(uusdc=1001, ussusd=5)
    assert exported["denoms"] == ["ussusd", "uusdc"]
    assert sorted(exported["balances"], key=lambda b: b["address"]) == sorted(
        GENESIS["balances"], key=lambda b: b["address"]
    )
    again, ctx2 = new_bank(), new_ctx()
    genesis.init_genesis(again, ctx2, exported)
    assert genesis.export_genesis(again, ctx2) == exported
    assert list(ctx2.store.iterate()) == list(ctx.store.iterate())


def test_empty_genesis_is_valid_and_exports_empty():
    keeper, ctx = new_bank(), new_ctx()
    genesis.init_genesis(keeper, ctx, {})
    assert genesis.export_genesis(keeper, ctx) == {
        "balances": [], "denoms": [], "denom_metadata": [], "supply": []
    }


def test_denoms_held_in_genesis_become_known():
    keeper, ctx = new_bank(), new_ctx()
    genesis.init_genesis(keeper, ctx, {"balances": [{"address": CAROL, "coins": _coins(ufoo=1)}]})
    assert keeper.is_known_denom(ctx.store, "ufoo")


def test_given_supply_that_matches_is_accepted():
    keeper, ctx = new_bank(), new_ctx()
    genesis.init_genesis(keeper, ctx, {**GENESIS, "supply": _coins(uusdc=1001, ussusd=5)})


@pytest.mark.parametrize(
    "bad",
    [
        {**GENESIS, "supply": _coins(uusdc=1000, ussusd=5)},  # supply != Σ balances
        {**GENESIS, "supply": _coins(uusdc=1001)},  # a denom missing from supply
        {"balances": GENESIS["balances"] + [{"address": ALICE, "coins": _coins(uusdc=1)}]},
        {"balances": [{"address": "stateset1bad", "coins": _coins(uusdc=1)}]},
        {"balances": [{"address": ALICE, "coins": _coins(uusdc=0)}]},
        {"balances": [{"address": ALICE, "coins": [{"denom": "uusdc", "amount": 5}]}]},
        {"balances": [{"address": ALICE, "coins": [{"denom": "uusdc", "amount": "-5"}]}]},
        {"balances": [{"address": ALICE, "coins": _coins(uusdc=1)[::-1] + _coins(ussusd=1)}]},
        {"balances": [{"address": ALICE}]},
        {"denoms": ["!"]},
    ],
)
def test_invalid_genesis_is_refused(bad):
    with pytest.raises(InvalidGenesis):
        genesis.init_genesis(new_bank(), new_ctx(), bad)
