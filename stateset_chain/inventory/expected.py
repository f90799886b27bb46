"""What the inventory module needs from the orders module (the Cosmos SDK's ``expected_keepers``).

Read only: MsgRestockReturn looks up the order it restocks. The orders keeper fits it; the orders
module in turn sees this keeper as its ``StockKeeper`` and a ``StatusHook``.
"""

from __future__ import annotations

from typing import Protocol

from stateset_chain.store.kv import KVStore

from stateset.orders.v1.orders_pb2 import Order


class OrdersKeeper(Protocol):
    def must_get_order(self, store: KVStore, order_id: str) -> Order:
        """The order, or orders OrderNotFound."""
        ...
