"""Auth genesis: params and accounts in, the same out; invalid input is a clear InvalidGenesis."""

from __future__ import annotations

import base64

import pytest

from stateset_chain.auth import genesis
from stateset_chain.auth.errors import InvalidGenesis
from stateset_chain.auth.params import Params, parse_dec
from stateset_chain.auth.state import AuthKeeper, account_pubkey
from stateset_chain.coins import Coin
from stateset_chain.context import BlockInfo, Context
from stateset_chain.crypto.address import encode
from stateset_chain.store.kv import MemoryKV
from tests.auth.helpers import ALICE, BOB, CAROL, addr, new_chain, signed


def fresh() -> tuple[AuthKeeper, Context]:
    return AuthKeeper(), Context(MemoryKV(), BlockInfo(0, 0, "test"))


def pub(w) -> str:
    return base64.b64encode(w.public_key().public_key_bytes).decode()


def test_missing_params_take_the_defaults():
    keeper, ctx = fresh()
    genesis.init_genesis(keeper, ctx, {})
    assert keeper.params(ctx.store) == Params()
    assert keeper.next_account_number(ctx.store) == 0


def test_params_and_accounts_are_stored():
    keeper, ctx = fresh()
    genesis.init_genesis(
        keeper,
        ctx,
        {
            "params": {"min_gas_price": "0.5", "max_memo_characters": "10"},
            "accounts": [{"address": addr(BOB)}, {"address": addr(ALICE)}],
        },
    )
    p = keeper.params(ctx.store)
    assert p.min_gas_price == parse_dec("0.5") and p.max_memo_characters == 10
    assert keeper.account(ctx.store, addr(BOB)).account_number == 0
    assert keeper.account(ctx.store, addr(ALICE)).account_number == 1
    assert keeper.next_account_number(ctx.store) == 2


def test_explicit_numbers_sequences_and_public_keys():
    keeper, ctx = fresh()
    genesis.init_genesis(
        keeper,
        ctx,
        {
            "accounts": [
                {
                    "address": addr(ALICE),
                    "account_number": "5",
                    "sequence": "9",
                    "pub_key": pub(ALICE),
                },
                {"address": addr(BOB)},
            ]
        },
    )
    alice = keeper.account(ctx.store, addr(ALICE))
    assert (alice.account_number, alice.sequence) == (5, 9)
    assert account_pubkey(alice) == ALICE.public_key().public_key_bytes
    assert keeper.account(ctx.store, addr(BOB)).account_number == 6
    assert keeper.next_account_number(ctx.store) == 7


def test_bank_genesis_accounts_are_numbered_after_the_listed_ones():
    chain = new_chain(
        {addr(CAROL): {"uusdc": 1}, addr(ALICE): {"uusdc": 1}},
        auth_data={"accounts": [{"address": addr(ALICE)}]},
    )
    assert chain.account(ALICE).account_number == 0
    assert chain.account(CAROL).account_number == 1


@pytest.mark.parametrize(
    ("data", "match"),
    [
        ({"params": {"tx_sig_limit": "0"}}, "tx_sig_limit"),
        ({"params": {"bogus": 1}}, "unknown params"),
        ({"params": "x"}, "params must be an object"),
        ({"acounts": []}, "unknown keys in auth genesis"),
        ({"accounts": [{"address": "stateset1nope"}]}, "bech32"),
        ({"accounts": [{"address": addr(ALICE).upper()}]}, "canonical"),
        ({"accounts": [{"address": addr(ALICE)}, {"address": addr(ALICE)}]}, "duplicate"),
        (
            {
                "accounts": [
                    {"address": addr(ALICE), "account_number": "3"},
                    {"address": addr(BOB), "account_number": "2"},
                ]
            },
            "must be at least 4",
        ),
        ({"accounts": [{"address": addr(ALICE), "pub_key": pub(BOB)}]}, "does not match"),
        ({"accounts": [{"address": addr(ALICE), "pub_key": "!!"}]}, "base64"),
        (
            {
                "accounts": [
                    {
                        "address": addr(ALICE),
                        "pub_key": base64.b64encode(b"\x02" + b"\xff" * 32).decode(),
                    }
                ]
            },
            "not a compressed secp256k1 key",
        ),
        ({"accounts": [{"address": addr(ALICE), "sequence": -1}]}, "sequence"),
        ({"accounts": [{"address": addr(ALICE), "extra": 1}]}, "unknown keys in account"),
        ({"accounts": ["stateset1..."]}, "must be an object"),
        ({"accounts": [{}]}, "malformed"),
        ([], "must be an object"),
    ],
)
def test_invalid_genesis_is_refused_with_a_clear_reason(data, match):
    keeper, ctx = fresh()
    with pytest.raises(InvalidGenesis, match=match) as e:
        genesis.init_genesis(keeper, ctx, data)
    assert (e.value.codespace, e.value.code) == ("auth", 4)


def test_export_then_init_reproduces_the_state_byte_for_byte():
    chain = new_chain(
        {
            addr(ALICE): {"uusdc": 10**6},
            addr(BOB): {"uusdc": 10**6},
            encode(b"\x05" * 20): {"uusdc": 1},
        },
        auth_data={
            "params": {"min_gas_price": "0.025", "fee_denoms": ["ussusd", "uusdc"]},
            "accounts": [{"address": addr(CAROL)}],
        },
    )
    # give Alice a public key and a sequence through a real tx
    _, branch, _ = chain.run(
        signed(
            [(ALICE, chain.account(ALICE).account_number, 0)],
            fee=[Coin("uusdc", 5000)],
        )
    )
    branch.write()
    keeper = chain.auth
    ctx = Context(chain.store, BlockInfo(1, 0, "test"))
    exported = genesis.export_genesis(keeper, ctx)
    assert [a["account_number"] for a in exported["accounts"]] == [
        str(i) for i in range(len(exported["accounts"]))
    ]
    assert {
        "address": addr(ALICE),
        "account_number": "1",
        "sequence": "1",
        "pub_key": pub(ALICE),
    } in exported["accounts"]
    keeper2, ctx2 = fresh()
    genesis.init_genesis(keeper2, ctx2, exported)
    auth_keys = [kv for kv in chain.store.iterate() if kv[0].startswith(b"auth/")]
    assert list(ctx2.store.iterate()) == auth_keys
    assert genesis.export_genesis(keeper2, ctx2) == exported
