"""Shared test helpers for the bank and stablecoin modules."""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.bank import genesis
from stateset_chain.bank.state import BURNER, DEFAULT_MODULE_ACCOUNTS, MINTER, BankKeeper
from stateset_chain.context import BlockInfo, Context
from stateset_chain.crypto import address
from stateset_chain.store.collections import Map, Sequence, StrKey, U64Value
from stateset_chain.store.kv import Branch, KVStore, MemoryKV

ALICE = address.encode(bytes([1]) * 20)
BOB = address.encode(bytes([2]) * 20)
CAROL = address.encode(bytes([3]) * 20)

# A test-only module account that may mint and burn any denom.
FAUCET = "faucet"
TEST_MODULE_ACCOUNTS = {**DEFAULT_MODULE_ACCOUNTS, FAUCET: frozenset({MINTER, BURNER})}


class FakeAccounts:
    """The auth module's ``ensure_account``, recording numbers in the store so branches undo it."""

    _numbers = Map(b"fakeauth/n/", StrKey, U64Value)
    _next = Sequence(b"fakeauth/seq")

    def ensure_account(self, store: KVStore, addr: str) -> None:
        if not self._numbers.has(store, addr):
            self._numbers.set(store, addr, self._next.next(store))

    def number(self, store: KVStore, addr: str) -> int | None:
        return self._numbers.get(store, addr)


def new_ctx(store: KVStore | None = None) -> Context:
    return Context(
        store=Branch(store if store is not None else MemoryKV()), block=BlockInfo(1, 0, "test")
    )


def new_bank() -> BankKeeper:
    return BankKeeper(FakeAccounts(), TEST_MODULE_ACCOUNTS)


def fund(keeper: BankKeeper, ctx: Context, holdings: dict[str, dict[str, int]]) -> None:
    """Genesis with ``{address: {denom: amount}}``; both stable denoms are known."""
    genesis.init_genesis(
        keeper,
        ctx,
        {
            "denoms": ["ussusd", "uusdc"],
            "balances": [
                {
                    "address": a,
                    "coins": [{"denom": d, "amount": str(n)} for d, n in sorted(coins.items())],
                }
                for a, coins in holdings.items()
            ],
        },
    )


def store_snapshot(store: KVStore) -> list[tuple[bytes, bytes]]:
    return list(store.iterate())
