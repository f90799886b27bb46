"""What the inventory module needs from the orders module (the Cosmos SDK's ``expected_keepers``).

MsgRestockReturn looks up the order it restocks; the keeper attaches itself to the orders
module's hooks (``orders/hooks.py``), which sees it as its ``StockKeeper`` and a ``StatusHook``.
"""

from __future__ import annotations

from typing import Any, Protocol

from stateset_chain.store.kv import KVStore

from stateset.orders.v1.orders_pb2 import Order


class OrderHooks(Protocol):
    def attach_stock(self, stock: Any) -> None: ...
    def add_status_hook(self, hook: Any) -> None: ...


class OrdersKeeper(Protocol):
    @property
    def hooks(self) -> OrderHooks: ...

    def must_get_order(self, store: KVStore, order_id: str) -> Order:
        """The order, or orders OrderNotFound."""
        ...
