"""The list indexes of a block, written in one step from the block's order writes.

No transaction writes the node-local indexes (``keys.LOCAL_PREFIXES``): a transaction that
creates an order or moves its status is charged their gas (``charges.py``) and writes only the
order. After the block's end-block hooks, the app calls ``derive`` (``Module.derive_local``)
with the state before the block and the block's branch. It reads the block's own writes under
``ORDERS_PREFIX`` (``Branch.changes_in``: only the orders the block wrote, and only those of
transactions that succeeded, since a failed one's writes never reached the block's branch) and,
for each, compares it with the same order before the block:

- a new order (its sequence at or past the order sequence before the block): ``add`` under the
  status it has now;
- an order whose status changed: ``move_status`` from the status before the block to the
  status now (the other indexed fields never change after creation);
- anything else: nothing (a payment that left the order CREATED, a shipment's tracking).

The writes are made through ``OrderIndex``'s own code into a branch of the block's, so a counter
or histogram key that several orders of the block touch is read once and written once into the
block's branch. The indexes are a function of the orders alone (their invariants say so), so
deriving them from where each order ended gives what writing them in every transaction gave.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.orders.index.indexes import OrderIndex
from stateset_chain.orders.keys import ORDERS_PREFIX
from stateset_chain.store.kv import Branch, KVStore, prefix_end

from stateset.orders.v1.orders_pb2 import Order

_ORDERS_END = prefix_end(ORDERS_PREFIX)


def derive(index: OrderIndex, base: KVStore, block, next_sequence: int) -> int:
    """Writes into ``block`` (a ``Branch`` over ``base``) the index changes of the orders it
    wrote; ``next_sequence``: the order sequence before the block. Returns how many orders it
    re-indexed."""
    changed = block.changes_in(ORDERS_PREFIX, _ORDERS_END)
    if not changed:
        return 0
    out = Branch(block)
    done = 0
    for key, raw in changed:
        if raw is None:  # no message deletes an order; kept exact should one ever do so
            old_raw = base.get(key)
            if old_raw is not None:
                index.remove(out, Order.FromString(old_raw))
                done += 1
            continue
        order = Order.FromString(raw)
        old_raw = base.get(key) if order.sequence < next_sequence else None
        if old_raw is None:
            index.add(out, order)
            done += 1
            continue
        old = Order.FromString(old_raw)
        if old.status != order.status:
            index.move_status(out, old, order.status)
            done += 1
    out.write()
    return done
