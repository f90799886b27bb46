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

``derive_reference`` below is that, readable. ``derive`` (the one the keeper calls) is the
compiled step when the compiled core is built and not turned off (``STATESET_NATIVE=0``, as for
the tree): the same comparison, but each order to re-index becomes one compact row (sequence,
id, raw customer and merchant addresses, creation time, total, external customer id, the status
it was indexed under before the block and after it: ``None`` for a new, or a deleted, order), and
one call (``stateset_native.OrderIndexLayout.writes``, native/src/order_index.rs) turns all the
block's rows into the index writes: every entry, and every counter and histogram key the rows
touch read once from the block's branch, their bumps replayed on it as ``OrderIndex`` makes them,
written once. The writes go into the block's branch with its ``set`` and ``delete``, so the
block's writes are the reference's key for key and byte for byte
(tests/orders/test_derive_native.py). Where the reference would raise (a key part over 255
bytes, a counter that would go below zero), the compiled step declines and the reference runs,
and raises as it always did.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.crypto import address
from stateset_chain.native import compiled
from stateset_chain.orders import keys
from stateset_chain.orders.index.indexes import CUSTOMER_ID_KEY, EPOCH_BITS, OrderIndex
from stateset_chain.orders.keys import ORDERS_PREFIX
from stateset_chain.store.kv import Branch, KVStore, prefix_end
from stateset_chain.timefmt import timestamp_ns

from stateset.orders.v1.orders_pb2 import Order

_ORDERS_END = prefix_end(ORDERS_PREFIX)


def derive_reference(index: OrderIndex, base: KVStore, block, next_sequence: int) -> int:
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


# -- the compiled step ---------------------------------------------------------------------------

# The index prefixes in the order native/src/order_index.rs's ``Layout`` takes them.
_LAYOUT_PREFIXES = (
    keys.BY_CUSTOMER_PREFIX,
    keys.BY_MERCHANT_PREFIX,
    keys.BY_STATUS_PREFIX,
    keys.BY_CREATED_PREFIX,
    keys.BY_TOTAL_PREFIX,
    keys.BY_SEQUENCE_PREFIX,
    keys.BY_MERCHANT_STATUS_PREFIX,
    keys.BY_CUSTOMER_STATUS_PREFIX,
    keys.BY_STATUS_AMOUNT_PREFIX,
    keys.BY_CUSTOMER_TOTAL_PREFIX,
    keys.BY_MERCHANT_TOTAL_PREFIX,
    keys.BY_CUSTOMER_ID_PREFIX,
    keys.CUSTOMER_COUNT_PREFIX,
    keys.MERCHANT_COUNT_PREFIX,
    keys.STATUS_COUNT_PREFIX,
    keys.MERCHANT_STATUS_COUNT_PREFIX,
    keys.CUSTOMER_STATUS_COUNT_PREFIX,
    keys.AMOUNT_HISTOGRAM_PREFIX,
    keys.CUSTOMER_ID_COUNT_PREFIX,
)


def _load_layout():
    layout = compiled("OrderIndexLayout")
    return None if layout is None else layout(list(_LAYOUT_PREFIXES), EPOCH_BITS)


_layout = _load_layout()
NATIVE = _layout is not None

# (sequence, id, customer, merchant, created ns, total, customer id, status before, after)
Row = tuple[int, str, bytes, bytes, int, int, str, int | None, int | None]


def _row(order: Order, before: int | None, after: int | None) -> Row:
    """What the compiled step needs of ``order`` (its indexed fields, as ``OrderIndex`` encodes
    them) to move it from being indexed under ``before`` to ``after``."""
    return (
        order.sequence,
        order.id,
        address.decode(order.customer),
        address.decode(order.merchant),
        timestamp_ns(order.created_at),
        order.total,
        order.metadata.get(CUSTOMER_ID_KEY) or "",
        before,
        after,
    )


def rows(base: KVStore, changed, next_sequence: int) -> list[Row]:
    """The rows of the orders ``derive_reference`` re-indexes, in the same order and from the
    same orders (the order before the block for a move or a delete, as it passes them)."""
    out = []
    for key, raw in changed:
        if raw is None:
            old_raw = base.get(key)
            if old_raw is not None:
                old = Order.FromString(old_raw)
                out.append(_row(old, old.status, None))
            continue
        order = Order.FromString(raw)
        old_raw = base.get(key) if order.sequence < next_sequence else None
        if old_raw is None:
            out.append(_row(order, None, order.status))
            continue
        old = Order.FromString(old_raw)
        if old.status != order.status:
            out.append(_row(old, old.status, order.status))
    return out


def derive_native(index: OrderIndex, base: KVStore, block, next_sequence: int) -> int:
    """``derive_reference``'s writes, made by the compiled step (module doc)."""
    if _layout is None or type(index) is not OrderIndex:  # the layout is OrderIndex's own
        return derive_reference(index, base, block, next_sequence)
    changed = block.changes_in(ORDERS_PREFIX, _ORDERS_END)
    if not changed:
        return 0
    try:
        found = rows(base, changed, next_sequence)
    except Exception:  # an order the reference cannot index either: it raises its own error
        return derive_reference(index, base, block, next_sequence)
    writes = _layout.writes(found, block.get) if found else []
    if writes is None:  # the reference would raise: let it
        return derive_reference(index, base, block, next_sequence)
    set_, delete = block.set, block.delete
    for key, value in writes:
        if value is None:
            delete(key)
        else:
            set_(key, value)
    return len(found)


derive = derive_native if NATIVE else derive_reference
