"""MsgRedeemStablecoin: burn ussusd from the sender, release the same uusdc from the reserve."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.bank import invariants as bank_invariants
from stateset_chain.crypto import address
from stateset_chain.errors import InsufficientFunds, InvalidAddress
from stateset_chain.events import parse_typed_event
from stateset_chain.stablecoin import invariants
from stateset_chain.stablecoin.errors import InsufficientReserve, InvalidAmount
from stateset_chain.stablecoin.msgs import issue as issue_msg
from stateset_chain.stablecoin.msgs import redeem as redeem_msg
from tests.bank.helpers import ALICE, BOB, store_snapshot
from tests.delivery import handle
from tests.event_helpers import typed_events
from tests.stablecoin.helpers import new_stablecoin

from stateset.bank.v1 import events_pb2 as bank_events
from stateset.stablecoin.v1 import events_pb2, tx_pb2

RESERVE = address.module_address("stablecoin_reserve")
MINTER = address.module_address("stablecoin")


def redeem(amount: str, sender: str = ALICE) -> tx_pb2.MsgRedeemStablecoin:
    return tx_pb2.MsgRedeemStablecoin(sender=sender, amount=amount)


@pytest.fixture
def issued():
    """ALICE issued 400 ussusd from 1000 uusdc."""
    bank, keeper, ctx = new_stablecoin({ALICE: {"uusdc": 1000}})
    handle(issue_msg, keeper, ctx, tx_pb2.MsgIssueStablecoin(sender=ALICE, amount="400"))
    ctx.events.events.clear()
    return bank, keeper, ctx


def test_redeem_burns_ssusd_and_releases_usdc(issued):
    bank, keeper, ctx = issued
    response = handle(redeem_msg, keeper, ctx, redeem("150"))
    assert response.released == "150"
    assert bank.balance(ctx.store, ALICE, "ussusd") == 250
    assert bank.balance(ctx.store, ALICE, "uusdc") == 750
    assert keeper.reserve(ctx.store) == keeper.supply(ctx.store) == 250
    invariants.reserve_backs_supply(keeper, ctx)
    bank_invariants.total_supply(bank, ctx)


def test_redeem_emits_bank_movements_then_stablecoin_redeemed(issued):
    _, keeper, ctx = issued
    handle(redeem_msg, keeper, ctx, redeem("150"))
    returned, burned, released, redeemed = typed_events(ctx.events.events)
    returned = parse_typed_event(returned, bank_events.CoinsTransferred)
    assert (returned.sender, returned.recipient, returned.amount[0].denom) == (
        ALICE,
        MINTER,
        "ussusd",
    )
    burned = parse_typed_event(burned, bank_events.CoinsBurned)
    assert (burned.module, burned.amount[0].amount) == ("stablecoin", "150")
    released = parse_typed_event(released, bank_events.CoinsTransferred)
    assert (released.sender, released.recipient, released.amount[0].denom) == (
        RESERVE,
        ALICE,
        "uusdc",
    )
    redeemed = parse_typed_event(redeemed, events_pb2.StablecoinRedeemed)
    assert (redeemed.sender, redeemed.amount) == (ALICE, "150")


def test_redeem_all_empties_reserve_and_supply(issued):
    bank, keeper, ctx = issued
    handle(redeem_msg, keeper, ctx, redeem("400"))
    assert keeper.reserve(ctx.store) == keeper.supply(ctx.store) == 0
    assert bank.all_balances(ctx.store, ALICE)[0].amount == 1000


def test_redeem_more_than_held_is_insufficient_funds(issued):
    bank, keeper, ctx = issued
    bank.send(
        ctx, ALICE, BOB, [c for c in bank.all_balances(ctx.store, ALICE) if c.denom == "ussusd"]
    )
    before = store_snapshot(ctx.store)
    with pytest.raises(InsufficientFunds):
        handle(redeem_msg, keeper, ctx, redeem("1"))
    assert store_snapshot(ctx.store) == before


def test_redeem_beyond_reserve_is_insufficient_reserve():
    """Only reachable if genesis broke the peg; the guard still refuses to pay unbacked coins."""
    _, keeper, ctx = new_stablecoin({ALICE: {"ussusd": 10}})
    with pytest.raises(InsufficientReserve):
        handle(redeem_msg, keeper, ctx, redeem("10"))


def test_redeem_is_open_when_issuance_is_disabled(issued):
    bank, keeper, ctx = issued
    params = keeper.params(ctx.store)
    params.issuance_enabled = False
    keeper.set_params(ctx.store, params)
    handle(redeem_msg, keeper, ctx, redeem("400"))
    assert bank.balance(ctx.store, ALICE, "uusdc") == 1000


def test_validate_refuses_bad_amount_and_sender():
    with pytest.raises(InvalidAmount):
        redeem_msg.validate(redeem("0"))
    with pytest.raises(InvalidAddress):
        redeem_msg.validate(redeem("1", sender="bob"))
