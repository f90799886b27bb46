"""MsgSend: stateless validation, the handler's guards, balances and events."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.bank.errors import BlockedRecipient, UnknownDenom
from stateset_chain.bank.msgs import send as msg_send
from stateset_chain.coins import Coin
from stateset_chain.crypto import address
from stateset_chain.errors import InsufficientFunds, InvalidAddress, InvalidCoins
from stateset_chain.events import parse_typed_event
from tests.bank.helpers import ALICE, BOB, CAROL, fund, new_bank, new_ctx, store_snapshot
from tests.delivery import handle
from tests.event_helpers import typed_events

from cosmos.bank.v1beta1 import tx_pb2
from cosmos.base.v1beta1.coin_pb2 import Coin as PbCoin
from stateset.bank.v1 import events_pb2


def send_msg(frm=ALICE, to=BOB, **coins) -> tx_pb2.MsgSend:
    amount = [PbCoin(denom=d, amount=str(n)) for d, n in sorted(coins.items())]
    return tx_pb2.MsgSend(from_address=frm, to_address=to, amount=amount)


@pytest.fixture
def bank_ctx():
    keeper = new_bank()
    ctx = new_ctx()
    fund(keeper, ctx, {ALICE: {"uusdc": 1000, "ussusd": 50}})
    ctx.events.events.clear()
    return keeper, ctx


def test_send_moves_coins_and_emits_coins_transferred(bank_ctx):
    keeper, ctx = bank_ctx
    msg = send_msg(uusdc=300, ussusd=50)
    msg_send.validate(msg)
    assert handle(msg_send, keeper, ctx, msg) == tx_pb2.MsgSendResponse()
    assert keeper.balance(ctx.store, ALICE, "uusdc") == 700
    assert keeper.balance(ctx.store, BOB, "uusdc") == 300
    assert keeper.balance(ctx.store, BOB, "ussusd") == 50
    assert keeper.supply(ctx.store, "uusdc") == 1000
    [event] = typed_events(ctx.events.events)
    parsed = parse_typed_event(event, events_pb2.CoinsTransferred)
    assert parsed.sender == ALICE and parsed.recipient == BOB
    assert [(c.denom, c.amount) for c in parsed.amount] == [("ussusd", "50"), ("uusdc", "300")]


def test_send_moves_the_coins_its_validation_parsed_not_a_second_parse(bank_ctx):
    keeper, ctx = bank_ctx
    msg = send_msg(uusdc=300)
    assert msg_send.validate(msg) == [Coin("uusdc", 300)]
    msg_send.handle(keeper, ctx, msg, [Coin("uusdc", 7)])  # the app passes what validate returned
    assert keeper.balance(ctx.store, BOB, "uusdc") == 7


def test_send_deletes_emptied_balance(bank_ctx):
    keeper, ctx = bank_ctx
    handle(msg_send, keeper, ctx, send_msg(ussusd=50))
    assert keeper.balance(ctx.store, ALICE, "ussusd") == 0
    assert [c.denom for c in keeper.all_balances(ctx.store, ALICE)] == ["uusdc"]


def test_send_to_new_address_creates_its_account(bank_ctx):
    keeper, ctx = bank_ctx
    assert keeper.accounts.number(ctx.store, CAROL) is None
    handle(msg_send, keeper, ctx, send_msg(to=CAROL, uusdc=1))
    assert keeper.accounts.number(ctx.store, CAROL) is not None


def test_send_more_than_balance_is_insufficient_funds_with_sdk_log(bank_ctx):
    keeper, ctx = bank_ctx
    before = store_snapshot(ctx.store)
    with pytest.raises(InsufficientFunds) as e:
        handle(msg_send, keeper, ctx, send_msg(uusdc=1001))
    assert (
        e.value.log == "spendable balance 1000uusdc is smaller than 1001uusdc: insufficient funds"
    )
    assert store_snapshot(ctx.store) == before
    assert ctx.events.events == []


def test_send_checks_every_coin_before_moving_any(bank_ctx):
    keeper, ctx = bank_ctx
    before = store_snapshot(ctx.store)
    with pytest.raises(InsufficientFunds):
        handle(msg_send, keeper, ctx, send_msg(uusdc=1, ussusd=51))
    assert store_snapshot(ctx.store) == before


def test_send_from_empty_account_reports_zero_balance(bank_ctx):
    keeper, ctx = bank_ctx
    with pytest.raises(InsufficientFunds) as e:
        handle(msg_send, keeper, ctx, send_msg(frm=CAROL, uusdc=100))
    assert e.value.detail == "spendable balance 0uusdc is smaller than 100uusdc"


def test_send_of_unknown_denom_is_refused(bank_ctx):
    keeper, ctx = bank_ctx
    with pytest.raises(UnknownDenom):
        handle(msg_send, keeper, ctx, send_msg(ustake=1))


@pytest.mark.parametrize("module", ["fee_collector", "stablecoin", "stablecoin_reserve"])
def test_send_to_module_account_is_blocked(bank_ctx, module):
    keeper, ctx = bank_ctx
    with pytest.raises(BlockedRecipient):
        handle(msg_send, keeper, ctx, send_msg(to=address.module_address(module), uusdc=1))


def test_signer_is_the_from_address():
    assert msg_send.signers(send_msg()) == [ALICE]


@pytest.mark.parametrize(
    "frm,to",
    [
        ("", BOB),
        (ALICE, ""),
        ("stateset1notbech32", BOB),
        (ALICE, address.encode(bytes(20), prefix="cosmos")),
        (ALICE.upper(), BOB),  # valid bech32, but not the canonical spelling
    ],
)
def test_validate_refuses_bad_addresses(frm, to):
    with pytest.raises(InvalidAddress):
        msg_send.validate(send_msg(frm=frm, to=to, uusdc=1))


@pytest.mark.parametrize(
    "amount",
    [
        [],
        [PbCoin(denom="uusdc", amount="0")],
        [PbCoin(denom="uusdc", amount="-1")],
        [PbCoin(denom="uusdc", amount="1.5")],
        [PbCoin(denom="uusdc", amount="1"), PbCoin(denom="ussusd", amount="1")],  # unsorted
        [PbCoin(denom="uusdc", amount="1"), PbCoin(denom="uusdc", amount="2")],  # duplicate
        [PbCoin(denom="9bad", amount="1")],
    ],
)
def test_validate_refuses_bad_coins(amount):
    msg = tx_pb2.MsgSend(from_address=ALICE, to_address=BOB, amount=amount)
    with pytest.raises(InvalidCoins):
        msg_send.validate(msg)
