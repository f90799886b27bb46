"""The ListOrders machinery behind one small interface: node-local indexes and counters, the
totals histogram and the query planner (about a third of the orders module).

    index = OrderIndex()                              # the keeper holds one: keeper.index
    index.add(store, order)                           # a new order: every entry and counter
    index.move_status(store, order, to)               # a status change
    derive.derive(index, base, block, next_sequence)  # a block's writes of both, at its end
    charges.add_gas(order), charges.move_gas(order)   # their gas, charged to the tx
    index.list_orders(store, orders, f, limit, ...)   # one page of ListOrders -> Page
    index.status_count(store, status), ...            # the counters (and invariants' reads)

Everything here is derived from the orders alone and lives under ``keys.LOCAL_PREFIXES``
(committed with the block, outside the app hash); no message handler reads it. ``indexes.py``
declares the collections and writes them, ``histogram.py`` counts totals in a range,
``planner.py`` picks the cheapest source for a filter and walks it. No transaction writes
them: ``charges.py`` prices the writes of a new order or a status move (the tx pays that gas)
and ``derive.py`` makes a block's writes once, from the orders the block wrote.
"""

from __future__ import annotations

from stateset_chain.orders.index.histogram import ANY_STATUS
from stateset_chain.orders.index.indexes import CUSTOMER_ID_KEY, EPOCH_BITS, OrderIndex, OrderSource
from stateset_chain.orders.index.planner import OrderFilter, Page

__all__ = [
    "ANY_STATUS",
    "CUSTOMER_ID_KEY",
    "EPOCH_BITS",
    "OrderFilter",
    "OrderIndex",
    "OrderSource",
    "Page",
]
