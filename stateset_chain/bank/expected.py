"""What the bank needs from other modules (the Cosmos SDK's ``expected_keepers``).

The bank depends on this narrow interface, never on the auth module's internals; the auth keeper
provides it (``AuthKeeper.ensure_account``).
"""

from __future__ import annotations

from typing import Protocol

from stateset_chain.store.kv import KVStore


class AccountKeeper(Protocol):
    def ensure_account(self, store: KVStore, address: str) -> None:
        """Create the account (with the next account number) if ``address`` has none."""
