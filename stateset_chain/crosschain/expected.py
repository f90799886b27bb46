"""What the glue needs from the bank and from cctp (the Cosmos SDK's ``expected_keepers``).

From orders it uses the keeper itself with ``orders.msgs.pay.pay_order`` (the normal payment
code, so events, timeline and escrow stay the orders module's) and the escrow account's address.
"""

from __future__ import annotations

from typing import Protocol

from stateset_chain.cctp.results import SentMessage
from stateset_chain.coins import Coin
from stateset_chain.context import Context
from stateset_chain.store.kv import KVStore


class BankKeeper(Protocol):
    def balance(self, store: KVStore, addr: str, denom: str) -> int: ...
    def send(self, ctx: Context, from_addr: str, to_addr: str, coins: list[Coin]) -> None: ...
    def is_blocked(self, addr: str) -> bool: ...


class CctpKeeper(Protocol):
    module_address: str

    def deposit_for_burn(
        self,
        ctx: Context,
        depositor: str,
        amount: int,
        destination_domain: int,
        mint_recipient: bytes,
    ) -> SentMessage: ...
