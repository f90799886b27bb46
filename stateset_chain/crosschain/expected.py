"""What the glue needs from the bank, cctp, orders and the stablecoin (the Cosmos SDK's
``expected_keepers``); it depends on these interfaces only, never on the other modules' keepers.

- ``BankKeeper``: balances and plain sends (deposit address -> escrow, unclaimed records), and
  its blocked-address registry (deposit addresses are registered there).
- ``CctpKeeper``: burns back to another chain (refunds, claims), its module address, and the
  receive flow's mint hooks (the crosschain keeper attaches to them).
- ``OrderHooks`` (``OrdersKeeper.hooks``): the crosschain keeper attaches its refunder there.
- ``OrdersKeeper``: reads an order, pays it with the orders module's own payment code
  (``OrdersKeeper.pay_order``: events, timeline and escrow stay the orders module's), and the
  escrow account's address (refunds leave from it).
- ``StablecoinKeeper``: issues the ssUSD of an ssUSD order paid in minted USDC, and redeems it
  for a refund (``StablecoinKeeper.issue_for`` / ``redeem_for``, the messages' own code).
- ``MintInfo``, ``SentMessage``: what the cctp flows hand over (a received mint, a sent burn
  message), as the fields read here; ``MintHook`` and ``BlockedMintHook``: the shapes of the
  hooks attached to the cctp receive flow. cctp's own types (``cctp/results.py``) fit them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from stateset_chain.coins import Coin
from stateset_chain.context import Context
from stateset_chain.store.kv import KVStore

from stateset.orders.v1.orders_pb2 import CrossChainOrigin, Order
from stateset.orders.v1.tx_pb2 import MsgPayOrderResponse


class MintInfo(Protocol):
    """What a received burn message minted (cctp's ``MintInfo``)."""

    @property
    def source_domain(self) -> int: ...
    @property
    def nonce(self) -> int: ...
    @property
    def message_hash(self) -> bytes: ...  # keccak256 of the received message
    @property
    def original_sender(self) -> bytes: ...  # bytes32: the depositor on the source domain
    @property
    def mint_recipient(self) -> bytes: ...  # bytes32 as in the burn message
    @property
    def recipient(self) -> str: ...  # bech32 of mint_recipient[12:], where the coins were minted
    @property
    def denom(self) -> str: ...
    @property
    def amount(self) -> int: ...


class SentMessage(Protocol):
    """An outbound cctp message (cctp's ``SentMessage``): its nonce and lookup hash."""

    @property
    def nonce(self) -> int: ...
    @property
    def message_hash(self) -> bytes: ...


# on_mint(ctx, info) -> True when the hook took charge of the minted coins.
MintHook = Callable[[Context, MintInfo], bool]
# on_blocked(ctx, info, reason): parks a mint whose recipient the bank blocks (the coins of
# ``info`` sit in the cctp module account).
BlockedMintHook = Callable[[Context, MintInfo, str], None]


class BlockedAddresses(Protocol):
    """The bank's registry of addresses users may not send to (bank/blocked.py)."""

    def register(self, description: str, predicate: Callable[[bytes], bool]) -> None: ...


class BankKeeper(Protocol):
    @property
    def blocked_addresses(self) -> BlockedAddresses: ...

    def balance(self, store: KVStore, addr: str, denom: str) -> int: ...
    def send(self, ctx: Context, from_addr: str, to_addr: str, coins: list[Coin]) -> None: ...
    def is_blocked(self, addr: str) -> bool: ...


class MintHooks(Protocol):
    """Where the cctp receive flow takes its hooks (cctp/hooks.py)."""

    def attach(
        self, on_mint: MintHook, recipients: Callable[[bytes], bool],
        on_blocked: BlockedMintHook | None = None,
    ) -> None: ...


class OrderHooks(Protocol):
    """Where the orders module takes its hooks (orders/hooks.py)."""

    def attach_refunder(self, refunder: Any) -> None: ...


class CctpKeeper(Protocol):
    module_address: str

    @property
    def mint_hooks(self) -> MintHooks: ...

    def deposit_for_burn(
        self,
        ctx: Context,
        depositor: str,
        amount: int,
        destination_domain: int,
        mint_recipient: bytes,
    ) -> SentMessage: ...


class OrdersKeeper(Protocol):
    escrow_address: str

    @property
    def hooks(self) -> OrderHooks: ...

    def get_order(self, store: KVStore, order_id: str) -> Order | None: ...
    def pay_order(
        self,
        ctx: Context,
        payer: str,
        order_id: str,
        amount: Coin,
        method: str,
        cross_chain: CrossChainOrigin | None = None,
    ) -> MsgPayOrderResponse: ...


class StablecoinKeeper(Protocol):
    def issue_for(self, ctx: Context, holder: str, amount: int) -> None: ...
    def redeem_for(self, ctx: Context, holder: str, amount: int) -> None: ...


class RecipientGuard(Protocol):
    """The compliance module, seen from the crosschain module (compliance/SPEC.md)."""

    def check_recipient(self, ctx: Context, recipient: str) -> None:
        """Raise compliance SanctionedRecipient if ``recipient`` is sanctioned."""
        ...
