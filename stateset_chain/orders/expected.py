"""What the orders module needs from other modules (the Cosmos SDK's ``expected_keepers``).

- ``BankKeeper``: reads, and moves to and from its own ``orders_escrow`` module account; and
  ``blocked_reason``, so that orders never name a settlement recipient nobody can spend from.
- ``CrossChainRefunder``: refunds a payment that arrived from another chain the way it came
  (``stateset_chain/crosschain`` supplies one that burns through CCTP; the wiring sets it).
- ``StockKeeper``: the inventory module's reservations (optional: without it no SKU is tracked).
- ``EncryptionKeys``: the privacy module's key registry, read only: an order's sealed personal
  data must be sealed to its recipients' current keys.
- ``ComplianceGuard``: the compliance module's screening and fraud score (optional: without it
  nothing is screened or scored). One call per place money moves; see compliance/SPEC.md.
- ``ExchangeRates``: the oracle's accepted USD rates of fiat currencies, read only (optional:
  without it no fiat-priced order can be created).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from google.protobuf.timestamp_pb2 import Timestamp

from stateset_chain.coins import Coin
from stateset_chain.context import BlockInfo, Context
from stateset_chain.store.kv import KVStore
from stateset_chain.store.memo import ReadAhead

from stateset.compliance.v1.compliance_pb2 import ComplianceDecision, FraudAssessment
from stateset.orders.v1.orders_pb2 import Order, Payment, Payout
from stateset.privacy.v1.privacy_pb2 import SealedPersonalData


class BankKeeper(Protocol):
    def balance(self, store: KVStore, addr: str, denom: str) -> int: ...
    def balance_key(self, addr: str, denom: str) -> bytes:
        """The store key of ``addr``'s ``denom`` balance (a block's read-ahead)."""
        ...

    def blocked_reason(self, addr: str) -> str | None:
        """Why coins sent to ``addr`` would be stranded (e.g. "a module account", "an order
        deposit address"), or None for an ordinary account."""
        ...

    def send_to_module(
        self, ctx: Context, from_addr: str, module: str, coins: list[Coin]
    ) -> None: ...
    def send_from_module(
        self, ctx: Context, module: str, to_addr: str, coins: list[Coin]
    ) -> None: ...


class CrossChainRefunder(Protocol):
    def refund(self, ctx: Context, order_id: str, payment: Payment, amount: int) -> Payout:
        """Move ``amount`` of ``payment`` (one with ``cross_chain`` set) out of ``orders_escrow``
        back towards its origin and return the payout record. It must not fail for a business
        reason (the order's refund is already decided): when the money cannot be sent across
        now, it must still leave the escrow to a place it can be returned from."""
        ...


class StockKeeper(Protocol):
    """The inventory module, seen from orders (stateset_chain/inventory/SPEC.md)."""

    def reserve(self, ctx: Context, order: Order) -> None:
        """Reserve the order's tracked SKUs; raise inventory InsufficientStock if one is short."""
        ...

    def reserve_reads(self, merchant: str, skus: Iterable[str]) -> ReadAhead:
        """The committed keys and ranges ``reserve`` reads for these SKUs (a block's
        read-ahead)."""
        ...


class StatusHook(Protocol):
    def on_transition(self, ctx: Context, order: Order, to: int) -> None:
        """Told of every status change before it is made (inventory: SHIPPED commits the
        reservation, CANCELLED and REFUNDED of an order never shipped release it)."""
        ...

    def transition_reads(self, order_id: str) -> ReadAhead:
        """The committed keys and ranges a status change of the order makes this hook read,
        in the tx or at end-block (a block's read-ahead)."""
        ...


class EncryptionKeys(Protocol):
    def require_current_keys(self, store: KVStore, env: SealedPersonalData) -> None:
        """Raise (privacy UnknownEncryptionKey / StaleEncryptionKey) unless every recipient of
        ``env`` has a registered key and ``env`` is sealed to its current version."""
        ...


class ComplianceGuard(Protocol):
    """The compliance module, seen from orders (stateset_chain/compliance/SPEC.md). Each check
    raises its own compliance error, or returns what the order records."""

    def screen_new_order(self, ctx: Context, order: Order) -> ComplianceDecision:
        """Refuse a sanctioned party, a blocked destination or a restricted item; else CLEAR."""
        ...

    def screen_order(self, ctx: Context, order: Order) -> ComplianceDecision | None:
        """None if the order still passes; else the decision that freezes it."""
        ...

    def require_unfrozen(self, ctx: Context, order: Order) -> ComplianceDecision:
        """Raise compliance OrderFrozen unless the order passes now; else the CLEAR decision."""
        ...

    def assess_fraud(self, ctx: Context, order: Order, stage: int) -> FraudAssessment:
        """Score the order (CREATE records it in the velocity window) and set ``order.fraud``."""
        ...

    def new_order_reads(
        self,
        store: KVStore,
        block: BlockInfo,
        customer: str,
        parties: list[str],
        country: str,
        region: str,
        categories: list[str],
    ) -> ReadAhead:
        """The committed keys and ranges ``screen_new_order`` and ``assess_fraud`` read for a new
        order (a block's read-ahead)."""
        ...

    def payment_reads(
        self, store: KVStore, block: BlockInfo, order: Order, payer: str, denom: str
    ) -> ReadAhead:
        """The committed keys and ranges ``check_payment`` and ``assess_fraud`` read for a
        payment of ``order`` (a block's read-ahead)."""
        ...

    def record_freeze(self, ctx: Context, order: Order, decision: ComplianceDecision) -> None:
        """Emit compliance OrderFrozen for an order settlement froze with ``decision``."""
        ...

    def check_payment(self, ctx: Context, order: Order, payer: str, coin: Coin) -> None: ...
    def require_settleable(self, ctx: Context, order: Order) -> None: ...
    def require_refundable(self, ctx: Context, order: Order, recipients: list[str]) -> None: ...
    def record_settled(self, ctx: Context, order: Order) -> None: ...
    def is_compliance_authority(self, store: KVStore, addr: str) -> bool: ...
    def attach_order_freezer(self, freezer: Any) -> None:
        """The orders keeper gives itself (``freeze_open_orders``) for the end block's freeze
        of a newly sanctioned party's open orders (compliance/freezing.py)."""
        ...


class UsdRate(Protocol):
    """An accepted rate (the oracle's ``AcceptedRate``): the USD price of one unit of
    ``currency`` as canonical decimal text (``stateset_chain.rates``, scale 10**18), accepted
    at ``height`` / ``time`` (block time)."""

    @property
    def currency(self) -> str: ...
    @property
    def rate(self) -> str: ...
    @property
    def height(self) -> int: ...
    @property
    def time(self) -> Timestamp: ...


class ExchangeRates(Protocol):
    """The oracle module, seen from orders (read only)."""

    def usd_rate(self, store: KVStore, currency: str, now: int) -> UsdRate:
        """The rate of ``currency`` fresh at block time ``now`` (unix ns); raises the oracle's
        error (RateNotFound, RateStale) otherwise."""
        ...

    def latest_usd_rate(self, store: KVStore, currency: str) -> UsdRate | None:
        """The last accepted rate whatever its age (queries carry no block time), or None."""
        ...
