"""The bank's plain Cosmos SDK events: every movement primitive emits ``coin_spent`` /
``coin_received`` and ``transfer`` / ``coinbase`` / ``burn`` with the SDK's attribute names and
plain values (``sdk.Coins.String()`` amounts), before its typed event, every attribute indexed."""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.coins import Coin
from stateset_chain.crypto import address
from tests.bank.helpers import ALICE, BOB, FAUCET, fund, new_bank, new_ctx
from tests.event_helpers import plain_events


def pairs(event) -> list[tuple[str, str]]:
    return [(a.key, a.value) for a in event.attributes]


def test_send_emits_coin_spent_coin_received_transfer_then_the_typed_event():
    keeper, ctx = new_bank(), new_ctx()
    fund(keeper, ctx, {ALICE: {"uusdc": 1000, "ussusd": 100}})
    keeper.send(ctx, ALICE, BOB, [Coin("ussusd", 50), Coin("uusdc", 300)])
    events = ctx.events.events
    assert [e.type for e in events] == [
        "coin_spent", "coin_received", "transfer", "stateset.bank.v1.CoinsTransferred",
    ]
    spent, received, transfer = plain_events(events)
    amount = "50ussusd,300uusdc"
    assert pairs(spent) == [("spender", ALICE), ("amount", amount)]
    assert pairs(received) == [("receiver", BOB), ("amount", amount)]
    assert pairs(transfer) == [("recipient", BOB), ("sender", ALICE), ("amount", amount)]
    assert all(a.index for e in events for a in e.attributes)


def test_module_sends_name_the_module_account_address():
    keeper, ctx = new_bank(), new_ctx()
    fund(keeper, ctx, {ALICE: {"uusdc": 10}})
    keeper.send_to_module(ctx, ALICE, "fee_collector", [Coin("uusdc", 6)])
    collector = address.module_address("fee_collector")
    transfer = next(e for e in ctx.events.events if e.type == "transfer")
    assert pairs(transfer) == [("recipient", collector), ("sender", ALICE), ("amount", "6uusdc")]


def test_mint_emits_coin_received_and_coinbase_by_the_module_account():
    keeper, ctx = new_bank(), new_ctx()
    keeper.mint(ctx, FAUCET, [Coin("uusdc", 500)])
    faucet = address.module_address(FAUCET)
    assert [e.type for e in ctx.events.events] == [
        "coin_received", "coinbase", "stateset.bank.v1.CoinsMinted",
    ]
    received, coinbase = plain_events(ctx.events.events)
    assert pairs(received) == [("receiver", faucet), ("amount", "500uusdc")]
    assert pairs(coinbase) == [("minter", faucet), ("amount", "500uusdc")]


def test_burn_emits_coin_spent_and_burn_by_the_module_account():
    keeper, ctx = new_bank(), new_ctx()
    keeper.mint(ctx, FAUCET, [Coin("uusdc", 500)])
    ctx = new_ctx(ctx.store)
    keeper.burn(ctx, FAUCET, [Coin("uusdc", 200)])
    faucet = address.module_address(FAUCET)
    assert [e.type for e in ctx.events.events] == [
        "coin_spent", "burn", "stateset.bank.v1.CoinsBurned",
    ]
    spent, burn = plain_events(ctx.events.events)
    assert pairs(spent) == [("spender", faucet), ("amount", "200uusdc")]
    assert pairs(burn) == [("burner", faucet), ("amount", "200uusdc")]


def test_a_refused_send_emits_nothing():
    keeper, ctx = new_bank(), new_ctx()
    fund(keeper, ctx, {ALICE: {"uusdc": 5}})
    try:
        keeper.send(ctx, ALICE, BOB, [Coin("uusdc", 6)])
    except Exception:
        pass
    assert ctx.events.events == []
