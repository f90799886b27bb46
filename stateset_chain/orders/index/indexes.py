"""The node-local list indexes and counters of the orders (``keys.py`` 0x10-0x26), and the only
code that writes them.

They are exact because only these calls touch them: ``add`` (a new order: one imported at
genesis, the rebuild after a state-sync restore, or one a block created, from ``derive.py``)
writes every entry and counter; ``move_status`` (``derive.py``, for an order whose status a
block changed) moves the order between the entries and counters of every index that includes
the status. Every other indexed field never changes after creation. No transaction writes them
itself: it is charged their gas (``charges.py``), and the block's writes are derived once, after
its end-block hooks (``derive.py``).
"""

from __future__ import annotations

from typing import Protocol

import stateset_chain.pb  # noqa: F401
from stateset_chain.crypto import address
from stateset_chain.orders.index.histogram import ANY_STATUS, AmountHistogram
from stateset_chain.orders.keys import (
    AMOUNT_HISTOGRAM_PREFIX,
    BY_CREATED_PREFIX,
    BY_CUSTOMER_ID_PREFIX,
    BY_CUSTOMER_PREFIX,
    BY_CUSTOMER_STATUS_PREFIX,
    BY_CUSTOMER_TOTAL_PREFIX,
    BY_MERCHANT_PREFIX,
    BY_MERCHANT_STATUS_PREFIX,
    BY_MERCHANT_TOTAL_PREFIX,
    BY_SEQUENCE_PREFIX,
    BY_STATUS_AMOUNT_PREFIX,
    BY_STATUS_PREFIX,
    BY_TOTAL_PREFIX,
    CUSTOMER_COUNT_PREFIX,
    CUSTOMER_ID_COUNT_PREFIX,
    CUSTOMER_STATUS_COUNT_PREFIX,
    MERCHANT_COUNT_PREFIX,
    MERCHANT_STATUS_COUNT_PREFIX,
    STATUS_COUNT_PREFIX,
)
from stateset_chain.orders.money import MAX_ORDER_AMOUNT
from stateset_chain.store.collections import (
    BytesKey,
    KeySet,
    Map,
    StrKey,
    StrValue,
    TupleKey,
    U32Key,
    U64Key,
    U64Value,
)
from stateset_chain.store.kv import KVStore
from stateset_chain.timefmt import timestamp_ns

from stateset.orders.v1.orders_pb2 import Order

# "this status, this amount range, newest first": by status, then in blocks of 2^EPOCH_BITS
# consecutive orders, then by total (the planner walks it block by block, newest first)
EPOCH_BITS = 10
# the metadata key of an order's external customer id (the merchant's own customer id)
CUSTOMER_ID_KEY = "customer_id"


class OrderSource(Protocol):
    """What the index needs of the orders themselves (the keeper fits it)."""

    def must_get_order(self, store: KVStore, order_id: str) -> Order: ...
    def order_count(self, store: KVStore) -> int: ...
    def next_sequence(self, store: KVStore) -> int: ...


class OrderIndex:
    by_customer: Map[tuple[bytes, int], str] = Map(
        BY_CUSTOMER_PREFIX, TupleKey(BytesKey, U64Key), StrValue
    )
    by_merchant: Map[tuple[bytes, int], str] = Map(
        BY_MERCHANT_PREFIX, TupleKey(BytesKey, U64Key), StrValue
    )
    by_status: Map[tuple[int, int], str] = Map(
        BY_STATUS_PREFIX, TupleKey(U32Key, U64Key), StrValue
    )
    by_created: KeySet[tuple[int, int]] = KeySet(BY_CREATED_PREFIX, TupleKey(U64Key, U64Key))
    by_total: Map[tuple[int, int], str] = Map(
        BY_TOTAL_PREFIX, TupleKey(U64Key, U64Key), StrValue
    )
    by_sequence: Map[int, str] = Map(BY_SEQUENCE_PREFIX, U64Key, StrValue)
    # compound indexes, so "this merchant's (customer's) orders in this status" is one key range
    by_merchant_status: Map[tuple[bytes, int, int], str] = Map(
        BY_MERCHANT_STATUS_PREFIX, TupleKey(BytesKey, U32Key, U64Key), StrValue
    )
    by_customer_status: Map[tuple[bytes, int, int], str] = Map(
        BY_CUSTOMER_STATUS_PREFIX, TupleKey(BytesKey, U32Key, U64Key), StrValue
    )
    # "this party's orders in this amount range": by party, then total (a party with an amount
    # range reads what the range holds of the party's orders, not all of them)
    by_customer_total: Map[tuple[bytes, int, int], str] = Map(
        BY_CUSTOMER_TOTAL_PREFIX, TupleKey(BytesKey, U64Key, U64Key), StrValue
    )
    by_merchant_total: Map[tuple[bytes, int, int], str] = Map(
        BY_MERCHANT_TOTAL_PREFIX, TupleKey(BytesKey, U64Key, U64Key), StrValue
    )
    # "this status, this amount range, newest first": by status, then in blocks of 2^EPOCH_BITS
    # consecutive orders, then by total (the planner walks it block by block,
    # newest first)
    by_status_amount: Map[tuple[int, int, int, int], str] = Map(
        BY_STATUS_AMOUNT_PREFIX, TupleKey(U32Key, U64Key, U64Key, U64Key), StrValue
    )
    # how many orders of a status have a total in a range (histogram.py)
    amount_histogram = AmountHistogram(AMOUNT_HISTOGRAM_PREFIX)

    # "orders of this external customer id" (metadata["customer_id"]), and how many
    by_customer_id: Map[tuple[str, int], str] = Map(
        BY_CUSTOMER_ID_PREFIX, TupleKey(StrKey, U64Key), StrValue
    )
    customer_id_counts: Map[str, int] = Map(CUSTOMER_ID_COUNT_PREFIX, StrKey, U64Value)

    customer_counts: Map[bytes, int] = Map(CUSTOMER_COUNT_PREFIX, BytesKey, U64Value)
    merchant_counts: Map[bytes, int] = Map(MERCHANT_COUNT_PREFIX, BytesKey, U64Value)
    status_counts: Map[int, int] = Map(STATUS_COUNT_PREFIX, U32Key, U64Value)
    merchant_status_counts: Map[tuple[bytes, int], int] = Map(
        MERCHANT_STATUS_COUNT_PREFIX, TupleKey(BytesKey, U32Key), U64Value
    )
    customer_status_counts: Map[tuple[bytes, int], int] = Map(
        CUSTOMER_STATUS_COUNT_PREFIX, TupleKey(BytesKey, U32Key), U64Value
    )
    # -- writes ------------------------------------------------------------------------------

    def add(self, store: KVStore, order: Order) -> None:
        """Every entry and counter of a new ``order`` (``OrdersKeeper.insert_order``, and the
        rebuild after a state-sync restore)."""
        seq, oid = order.sequence, order.id
        customer, merchant = address.decode(order.customer), address.decode(order.merchant)
        self.by_sequence.set(store, seq, oid)
        self.by_customer.set(store, (customer, seq), oid)
        self.by_merchant.set(store, (merchant, seq), oid)
        self.by_created.add(store, (timestamp_ns(order.created_at), seq))
        self.by_total.set(store, (order.total, seq), oid)
        self.by_customer_total.set(store, (customer, order.total, seq), oid)
        self.by_merchant_total.set(store, (merchant, order.total, seq), oid)
        _increment(self.customer_counts, store, customer, 1)
        _increment(self.merchant_counts, store, merchant, 1)
        customer_id = order.metadata.get(CUSTOMER_ID_KEY)
        if customer_id:
            self.by_customer_id.set(store, (customer_id, seq), oid)
            _increment(self.customer_id_counts, store, customer_id, 1)
        self.amount_histogram.add(store, ANY_STATUS, order.total, 1)
        self._index_status(store, order, order.status)

    def _index_status(self, store: KVStore, order: Order, status: int) -> None:
        """Add ``order`` under ``status`` to every index and counter that includes the status."""
        seq, oid = order.sequence, order.id
        customer, merchant = address.decode(order.customer), address.decode(order.merchant)
        self.by_status.set(store, (status, seq), oid)
        self.by_merchant_status.set(store, (merchant, status, seq), oid)
        self.by_customer_status.set(store, (customer, status, seq), oid)
        self.by_status_amount.set(store, (status, seq >> EPOCH_BITS, order.total, seq), oid)
        self.amount_histogram.add(store, status, order.total, 1)
        _increment(self.status_counts, store, status, 1)
        _increment(self.merchant_status_counts, store, (merchant, status), 1)
        _increment(self.customer_status_counts, store, (customer, status), 1)

    def _unindex_status(self, store: KVStore, order: Order, status: int) -> None:
        seq = order.sequence
        customer, merchant = address.decode(order.customer), address.decode(order.merchant)
        self.by_status.delete(store, (status, seq))
        self.by_merchant_status.delete(store, (merchant, status, seq))
        self.by_customer_status.delete(store, (customer, status, seq))
        self.by_status_amount.delete(store, (status, seq >> EPOCH_BITS, order.total, seq))
        self.amount_histogram.add(store, status, order.total, -1)
        _increment(self.status_counts, store, status, -1)
        _increment(self.merchant_status_counts, store, (merchant, status), -1)
        _increment(self.customer_status_counts, store, (customer, status), -1)

    def move_status(self, store: KVStore, order: Order, to: int) -> None:
        """Re-index ``order`` (still at its old status) under status ``to``."""
        self._unindex_status(store, order, order.status)
        self._index_status(store, order, to)

    def remove(self, store: KVStore, order: Order) -> None:
        """Undo ``add(order)``: every entry and counter of ``order`` out (no message deletes an
        order; ``derive`` keeps the indexes exact should one ever do so)."""
        self._unindex_status(store, order, order.status)
        seq = order.sequence
        customer, merchant = address.decode(order.customer), address.decode(order.merchant)
        self.by_sequence.delete(store, seq)
        self.by_customer.delete(store, (customer, seq))
        self.by_merchant.delete(store, (merchant, seq))
        self.by_created.remove(store, (timestamp_ns(order.created_at), seq))
        self.by_total.delete(store, (order.total, seq))
        self.by_customer_total.delete(store, (customer, order.total, seq))
        self.by_merchant_total.delete(store, (merchant, order.total, seq))
        _increment(self.customer_counts, store, customer, -1)
        _increment(self.merchant_counts, store, merchant, -1)
        customer_id = order.metadata.get(CUSTOMER_ID_KEY)
        if customer_id:
            self.by_customer_id.delete(store, (customer_id, seq))
            _increment(self.customer_id_counts, store, customer_id, -1)
        self.amount_histogram.add(store, ANY_STATUS, order.total, -1)

    # -- counters ----------------------------------------------------------------------------

    def customer_count(self, store: KVStore, customer: bytes) -> int:
        return self.customer_counts.get(store, customer) or 0

    def merchant_count(self, store: KVStore, merchant: bytes) -> int:
        return self.merchant_counts.get(store, merchant) or 0

    def customer_id_count(self, store: KVStore, customer_id: str) -> int:
        return self.customer_id_counts.get(store, customer_id) or 0

    def status_count(self, store: KVStore, status: int) -> int:
        return self.status_counts.get(store, status) or 0

    def merchant_status_count(self, store: KVStore, merchant: bytes, status: int) -> int:
        return self.merchant_status_counts.get(store, (merchant, status)) or 0

    def customer_status_count(self, store: KVStore, customer: bytes, status: int) -> int:
        return self.customer_status_counts.get(store, (customer, status)) or 0

    def amount_count(
        self, store: KVStore, orders: OrderSource, status: int, low: int, high: int
    ) -> int:
        """How many orders of ``status`` (0: any) have ``low <= total <= high``: at most 32
        histogram keys, whatever the number of orders (histogram.py)."""
        if low > high:
            return 0

        def level0(a: int, b: int) -> int:
            found = self.by_total.iterate(store, start=(a, 0), end=(b, 0))
            if status == ANY_STATUS:
                return sum(1 for _ in found)
            return sum(1 for _, oid in found if orders.must_get_order(store, oid).status == status)

        if high >= MAX_ORDER_AMOUNT:
            upto = self.status_count(store, status) if status else orders.order_count(store)
        else:
            upto = self.amount_histogram.below(store, status, high + 1, level0)
        return upto - self.amount_histogram.below(store, status, low, level0)

    # -- ListOrders ----------------------------------------------------------------------------

    def list_orders(self, store: KVStore, orders: OrderSource, f, limit: int, offset: int = 0,
                    starting_after: str = "", choose=None):
        """One page of the orders matching ``f``, newest first (``planner.py``)."""
        from stateset_chain.orders.index.planner import list_orders

        return list_orders(self, orders, store, f, limit, offset, starting_after, choose)


def _increment(counter: Map, store: KVStore, key, delta: int) -> None:
    value = (counter.get(store, key) or 0) + delta
    if value:
        counter.set(store, key, value)
    else:
        counter.delete(store, key)
