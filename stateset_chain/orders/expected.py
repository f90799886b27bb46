"""What the orders module needs from the bank (the Cosmos SDK's ``expected_keepers``).

Reads, and moves to and from its own ``orders_escrow`` module account. ``BankKeeper`` fits.
"""

from __future__ import annotations

from typing import Protocol

from stateset_chain.coins import Coin
from stateset_chain.context import Context
from stateset_chain.store.kv import KVStore


class BankKeeper(Protocol):
    def balance(self, store: KVStore, addr: str, denom: str) -> int: ...
    def send_to_module(
        self, ctx: Context, from_addr: str, module: str, coins: list[Coin]
    ) -> None: ...
    def send_from_module(
        self, ctx: Context, module: str, to_addr: str, coins: list[Coin]
    ) -> None: ...
