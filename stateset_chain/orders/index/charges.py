"""The gas of an order's index writes, charged to its transaction without making them.

The writes are made once per block, from the block's order writes (``derive.py``). The
transaction that creates an order, or moves its status, is charged what ``OrderIndex.add``, or
``OrderIndex.move_status``, costs through ``GasKV`` at the transient prices (``gas.LOCAL_*``):
every entry written (flat + per byte of key and value) or deleted, and every counter and
histogram key read and written. It is a pure function of the order and the move, so it is the
same on every node whatever its node-local indexes hold:

- ``add_gas(order)``: what ``add`` costs (every counter it touches goes up, so every one is a
  read and a write);
- ``move_gas(order)``: what ``move_status`` costs when no counter or histogram key it lowers
  drops to zero. One rule differs from making the writes: a lowered key that would drop to zero
  (and be deleted, 100 gas) is charged as read and written like any other, since whether it
  drops to zero is a fact of the node-local indexes, not of the order.

``tests/orders/test_index_charges.py`` holds both to the gas ``GasKV`` measures for the writes.
"""

from __future__ import annotations

from stateset_chain.crypto import address
from stateset_chain.gas import (
    LOCAL_DELETE_COST,
    LOCAL_READ_COST_FLAT,
    LOCAL_WRITE_COST_FLAT,
    LOCAL_WRITE_COST_PER_BYTE,
)
from stateset_chain.orders.index.histogram import LEVELS, magnitude
from stateset_chain.orders.index.indexes import CUSTOMER_ID_KEY
from stateset_chain.orders.keys import LOCAL_PREFIXES, STORE_PREFIX

from stateset.orders.v1.orders_pb2 import Order

_PREFIX = len(STORE_PREFIX) + 1  # every index's prefix: the module's and one byte
assert all(len(p) == _PREFIX for p in LOCAL_PREFIXES)
_U64 = 8
_U32 = 4
_COUNTER = 8  # a U64Value
_HISTOGRAM_KEY = _PREFIX + 1 + 8 + 4  # level u8, total prefix u64, status u32
_HISTOGRAM_MAG = 4 * (LEVELS + 1)  # the MAG key's 17 u32
_HISTOGRAM_DIGITS = 4 * 16  # a level key's 16 u32


def _write(key: int, value: int) -> int:
    return LOCAL_WRITE_COST_FLAT + LOCAL_WRITE_COST_PER_BYTE * (key + value)


def _bump(key: int) -> int:
    """A counter read and written."""
    return LOCAL_READ_COST_FLAT + _write(key, _COUNTER)


def _histogram(total: int) -> int:
    """``AmountHistogram.add`` of one total: the MAG key, then one key per level below the
    total's highest hexadecimal digit, each read and written."""
    levels = max(magnitude(total) - 1, 0)
    return (
        LOCAL_READ_COST_FLAT + _write(_HISTOGRAM_KEY, _HISTOGRAM_MAG)
        + levels * (LOCAL_READ_COST_FLAT + _write(_HISTOGRAM_KEY, _HISTOGRAM_DIGITS))
    )


def _parties(order: Order) -> tuple[int, int, int]:
    """The encoded lengths of the customer and merchant key parts (a length byte and the raw
    address), and of the order id value."""
    customer = 1 + len(address.decode(order.customer))
    merchant = 1 + len(address.decode(order.merchant))
    return customer, merchant, len(order.id.encode())


def _status_part(customer: int, merchant: int, oid: int, total: int) -> int:
    """The counters and histogram keys of one status, read and written (``_index_status``
    and ``_unindex_status`` touch the same ones)."""
    return (
        _histogram(total)
        + _bump(_PREFIX + _U32)  # status_counts
        + _bump(_PREFIX + merchant + _U32)  # merchant_status_counts
        + _bump(_PREFIX + customer + _U32)  # customer_status_counts
    )


def _index_status(customer: int, merchant: int, oid: int, total: int) -> int:
    """``OrderIndex._index_status``: four entries, then the status's counters."""
    return (
        _write(_PREFIX + _U32 + _U64, oid)  # by_status
        + _write(_PREFIX + merchant + _U32 + _U64, oid)  # by_merchant_status
        + _write(_PREFIX + customer + _U32 + _U64, oid)  # by_customer_status
        + _write(_PREFIX + _U32 + 3 * _U64, oid)  # by_status_amount
        + _status_part(customer, merchant, oid, total)
    )


def add_gas(order: Order) -> int:
    """What ``OrderIndex.add(order)`` costs through ``GasKV``."""
    customer, merchant, oid = _parties(order)
    gas = (
        _write(_PREFIX + _U64, oid)  # by_sequence
        + _write(_PREFIX + customer + _U64, oid)  # by_customer
        + _write(_PREFIX + merchant + _U64, oid)  # by_merchant
        + _write(_PREFIX + 2 * _U64, 1)  # by_created (a KeySet: one byte)
        + _write(_PREFIX + 2 * _U64, oid)  # by_total
        + _write(_PREFIX + customer + 2 * _U64, oid)  # by_customer_total
        + _write(_PREFIX + merchant + 2 * _U64, oid)  # by_merchant_total
        + _bump(_PREFIX + customer)  # customer_counts
        + _bump(_PREFIX + merchant)  # merchant_counts
    )
    customer_id = order.metadata.get(CUSTOMER_ID_KEY)
    if customer_id:
        part = 1 + len(customer_id.encode())
        gas += _write(_PREFIX + part + _U64, oid) + _bump(_PREFIX + part)
    gas += _histogram(order.total)  # under ANY_STATUS
    return gas + _index_status(customer, merchant, oid, order.total)


def move_gas(order: Order) -> int:
    """What ``OrderIndex.move_status(order, to)`` costs through ``GasKV`` when nothing it
    lowers drops to zero (the module doc): four entry deletes and the old status's counters,
    then the new status's entries and counters."""
    customer, merchant, oid = _parties(order)
    return (
        4 * LOCAL_DELETE_COST
        + _status_part(customer, merchant, oid, order.total)
        + _index_status(customer, merchant, oid, order.total)
    )
