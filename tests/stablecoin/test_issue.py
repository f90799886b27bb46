"""MsgIssueStablecoin: lock uusdc in the reserve, mint the same ussusd to the sender."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.bank import invariants as bank_invariants
from stateset_chain.crypto import address
from stateset_chain.errors import InsufficientFunds, InvalidAddress
from stateset_chain.events import parse_typed_event
from stateset_chain.stablecoin import invariants
from stateset_chain.stablecoin.errors import InvalidAmount, IssuanceDisabled, MaxSupplyExceeded
from stateset_chain.stablecoin.msgs import issue as issue_msg
from tests.bank.helpers import ALICE, store_snapshot
from tests.delivery import handle
from tests.event_helpers import typed_events
from tests.stablecoin.helpers import new_stablecoin

from stateset.bank.v1 import events_pb2 as bank_events
from stateset.stablecoin.v1 import events_pb2, tx_pb2

RESERVE = address.module_address("stablecoin_reserve")
MINTER = address.module_address("stablecoin")


def issue(amount: str, sender: str = ALICE) -> tx_pb2.MsgIssueStablecoin:
    return tx_pb2.MsgIssueStablecoin(sender=sender, amount=amount)


def test_issue_locks_usdc_and_mints_ssusd_one_to_one():
    bank, keeper, ctx = new_stablecoin({ALICE: {"uusdc": 1000}})
    msg = issue("400")
    issue_msg.validate(msg)
    response = handle(issue_msg, keeper, ctx, msg)
    assert response.issued == "400"
    assert bank.balance(ctx.store, ALICE, "uusdc") == 600
    assert bank.balance(ctx.store, ALICE, "ussusd") == 400
    assert bank.balance(ctx.store, RESERVE, "uusdc") == 400
    assert bank.balance(ctx.store, MINTER, "ussusd") == 0
    assert keeper.reserve(ctx.store) == keeper.supply(ctx.store) == 400
    invariants.reserve_backs_supply(keeper, ctx)
    bank_invariants.total_supply(bank, ctx)


def test_issue_emits_bank_movements_then_stablecoin_issued():
    _, keeper, ctx = new_stablecoin({ALICE: {"uusdc": 1000}})
    handle(issue_msg, keeper, ctx, issue("400"))
    locked, minted, paid, issued = typed_events(ctx.events.events)
    locked = parse_typed_event(locked, bank_events.CoinsTransferred)
    assert (locked.sender, locked.recipient, locked.amount[0].denom) == (ALICE, RESERVE, "uusdc")
    minted = parse_typed_event(minted, bank_events.CoinsMinted)
    assert (minted.module, minted.amount[0].denom, minted.amount[0].amount) == (
        "stablecoin",
        "ussusd",
        "400",
    )
    paid = parse_typed_event(paid, bank_events.CoinsTransferred)
    assert (paid.sender, paid.recipient, paid.amount[0].denom) == (MINTER, ALICE, "ussusd")
    issued = parse_typed_event(issued, events_pb2.StablecoinIssued)
    assert (issued.sender, issued.amount) == (ALICE, "400")


def test_issue_without_enough_usdc_is_insufficient_funds():
    _, keeper, ctx = new_stablecoin({ALICE: {"uusdc": 10}})
    before = store_snapshot(ctx.store)
    with pytest.raises(InsufficientFunds):
        handle(issue_msg, keeper, ctx, issue("11"))
    assert store_snapshot(ctx.store) == before


def test_issue_when_disabled_is_refused():
    _, keeper, ctx = new_stablecoin({ALICE: {"uusdc": 10}}, {"issuance_enabled": False})
    with pytest.raises(IssuanceDisabled):
        handle(issue_msg, keeper, ctx, issue("1"))


def test_issue_up_to_max_supply_then_refused():
    _, keeper, ctx = new_stablecoin({ALICE: {"uusdc": 100}}, {"max_supply": "50"})
    handle(issue_msg, keeper, ctx, issue("30"))
    handle(issue_msg, keeper, ctx, issue("20"))
    assert keeper.supply(ctx.store) == 50
    with pytest.raises(MaxSupplyExceeded):
        handle(issue_msg, keeper, ctx, issue("1"))


def test_zero_max_supply_means_unlimited():
    _, keeper, ctx = new_stablecoin({ALICE: {"uusdc": 10**30}}, {"max_supply": "0"})
    handle(issue_msg, keeper, ctx, issue(str(10**30)))
    assert keeper.supply(ctx.store) == 10**30


@pytest.mark.parametrize("amount", ["", "0", "-1", "1.5", "01", " 1", "1e3", "١", str(2**256)])
def test_validate_refuses_bad_amounts(amount):
    with pytest.raises(InvalidAmount):
        issue_msg.validate(issue(amount))


@pytest.mark.parametrize("sender", ["", "stateset1xyz", ALICE.upper()])
def test_validate_refuses_bad_sender(sender):
    with pytest.raises(InvalidAddress):
        issue_msg.validate(issue("1", sender=sender))


def test_signer_is_the_sender():
    assert issue_msg.signers(issue("1")) == [ALICE]
