"""What the stablecoin module needs from the bank (the Cosmos SDK's ``expected_keepers``).

Only these calls: reads, moves to and from module accounts, and mint/burn from its own
``stablecoin`` module account. ``BankKeeper`` satisfies it. ``ConversionGuard`` is the
compliance module's sanctions check of a user's issue or redeem.
"""

from __future__ import annotations

from typing import Protocol

from stateset_chain.coins import Coin
from stateset_chain.context import Context
from stateset_chain.store.kv import KVStore


class BankKeeper(Protocol):
    def balance(self, store: KVStore, addr: str, denom: str) -> int: ...
    def supply(self, store: KVStore, denom: str) -> int: ...
    def send_to_module(
        self, ctx: Context, from_addr: str, module: str, coins: list[Coin]
    ) -> None: ...
    def send_from_module(
        self, ctx: Context, module: str, to_addr: str, coins: list[Coin],
        holder_may_be_module: bool = False,
    ) -> None: ...
    def mint(self, ctx: Context, module: str, coins: list[Coin]) -> None: ...
    def burn(self, ctx: Context, module: str, coins: list[Coin]) -> None: ...


class ConversionGuard(Protocol):
    """The compliance module, seen from the stablecoin (compliance/SPEC.md)."""

    def check_conversion(self, ctx: Context, holder: str) -> None:
        """Raise compliance SanctionedSender if ``holder`` is sanctioned."""
        ...
