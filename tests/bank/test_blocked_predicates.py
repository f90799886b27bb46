"""Extra blocked recipients: wiring can block user sends to a class of addresses (recognised
from the raw bytes) without the bank knowing the module that defines them; the movement
primitives other modules use still pay those addresses."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.bank.errors import BlockedRecipient
from stateset_chain.bank.msgs import send as msg_send
from stateset_chain.bank.state import MODULE_ACCOUNT, BankKeeper
from stateset_chain.coins import Coin
from stateset_chain.crypto import address
from tests.bank.helpers import (
    ALICE,
    BOB,
    FAUCET,
    TEST_MODULE_ACCOUNTS,
    FakeAccounts,
    fund,
    new_ctx,
    store_snapshot,
)
from tests.delivery import handle

from cosmos.bank.v1beta1 import tx_pb2
from cosmos.base.v1beta1.coin_pb2 import Coin as PbCoin

SEALED = address.encode(b"sealed" + bytes(14))
OTHER = address.encode(b"other!" + bytes(14))


def sealed(raw: bytes) -> bool:
    return raw.startswith(b"sealed")


def other(raw: bytes) -> bool:
    return raw.startswith(b"other!")


def keeper_with(**predicates) -> BankKeeper:
    return BankKeeper(
        FakeAccounts(),
        TEST_MODULE_ACCOUNTS,
        blocked_predicates={name.replace("_", " "): p for name, p in predicates.items()},
    )


@pytest.fixture
def bank_ctx():
    keeper = keeper_with(a_sealed_box=sealed, an_other_box=other)
    ctx = new_ctx()
    fund(keeper, ctx, {ALICE: {"uusdc": 1000}})
    ctx.events.events.clear()
    return keeper, ctx


def send(to: str, amount: int = 5) -> tx_pb2.MsgSend:
    return tx_pb2.MsgSend(
        from_address=ALICE, to_address=to, amount=[PbCoin(denom="uusdc", amount=str(amount))]
    )


def test_blocked_reason_names_the_first_matching_class():
    keeper = keeper_with(a_sealed_box=sealed, an_other_box=other)
    assert keeper.blocked_reason(SEALED) == "a sealed box"
    assert keeper.blocked_reason(OTHER) == "an other box"
    assert keeper.blocked_reason(address.module_address("fee_collector")) == MODULE_ACCOUNT
    assert keeper.blocked_reason(ALICE) is None


def test_is_blocked_stays_the_module_accounts():
    """claim_unclaimed gives a module account its own error through is_blocked."""
    keeper = keeper_with(a_sealed_box=sealed)
    assert keeper.is_blocked(address.module_address("stablecoin_reserve"))
    assert not keeper.is_blocked(SEALED)


def test_without_predicates_only_module_accounts_are_blocked():
    keeper = BankKeeper(FakeAccounts(), TEST_MODULE_ACCOUNTS)
    assert keeper.blocked_reason(SEALED) is None
    assert keeper.blocked_reason(address.module_address(FAUCET)) == MODULE_ACCOUNT


@pytest.mark.parametrize("to,what", [(SEALED, "a sealed box"), (OTHER, "an other box")])
def test_msg_send_to_a_blocked_class_is_refused_and_changes_nothing(bank_ctx, to, what):
    keeper, ctx = bank_ctx
    before = store_snapshot(ctx.store)
    with pytest.raises(BlockedRecipient) as e:
        handle(msg_send, keeper, ctx, send(to))
    assert e.value.detail == f"{to} is {what}"
    assert store_snapshot(ctx.store) == before
    assert ctx.events.events == []


def test_msg_send_to_a_module_account_log_names_it(bank_ctx):
    keeper, ctx = bank_ctx
    fee_collector = address.module_address("fee_collector")
    with pytest.raises(BlockedRecipient) as e:
        handle(msg_send, keeper, ctx, send(fee_collector))
    assert e.value.detail == f"{fee_collector} is a module account"


def test_msg_send_to_an_ordinary_address_still_works(bank_ctx):
    keeper, ctx = bank_ctx
    handle(msg_send, keeper, ctx, send(BOB, 7))
    assert keeper.balance(ctx.store, BOB, "uusdc") == 7


def test_keeper_primitives_still_pay_a_blocked_class(bank_ctx):
    """A module's own movements are not user sends: cctp mints to a deposit address this way."""
    keeper, ctx = bank_ctx
    keeper.mint(ctx, FAUCET, [Coin("uusdc", 9)])
    keeper.send_from_module(ctx, FAUCET, SEALED, [Coin("uusdc", 9)])
    keeper.send(ctx, SEALED, BOB, [Coin("uusdc", 4)])
    assert keeper.balance(ctx.store, SEALED, "uusdc") == 5
    assert keeper.balance(ctx.store, BOB, "uusdc") == 4
