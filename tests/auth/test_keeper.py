"""AuthKeeper: accounts created once with increasing numbers, params cached only while unchanged,
and the account-number invariant."""

from __future__ import annotations

import pytest

from stateset_chain.auth import invariants
from stateset_chain.auth.params import Params
from stateset_chain.auth.state import AuthKeeper, address_bytes
from stateset_chain.bank.state import BankKeeper
from stateset_chain.coins import Coin
from stateset_chain.context import BlockInfo, Context
from stateset_chain.crypto.address import decode, module_address
from stateset_chain.errors import InvalidAddress, InvariantBroken
from stateset_chain.store.kv import Branch, MemoryKV
from tests.auth.helpers import ALICE, BOB, addr


@pytest.fixture
def store():
    return Branch(MemoryKV())


def test_ensure_account_creates_once_with_the_next_number(store):
    keeper = AuthKeeper()
    assert keeper.account(store, addr(ALICE)) is None
    keeper.ensure_account(store, addr(ALICE))
    keeper.ensure_account(store, addr(BOB))
    keeper.ensure_account(store, addr(ALICE))
    alice, bob = keeper.account(store, addr(ALICE)), keeper.account(store, addr(BOB))
    assert (alice.address, alice.account_number, alice.sequence) == (addr(ALICE), 0, 0)
    assert not alice.HasField("pub_key")
    assert bob.account_number == 1
    assert keeper.next_account_number(store) == 2


def test_an_upper_case_address_is_stored_in_canonical_form(store):
    keeper = AuthKeeper()
    keeper.ensure_account(store, addr(ALICE).upper())
    assert keeper.account(store, addr(ALICE)).address == addr(ALICE)


def test_accounts_are_keyed_by_address_bytes(store):
    keeper = AuthKeeper()
    keeper.ensure_account(store, addr(ALICE))
    assert AuthKeeper.accounts.has(store, decode(addr(ALICE)))


def test_module_accounts_are_ordinary_accounts(store):
    keeper = AuthKeeper()
    keeper.ensure_account(store, module_address("fee_collector"))
    assert keeper.account(store, module_address("fee_collector")).account_number == 0


def test_the_bank_creates_accounts_for_recipients_through_the_keeper(store):
    keeper = AuthKeeper()
    bank = BankKeeper(keeper, {"faucet": frozenset({"minter"})})
    ctx = Context(store, BlockInfo(1, 0, "t"))
    bank.mint(ctx, "faucet", [Coin("uusdc", 10)])
    bank.send_from_module(ctx, "faucet", addr(BOB), [Coin("uusdc", 10)])
    assert keeper.account(store, module_address("faucet")).account_number == 0
    assert keeper.account(store, addr(BOB)).account_number == 1


def test_invalid_addresses_raise_and_are_not_cached():
    with pytest.raises(InvalidAddress):
        address_bytes("stateset1bad")
    with pytest.raises(InvalidAddress):
        address_bytes("stateset1bad")
    assert address_bytes(addr(ALICE)) == decode(addr(ALICE))


def test_params_follow_the_store_on_every_branch(store):
    keeper = AuthKeeper()
    assert keeper.params(store) == Params()  # nothing stored: defaults
    keeper.set_params(store, Params(tx_sig_limit=3))
    assert keeper.params(store).tx_sig_limit == 3
    other = Branch(store)
    keeper.set_params(other, Params(tx_sig_limit=5))
    assert keeper.params(other).tx_sig_limit == 5
    assert keeper.params(store).tx_sig_limit == 3  # the cache never leaks across branches


def test_invalid_params_cannot_be_stored(store):
    with pytest.raises(ValueError):
        AuthKeeper().set_params(store, Params(tx_sig_limit=0))


def test_the_account_number_invariant_holds_and_detects_breakage(store):
    keeper = AuthKeeper()
    ctx = Context(store, BlockInfo(1, 0, "t"))
    keeper.ensure_account(store, addr(ALICE))
    keeper.ensure_account(store, addr(BOB))
    invariants.account_numbers(keeper, ctx)
    bob = keeper.account(store, addr(BOB))
    bob.account_number = 0
    keeper.set_account(store, bob)
    with pytest.raises(InvariantBroken, match="duplicated"):
        invariants.account_numbers(keeper, ctx)
    bob.account_number = 1
    keeper.set_account(store, bob)
    keeper.account_numbers.set(store, 1)
    with pytest.raises(InvariantBroken, match="not below"):
        invariants.account_numbers(keeper, ctx)
