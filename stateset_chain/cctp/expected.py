"""What the cctp module needs from the bank (the Cosmos SDK's ``expected_keepers``).

Moves to and from its own ``cctp`` module account, and mint/burn there (it needs the ``minter``
and ``burner`` permissions: ``keys.CCTP_MODULE_ACCOUNTS``). ``bank.state.BankKeeper`` fits.
``ComplianceGuard``: the compliance module's sanctions check of mint recipients and burn senders.
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
    def blocked_reason(self, addr: str) -> str | None: ...
    def mint(self, ctx: Context, module: str, coins: list[Coin]) -> None: ...
    def burn(self, ctx: Context, module: str, coins: list[Coin]) -> None: ...


class ComplianceGuard(Protocol):
    def check_mint_recipient(self, ctx: Context, recipient: str) -> None:
        """Raise compliance SanctionedMintRecipient if ``recipient`` is sanctioned."""
        ...

    def check_burn_sender(self, ctx: Context, sender: str, coins: list[Coin]) -> None:
        """Raise compliance SanctionedBurnSender if ``sender`` is sanctioned, or
        DailyLimitExceeded / MonthlyLimitExceeded if burning ``coins`` takes it over its
        limits (else the outflow is recorded)."""
        ...
