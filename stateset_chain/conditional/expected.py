"""What the conditional orders module needs from others (the Cosmos SDK's ``expected_keepers``).

- ``BankKeeper``: balances (balance conditions) and moves to and from its own
  ``conditional_escrow`` account.
- ``OrdersKeeper``: reads an order's status history (order_reached conditions), and creates and
  pays orders with the orders module's own message code.
- ``InventoryKeeper``: a SKU's stock (sku_in_stock conditions); optional.
- ``OracleKeeper``: a currency's accepted USD rate, and a listener told when it changes
  (exchange_rate conditions); optional.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from stateset_chain.coins import Coin
from stateset_chain.context import Context
from stateset_chain.store.kv import KVStore

from stateset.oracle.v1.oracle_pb2 import AcceptedRate
from stateset.orders.v1 import tx_pb2 as orders_tx
from stateset.orders.v1.orders_pb2 import Order


class BankKeeper(Protocol):
    def balance(self, store: KVStore, addr: str, denom: str) -> int: ...
    def send_to_module(
        self, ctx: Context, from_addr: str, module: str, coins: list[Coin]
    ) -> None: ...
    def send_from_module(
        self, ctx: Context, module: str, to_addr: str, coins: list[Coin]
    ) -> None: ...


class OrderHooks(Protocol):
    def add_status_hook(self, hook: Any) -> None: ...


class OrdersKeeper(Protocol):
    @property
    def hooks(self) -> OrderHooks: ...

    def get_order(self, store: KVStore, order_id: str) -> Order | None: ...
    def validate_order(self, msg: orders_tx.MsgCreateOrder) -> Any:
        """MsgCreateOrder's stateless validation: raises its error, returns what it parsed
        (opaque here), for ``create_order``'s ``parsed``."""
        ...

    def create_order(
        self, ctx: Context, msg: orders_tx.MsgCreateOrder, parsed: Any = None,
        reserve_stock: bool = True,
    ) -> orders_tx.MsgCreateOrderResponse:
        """MsgCreateOrder's handler; ``parsed``: what ``validate_order(msg)`` returned in this
        message (None: validated there)."""
        ...

    def pay_order(
        self, ctx: Context, payer: str, order_id: str, amount: Coin, method: str
    ) -> orders_tx.MsgPayOrderResponse: ...


class InventoryKeeper(Protocol):
    def largest_available(self, store: KVStore, merchant: str, sku: str) -> int | None:
        """The most one of the merchant's locations holds of the SKU (what one order line can
        reserve), or None if it tracks the SKU nowhere."""
        ...

    def add_stock_listener(self, listener: Callable[[KVStore, str, str], None]) -> None: ...


class OracleKeeper(Protocol):
    def usd_rate(self, store: KVStore, currency: str, now: int) -> AcceptedRate:
        """The fresh accepted rate (USD per unit, ``rate`` text scaled 10^18), or raise oracle
        RateNotFound / RateStale."""
        ...

    def add_rate_listener(self, listener: Callable[[KVStore, str], None]) -> None: ...
