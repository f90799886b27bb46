"""What the subscriptions module needs from others (the Cosmos SDK's ``expected_keepers``).

It holds no coins, so nothing from the bank: each billing cycle is an ordinary order, created
and paid with the orders module's own message code (``OrdersKeeper.create_order`` and
``pay_order``), and tagged with its subscription and cycle. The orders keeper fits it.
"""

from __future__ import annotations

from typing import Any, Protocol

from stateset_chain.coins import Coin
from stateset_chain.context import Context
from stateset_chain.store.kv import KVStore

from stateset.orders.v1 import tx_pb2 as orders_tx
from stateset.orders.v1.orders_pb2 import Order


class OrdersKeeper(Protocol):
    def must_get_order(self, store: KVStore, order_id: str) -> Order: ...
    def save_order(self, store: KVStore, order: Order) -> None: ...
    def order_currency(self, text: str) -> str:
        """The currency an order priced in ``text`` is in (MsgCreateOrder's rule: a USD one
        lower-cased, a fiat code upper-cased, "" the default), or raise orders
        InvalidCurrency."""
        ...

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
