"""What the auth module needs from other modules (the Cosmos SDK's ``expected_keepers``).

Only the ante chain needs anything: the bank, to move a tx's fee from its payer to the
``fee_collector`` module account (``deduct_fee``) and, in a simulation without a fee, to read
the payer's balances. ``bank.state.BankKeeper`` fits it. The bank in turn sees the auth keeper
as its ``bank.expected.AccountKeeper``.
"""

from __future__ import annotations

from typing import Protocol

from stateset_chain.coins import Coin
from stateset_chain.context import Context
from stateset_chain.store.kv import KVStore


class BankKeeper(Protocol):
    def send_to_module(
        self, ctx: Context, from_addr: str, module: str, coins: list[Coin]
    ) -> None: ...
    def balance(self, store: KVStore, addr: str, denom: str) -> int: ...
    def balance_key(self, addr: str, denom: str) -> bytes: ...
