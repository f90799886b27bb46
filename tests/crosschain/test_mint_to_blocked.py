"""Hole 1 of the hardening review: a CCTP burn whose mint recipient is a module account (orders
escrow, stablecoin reserve, crosschain unclaimed, cctp itself, the fee collector) used to be
minted there, where nobody can move the coins and the module's invariant breaks. It is now
refused with ``cctp/53 MintRecipientBlocked``: nothing minted, the nonce stays unused.
A mint to an order's deposit address (also blocked for users) still pays the order."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.bank.errors import BlockedRecipient
from stateset_chain.bank.state import BankKeeper
from stateset_chain.coins import USDC, Coin
from stateset_chain.crosschain.deposit import deposit_mint_recipient
from stateset_chain.crypto import address as addr
from stateset_chain.wiring import module_accounts
from tests.bank.helpers import FakeAccounts, fund, new_ctx
from tests.crosschain.helpers import UNIT, Net

BLOCKED_MODULES = [
    "orders_escrow", "stablecoin_reserve", "crosschain_unclaimed", "cctp", "fee_collector",
    "stablecoin",
]


@pytest.fixture
def net() -> Net:
    return Net.start()


@pytest.mark.parametrize("module", BLOCKED_MODULES)
def test_a_burn_to_a_module_account_is_refused_and_mints_nothing(net, module):
    recipient = addr.module_address(module)
    before = (net.supply(), net.balance(recipient))
    result, _ = net.relay(5 * UNIT, bytes(12) + addr.module_address_bytes(module))
    assert (result.codespace, result.code) == ("cctp", 53), result.log
    assert "module account" in result.log
    assert (net.supply(), net.balance(recipient)) == before


def test_a_refused_burn_can_be_relayed_again_no_nonce_is_used(net):
    result, raw = net.relay(UNIT, bytes(12) + addr.module_address_bytes("orders_escrow"))
    assert result.code == 53
    again = net.relay_raw(raw)
    assert (again.codespace, again.code) == ("cctp", 53)  # not NonceAlreadyUsed


def test_a_burn_to_an_order_deposit_address_still_pays_the_order(net):
    order_id = net.create_order("5")
    result, _ = net.relay(5 * UNIT, deposit_mint_recipient(order_id))
    assert result.code == 0, result.log
    assert net.order(order_id).amount_paid == 5 * UNIT


def test_the_bank_refuses_a_module_send_to_another_module_account():
    """The mechanism: like the SDK's SendCoinsFromModuleToAccount, a module's payout to an
    account the bank blocks (a module account) fails instead of stranding the coins."""
    keeper = BankKeeper(FakeAccounts(), module_accounts())
    ctx = new_ctx()
    fund(keeper, ctx, {addr.module_address("fee_collector"): {USDC: 10}})
    with pytest.raises(BlockedRecipient):
        keeper.send_from_module(
            ctx, "fee_collector", addr.module_address("orders_escrow"), [Coin(USDC, 1)]
        )
    assert keeper.balance(ctx.store, addr.module_address("orders_escrow"), USDC) == 0
