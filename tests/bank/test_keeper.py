"""The keeper API other modules use: module transfers, mint and burn, permissions, events."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.bank.state import BankKeeper, ModulePermissionError
from stateset_chain.coins import Coin
from stateset_chain.crypto import address
from stateset_chain.errors import InsufficientFunds, InvalidCoins
from stateset_chain.events import parse_typed_event
from tests.bank.helpers import ALICE, BOB, FAUCET, FakeAccounts, fund, new_bank, new_ctx
from tests.event_helpers import typed_events

from stateset.bank.v1 import events_pb2


def test_mint_credits_module_account_grows_supply_and_emits_coins_minted():
    keeper, ctx = new_bank(), new_ctx()
    keeper.mint(ctx, FAUCET, [Coin("uusdc", 500)])
    faucet = address.module_address(FAUCET)
    assert keeper.balance(ctx.store, faucet, "uusdc") == 500
    assert keeper.supply(ctx.store, "uusdc") == 500
    assert keeper.is_known_denom(ctx.store, "uusdc")
    assert keeper.accounts.number(ctx.store, faucet) is not None
    [event] = typed_events(ctx.events.events)
    minted = parse_typed_event(event, events_pb2.CoinsMinted)
    assert minted.module == FAUCET
    assert [(c.denom, c.amount) for c in minted.amount] == [("uusdc", "500")]


def test_burn_destroys_module_coins_and_emits_coins_burned():
    keeper, ctx = new_bank(), new_ctx()
    keeper.mint(ctx, FAUCET, [Coin("uusdc", 500)])
    keeper.burn(ctx, FAUCET, [Coin("uusdc", 500)])
    assert keeper.supply(ctx.store, "uusdc") == 0
    assert keeper.total_supply(ctx.store) == []
    assert keeper.all_balances(ctx.store, address.module_address(FAUCET)) == []
    burned = parse_typed_event(ctx.events.events[-1], events_pb2.CoinsBurned)
    assert burned.module == FAUCET
    assert [(c.denom, c.amount) for c in burned.amount] == [("uusdc", "500")]


def test_burn_more_than_module_holds_is_insufficient_funds():
    keeper, ctx = new_bank(), new_ctx()
    keeper.mint(ctx, FAUCET, [Coin("uusdc", 5)])
    with pytest.raises(InsufficientFunds):
        keeper.burn(ctx, FAUCET, [Coin("uusdc", 6)])
    assert keeper.supply(ctx.store, "uusdc") == 5


def test_mint_and_burn_need_the_module_permission():
    keeper = BankKeeper(FakeAccounts(), {"plain": frozenset()})
    ctx = new_ctx()
    with pytest.raises(ModulePermissionError):
        keeper.mint(ctx, "plain", [Coin("uusdc", 1)])
    with pytest.raises(ModulePermissionError):
        keeper.burn(ctx, "undeclared", [Coin("uusdc", 1)])


def test_module_transfers_emit_coins_transferred_with_module_address():
    keeper, ctx = new_bank(), new_ctx()
    fund(keeper, ctx, {ALICE: {"uusdc": 100}})
    keeper.send_to_module(ctx, ALICE, "fee_collector", [Coin("uusdc", 10)])
    keeper.send_from_module(ctx, "fee_collector", BOB, [Coin("uusdc", 4)])
    collector = address.module_address("fee_collector")
    assert keeper.balance(ctx.store, collector, "uusdc") == 6
    assert keeper.balance(ctx.store, BOB, "uusdc") == 4
    to_module, from_module = (
        parse_typed_event(e, events_pb2.CoinsTransferred) for e in typed_events(ctx.events.events)
    )
    assert (to_module.sender, to_module.recipient) == (ALICE, collector)
    assert (from_module.sender, from_module.recipient) == (collector, BOB)


def test_moving_no_coins_is_a_no_op_without_event():
    keeper, ctx = new_bank(), new_ctx()
    keeper.send(ctx, ALICE, BOB, [])
    keeper.mint(ctx, FAUCET, [])
    assert ctx.events.events == []
    assert list(ctx.store.iterate()) == []


@pytest.mark.parametrize(
    "coins",
    [
        [Coin("uusdc", 0)],
        [Coin("uusdc", 1), Coin("ussusd", 1)],
        [Coin("uusdc", 1), Coin("uusdc", 1)],
    ],
)
def test_keeper_refuses_zero_unsorted_or_duplicate_coins(coins):
    keeper, ctx = new_bank(), new_ctx()
    with pytest.raises(InvalidCoins):
        keeper.mint(ctx, FAUCET, coins)


def test_mint_refuses_supply_overflow():
    keeper, ctx = new_bank(), new_ctx()
    keeper.mint(ctx, FAUCET, [Coin("uusdc", 2**256 - 1)])
    with pytest.raises(InvalidCoins):
        keeper.mint(ctx, FAUCET, [Coin("uusdc", 1)])


def test_balance_key_is_the_address_bytes_so_case_does_not_split_an_account():
    keeper, ctx = new_bank(), new_ctx()
    fund(keeper, ctx, {ALICE: {"uusdc": 7}})
    assert keeper.balance(ctx.store, ALICE.upper(), "uusdc") == 7


def test_blocked_addresses_are_the_declared_module_accounts():
    keeper = new_bank()
    assert keeper.is_blocked(address.module_address("stablecoin_reserve"))
    assert not keeper.is_blocked(ALICE)
