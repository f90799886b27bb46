"""The orders test chain with the inventory module wired as stateset_chain/wiring.py wires it."""

from __future__ import annotations

from dataclasses import dataclass

import stateset_chain.pb  # noqa: F401
from stateset_chain.inventory.module import inventory_module
from stateset_chain.inventory.state import InventoryKeeper
from tests.orders.helpers import MERCHANT, Chain

from stateset.inventory.v1 import tx_pb2 as tx
from stateset.inventory.v1.inventory_pb2 import Stock


@dataclass
class StockChain(Chain):
    def __post_init__(self) -> None:
        super().__post_init__()
        self.inventory = InventoryKeeper(self.keeper)  # attaches itself to the orders' hooks
        self.inv_module = inventory_module(self.inventory)
        self.routes.update({r.msg_cls: r for r in self.inv_module.msgs})

    def set_stock(self, sku: str, quantity: int, threshold: int = 0) -> None:
        self.deliver(
            tx.MsgSetInventory(
                merchant=MERCHANT, sku=sku, quantity=quantity, low_stock_threshold=threshold
            )
        )

    def stock(self, sku: str) -> Stock:
        found = self.inventory.stock(self.store, MERCHANT, sku)
        assert found is not None
        return found

    def check_invariants(self) -> None:
        super().check_invariants()
        for check in self.inv_module.invariants:
            check(self.ctx())
