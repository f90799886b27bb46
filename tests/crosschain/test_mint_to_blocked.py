"""Hole 1 of the hardening review: a CCTP burn whose mint recipient is a module account (orders
escrow, stablecoin reserve, crosschain unclaimed, cctp itself, the fee collector) used to be
minted there, where nobody can move the coins and the module's invariant breaks.

Now such a mint never reaches the recipient. With the crosschain module wired (the standard
app), it is parked for its original sender as unclaimed funds (reason BLOCKED_RECIPIENT; cctp
emits MintRecipientBlockedParked instead of MintAndWithdraw), from where it goes back by
MsgRefundUnclaimed like any unclaimed payment; cctp alone refuses it (MintRecipientBlocked,
cctp/53). A mint to an order's deposit address (also blocked for users) still pays the order."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.bank.errors import BlockedRecipient
from stateset_chain.bank.state import BankKeeper
from stateset_chain.cctp.codec import keccak256
from stateset_chain.cctp.errors import MintRecipientBlocked
from stateset_chain.coins import USDC, Coin
from stateset_chain.crosschain.deposit import deposit_mint_recipient
from stateset_chain.crypto import address as addr
from stateset_chain.events import parse_typed_event
from stateset_chain.wiring import module_accounts
from tests.bank.helpers import FakeAccounts, fund, new_ctx
from tests.cctp.helpers import KEYS, RELAYER, inbound_message, new_env, sign
from tests.chain import CHAIN_ID
from tests.crosschain.helpers import ALICE_ETH, UNCLAIMED, UNIT, Net

from stateset.cctp.v1 import events_pb2 as cctp_events
from stateset.cctp.v1 import tx_pb2 as cctp_tx
from stateset.crosschain.v1.crosschain_pb2 import UnclaimedReason

BLOCKED_MODULES = [
    "orders_escrow", "stablecoin_reserve", "crosschain_unclaimed", "cctp", "fee_collector",
    "stablecoin",
]


@pytest.fixture
def net() -> Net:
    return Net.start()


def events_of(result, cls) -> list:
    name = cls.DESCRIPTOR.full_name
    return [parse_typed_event(e, cls) for e in result.events if e.type == name]


@pytest.mark.parametrize("module", BLOCKED_MODULES)
def test_a_burn_to_a_module_account_is_parked_for_its_sender_not_minted_there(net, module):
    recipient = addr.module_address(module)
    others = [m for m in BLOCKED_MODULES if m not in (module, "crosschain_unclaimed")]
    before = {m: net.balance(addr.module_address(m)) for m in others}
    supply, unclaimed = net.supply(), net.balance(UNCLAIMED)
    result, raw = net.relay(5 * UNIT, bytes(12) + addr.module_address_bytes(module))
    assert result.code == 0, result.log
    assert {m: net.balance(addr.module_address(m)) for m in others} == before
    assert net.supply() == supply + 5 * UNIT
    assert net.balance(UNCLAIMED) == unclaimed + 5 * UNIT
    record = net.unclaimed(keccak256(raw))
    assert record.reason == UnclaimedReason.UNCLAIMED_REASON_BLOCKED_RECIPIENT
    assert (int(record.amount), record.original_sender) == (5 * UNIT, ALICE_ETH)
    assert recipient in record.detail and "module account" in record.detail
    [parked] = events_of(result, cctp_events.MintRecipientBlockedParked)
    assert (parked.amount, parked.reason) == (str(5 * UNIT), "a module account")
    assert events_of(result, cctp_events.MintAndWithdraw) == []


def test_parked_funds_go_back_to_the_sender_on_the_source_chain(net):
    result, raw = net.relay(3 * UNIT, bytes(12) + addr.module_address_bytes("orders_escrow"))
    assert result.code == 0, result.log
    back = net.refund_unclaimed(keccak256(raw))
    assert back.code == 0, back.log
    assert net.unclaimed(keccak256(raw)) is None


def test_cctp_alone_refuses_a_blocked_recipient_and_mints_nothing():
    """Without a module to park it (cctp's own tests wire none), the receive fails like Noble's:
    nothing minted, the nonce stays unused."""
    env = new_env()
    supply = env.supply()
    raw = inbound_message(recipient=addr.module_address("cctp"))
    msg = cctp_tx.MsgReceiveMessage(signer=RELAYER, message=raw, attestation=sign(raw, KEYS[:2]))
    with pytest.raises(MintRecipientBlocked) as refused:
        env.deliver(msg)
    assert (refused.value.codespace, refused.value.code) == ("cctp", 53)
    assert env.supply() == supply


def test_a_burn_to_an_order_deposit_address_still_pays_the_order(net):
    order_id = net.create_order("5")
    result, _ = net.relay(5 * UNIT, deposit_mint_recipient(order_id, CHAIN_ID))
    assert result.code == 0, result.log
    assert net.order(order_id).amount_paid == 5 * UNIT


def test_the_bank_refuses_a_module_send_to_another_module_account():
    """The mechanism under every module payout: like the SDK's SendCoinsFromModuleToAccount, a
    module's payment to a module account fails instead of stranding the coins."""
    keeper = BankKeeper(FakeAccounts(), module_accounts())
    ctx = new_ctx()
    fund(keeper, ctx, {addr.module_address("fee_collector"): {USDC: 10}})
    with pytest.raises(BlockedRecipient):
        keeper.send_from_module(
            ctx, "fee_collector", addr.module_address("orders_escrow"), [Coin(USDC, 1)]
        )
    assert keeper.balance(ctx.store, addr.module_address("orders_escrow"), USDC) == 0
