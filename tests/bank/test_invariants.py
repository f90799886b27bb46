"""The total-supply invariant catches every way supply and balances can disagree."""

from __future__ import annotations

import pytest

from stateset_chain.bank import invariants
from stateset_chain.bank.state import BankKeeper
from stateset_chain.crypto import address
from stateset_chain.errors import InvariantBroken
from tests.bank.helpers import ALICE, fund, new_bank, new_ctx


@pytest.fixture
def ctx():
    keeper, ctx = new_bank(), new_ctx()
    fund(keeper, ctx, {ALICE: {"uusdc": 10}})
    invariants.total_supply(keeper, ctx)
    return ctx


def test_balance_without_supply_breaks_it(ctx):
    BankKeeper.balances.set(ctx.store, (address.decode(ALICE), "ussusd"), 1)
    with pytest.raises(InvariantBroken):
        invariants.total_supply(BankKeeper, ctx)


def test_supply_without_balance_breaks_it(ctx):
    BankKeeper.supplies.set(ctx.store, "ufoo", 1)
    with pytest.raises(InvariantBroken):
        invariants.total_supply(BankKeeper, ctx)


def test_supply_off_by_one_breaks_it(ctx):
    BankKeeper.supplies.set(ctx.store, "uusdc", 11)
    with pytest.raises(InvariantBroken):
        invariants.total_supply(BankKeeper, ctx)


def test_stored_zero_balance_breaks_it(ctx):
    BankKeeper.balances.set(ctx.store, (address.decode(ALICE), "ufoo"), 0)
    with pytest.raises(InvariantBroken):
        invariants.total_supply(BankKeeper, ctx)
