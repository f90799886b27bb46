"""What other modules attach to the orders module, while the app is built.

The orders keeper owns one ``OrderHooks`` (``OrdersKeeper.hooks``); a module that follows orders
attaches itself in its own constructor, so the dependency is visible in the module that has it,
and the orders module calls only the Protocols of ``orders/expected.py``:

- ``stock`` (``StockKeeper``): the inventory module reserves an order's tracked SKUs when it is
  created (``InventoryKeeper.__init__``). At most one; without it no SKU is tracked.
- ``status`` (``StatusHook``, in attach order): told of every status change before it is made
  (``lifecycle.transition``): the inventory commits or releases reservations, conditional orders
  wake the ones waiting on the order (``ConditionalKeeper.__init__``).
- ``refunder`` (``CrossChainRefunder``): refunds a payment that came from another chain the way
  it came (``CrosschainKeeper.__init__``: a CCTP burn). At most one; without it such a refund is
  refused.
"""

from __future__ import annotations

from stateset_chain.orders.expected import CrossChainRefunder, StatusHook, StockKeeper
from stateset_chain.store.memo import ReadAhead


class OrderHooks:
    def __init__(self, refunder: CrossChainRefunder | None = None) -> None:
        self.stock: StockKeeper | None = None
        self.status: list[StatusHook] = []
        self.refunder: CrossChainRefunder | None = refunder

    def attach_stock(self, stock: StockKeeper) -> None:
        if self.stock is not None:
            raise ValueError("the orders module already has a stock keeper")
        self.stock = stock

    def add_status_hook(self, hook: StatusHook) -> None:
        self.status.append(hook)

    def transition_reads(self, order_id: str) -> ReadAhead:
        """What a status change of the order makes the status hooks read (a block's
        read-ahead)."""
        out = ReadAhead()
        for hook in self.status:
            out.add(hook.transition_reads(order_id))
        return out

    def attach_refunder(self, refunder: CrossChainRefunder) -> None:
        if self.refunder is not None:
            raise ValueError("the orders module already has a cross-chain refunder")
        self.refunder = refunder
