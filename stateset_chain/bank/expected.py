"""What the bank needs from other modules (the Cosmos SDK's ``expected_keepers``).

The bank depends on this narrow interface, never on the auth module's internals; the auth keeper
provides it (``AuthKeeper.ensure_account``). ``SendGuard`` is the compliance module's check of a
user's MsgSend (sanctions, the sender's daily and monthly limits).
"""

from __future__ import annotations

from typing import Protocol

from stateset_chain.coins import Coin
from stateset_chain.context import Context
from stateset_chain.store.kv import KVStore


class AccountKeeper(Protocol):
    def ensure_account(self, store: KVStore, address: str) -> None:
        """Create the account (with the next account number) if ``address`` has none."""

    def account_key(self, address: str) -> bytes:
        """The store key of ``address``'s account (raises InvalidAddress): read ahead."""
        ...


class SendGuard(Protocol):
    def check_send(self, ctx: Context, sender: str, recipient: str, coins: list[Coin]) -> None:
        """Raise (compliance SanctionedSender / SanctionedRecipient / DailyLimitExceeded /
        MonthlyLimitExceeded) or record the sender's outflow against its limits."""
        ...

    def send_reads(self, sender: str, recipient: str, denoms: list[str]) -> list[bytes]:
        """The store keys ``check_send`` reads for such a send (read ahead by a block)."""
        ...
