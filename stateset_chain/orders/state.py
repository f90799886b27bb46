"""The orders keeper: params, orders, their secondary indexes and counters, the settlement queue.

Indexes are exact on every write because only two places touch them:

- ``insert_order`` (a new order, or one imported at genesis) writes the order and every index
  entry and counter: customer, merchant, status, (merchant, status), (customer, status),
  (customer, total), (merchant, total), (status, epoch, total), the totals histogram, created
  time, total, sequence, client id, external customer id (``metadata["customer_id"]``);
- ``move_status`` (called only by ``lifecycle.transition``) moves the order between the entries
  and counters of every index that includes the status.

Every other indexed field (customer, merchant, created time, total, sequence, client id,
metadata) never changes after creation, so ``save_order`` writes only the order itself.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.coins import Coin
from stateset_chain.context import Context
from stateset_chain.crypto import address
from stateset_chain.orders import ids
from stateset_chain.orders.errors import OrderNotFound
from stateset_chain.orders.expected import (
    BankKeeper,
    ComplianceGuard,
    CrossChainRefunder,
    EncryptionKeys,
    StatusHook,
    StockKeeper,
)
from stateset_chain.orders.histogram import ANY_STATUS, AmountHistogram
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
    CLIENT_IDS_PREFIX,
    CUSTOMER_COUNT_PREFIX,
    CUSTOMER_ID_COUNT_PREFIX,
    CUSTOMER_STATUS_COUNT_PREFIX,
    ESCROW_ACCOUNT,
    MERCHANT_COUNT_PREFIX,
    MERCHANT_STATUS_COUNT_PREFIX,
    ORDER_SEQUENCE_KEY,
    ORDERS_PREFIX,
    PARAMS_KEY,
    PAYMENT_SEQUENCE_KEY,
    REFUND_SEQUENCE_KEY,
    SETTLEMENT_QUEUE_PREFIX,
    STATUS_COUNT_PREFIX,
)
from stateset_chain.orders.money import MAX_ORDER_AMOUNT
from stateset_chain.orders.params import default_params
from stateset_chain.store.collections import (
    BytesKey,
    Item,
    KeySet,
    Map,
    ProtoValue,
    Sequence,
    StrKey,
    StrValue,
    TupleKey,
    U32Key,
    U64Key,
    U64Value,
)
from stateset_chain.store.kv import KVStore
from stateset_chain.timefmt import timestamp_ns

from stateset.orders.v1 import tx_pb2 as tx
from stateset.orders.v1.orders_pb2 import CrossChainOrigin, Order
from stateset.orders.v1.params_pb2 import Params

params_item: Item[Params] = Item(PARAMS_KEY, ProtoValue(Params))
orders: Map[str, Order] = Map(ORDERS_PREFIX, StrKey, ProtoValue(Order))
# client order ids are the merchant's: (merchant, client id) -> order id
client_ids: Map[tuple[bytes, str], str] = Map(
    CLIENT_IDS_PREFIX, TupleKey(BytesKey, StrKey), StrValue
)
order_sequence = Sequence(ORDER_SEQUENCE_KEY, start=1)
payment_sequence = Sequence(PAYMENT_SEQUENCE_KEY, start=1)
refund_sequence = Sequence(REFUND_SEQUENCE_KEY, start=1)

by_customer: Map[tuple[bytes, int], str] = Map(
    BY_CUSTOMER_PREFIX, TupleKey(BytesKey, U64Key), StrValue
)
by_merchant: Map[tuple[bytes, int], str] = Map(
    BY_MERCHANT_PREFIX, TupleKey(BytesKey, U64Key), StrValue
)
by_status: Map[tuple[int, int], str] = Map(BY_STATUS_PREFIX, TupleKey(U32Key, U64Key), StrValue)
by_created: KeySet[tuple[int, int]] = KeySet(BY_CREATED_PREFIX, TupleKey(U64Key, U64Key))
by_total: Map[tuple[int, int], str] = Map(BY_TOTAL_PREFIX, TupleKey(U64Key, U64Key), StrValue)
by_sequence: Map[int, str] = Map(BY_SEQUENCE_PREFIX, U64Key, StrValue)
# compound indexes, so "this merchant's (customer's) orders in this status" is one key range
by_merchant_status: Map[tuple[bytes, int, int], str] = Map(
    BY_MERCHANT_STATUS_PREFIX, TupleKey(BytesKey, U32Key, U64Key), StrValue
)
by_customer_status: Map[tuple[bytes, int, int], str] = Map(
    BY_CUSTOMER_STATUS_PREFIX, TupleKey(BytesKey, U32Key, U64Key), StrValue
)
# "this party's orders in this amount range": by party, then total (a party with an amount range
# reads what the range holds of the party's orders, not all of them)
by_customer_total: Map[tuple[bytes, int, int], str] = Map(
    BY_CUSTOMER_TOTAL_PREFIX, TupleKey(BytesKey, U64Key, U64Key), StrValue
)
by_merchant_total: Map[tuple[bytes, int, int], str] = Map(
    BY_MERCHANT_TOTAL_PREFIX, TupleKey(BytesKey, U64Key, U64Key), StrValue
)
# "this status, this amount range, newest first": by status, then in blocks of 2^EPOCH_BITS
# consecutive orders, then by total (listing.py walks it block by block, newest first)
EPOCH_BITS = 10
by_status_amount: Map[tuple[int, int, int, int], str] = Map(
    BY_STATUS_AMOUNT_PREFIX, TupleKey(U32Key, U64Key, U64Key, U64Key), StrValue
)
# how many orders of a status have a total in a range (histogram.py)
amount_histogram = AmountHistogram(AMOUNT_HISTOGRAM_PREFIX)

# "orders of this external customer id" (metadata["customer_id"]), and how many
CUSTOMER_ID_KEY = "customer_id"
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

settlement_queue: KeySet[tuple[int, str]] = KeySet(
    SETTLEMENT_QUEUE_PREFIX, TupleKey(U64Key, StrKey)
)


class OrdersKeeper:
    def __init__(
        self,
        bank: BankKeeper,
        refunder: CrossChainRefunder | None = None,
        compliance: ComplianceGuard | None = None,
    ) -> None:
        self.bank = bank
        # screens parties, destinations and items where money moves, scores fraud, and holds
        # orders (compliance/SPEC.md); None: nothing is screened or scored
        self.compliance: ComplianceGuard | None = compliance
        # refunds payments with a ``cross_chain`` origin; wired after construction (it needs
        # this keeper's escrow account and the cctp keeper): see stateset_chain/wiring.py
        self.cross_chain_refunder: CrossChainRefunder | None = refunder
        self.escrow_address = address.module_address(ESCROW_ACCOUNT)
        # the privacy module's key registry: sealed personal data must name current keys
        # (wired after construction, see stateset_chain/wiring.py; None: nothing can be sealed)
        self.encryption_keys: EncryptionKeys | None = None
        # the inventory module: reserves tracked SKUs at creation and follows the order's status
        # (wired after construction; None: no SKU is tracked, as before inventory existed)
        self.stock: StockKeeper | None = None
        # told of every status change, in order (inventory, conditional orders): see lifecycle
        self.status_hooks: list[StatusHook] = []

    # -- for other modules: the messages' own code ---------------------------------------------

    def create_order(
        self, ctx: Context, msg: tx.MsgCreateOrder, reserve_stock: bool = True
    ) -> tx.MsgCreateOrderResponse:
        """MsgCreateOrder as its creator sent it (``msgs/create.py``): conditional orders and
        subscription cycles create their orders through it."""
        from stateset_chain.orders.msgs import create

        return create.handle(self, ctx, msg, reserve_stock=reserve_stock)

    def pay_order(
        self,
        ctx: Context,
        payer: str,
        order_id: str,
        amount: Coin,
        method: str,
        cross_chain: CrossChainOrigin | None = None,
        up_to: bool = False,
    ) -> tx.MsgPayOrderResponse:
        """One payment as MsgPayOrder makes it (``msgs/pay.py``, ``pay_order``)."""
        from stateset_chain.orders.msgs import pay

        return pay.pay_order(self, ctx, payer, order_id, amount, method, cross_chain, up_to)

    # -- params ------------------------------------------------------------------------------

    def params(self, store: KVStore) -> Params:
        return params_item.get(store) or default_params()

    def set_params(self, store: KVStore, params: Params) -> None:
        params_item.set(store, params)

    # -- orders ------------------------------------------------------------------------------

    def get_order(self, store: KVStore, order_id: str) -> Order | None:
        return orders.get(store, order_id)

    def must_get_order(self, store: KVStore, order_id: str) -> Order:
        order = orders.get(store, order_id)
        if order is None:
            raise OrderNotFound(f"order {order_id}")
        return order

    def order_id_by_client_id(
        self, store: KVStore, merchant: str, client_order_id: str
    ) -> str | None:
        """The order ``merchant`` created under ``client_order_id`` (the merchant's namespace)."""
        return client_ids.get(store, (address.decode(merchant), client_order_id))

    def order_id_at(self, store: KVStore, seq: int) -> str | None:
        return by_sequence.get(store, seq)

    def next_order_id(self, store: KVStore, chain_id: str) -> tuple[int, str]:
        """Take the next sequence number and an unused id derived from it and the chain id."""
        seq = order_sequence.next(store)
        attempt = 0
        order_id = ids.make_order_id(chain_id, seq, attempt)
        while orders.has(store, order_id):
            attempt += 1
            order_id = ids.make_order_id(chain_id, seq, attempt)
        return seq, order_id

    def next_payment_id(self, store: KVStore) -> str:
        return ids.make_id(ids.PAYMENT_PREFIX, payment_sequence.next(store))

    def next_refund_id(self, store: KVStore) -> str:
        return ids.make_id(ids.REFUND_PREFIX, refund_sequence.next(store))

    def insert_order(self, store: KVStore, order: Order) -> None:
        """Store a new order with every index entry and counter."""
        orders.set(store, order.id, order)
        if order.client_order_id:
            client_ids.set(store, (address.decode(order.merchant), order.client_order_id), order.id)
        self.index_order(store, order)

    def index_order(self, store: KVStore, order: Order) -> None:
        """Every node-local list index entry and counter of ``order`` (``insert_order``, and the
        rebuild after a state-sync restore)."""
        seq, oid = order.sequence, order.id
        customer, merchant = address.decode(order.customer), address.decode(order.merchant)
        by_sequence.set(store, seq, oid)
        by_customer.set(store, (customer, seq), oid)
        by_merchant.set(store, (merchant, seq), oid)
        by_created.add(store, (timestamp_ns(order.created_at), seq))
        by_total.set(store, (order.total, seq), oid)
        by_customer_total.set(store, (customer, order.total, seq), oid)
        by_merchant_total.set(store, (merchant, order.total, seq), oid)
        _increment(customer_counts, store, customer, 1)
        _increment(merchant_counts, store, merchant, 1)
        customer_id = order.metadata.get(CUSTOMER_ID_KEY)
        if customer_id:
            by_customer_id.set(store, (customer_id, seq), oid)
            _increment(customer_id_counts, store, customer_id, 1)
        amount_histogram.add(store, ANY_STATUS, order.total, 1)
        self._index_status(store, order, order.status)

    def save_order(self, store: KVStore, order: Order) -> None:
        orders.set(store, order.id, order)

    def move_status(self, store: KVStore, order: Order, to: int) -> None:
        """Re-index ``order`` under status ``to`` (only ``lifecycle.transition`` calls this)."""
        self._unindex_status(store, order, order.status)
        self._index_status(store, order, to)

    def _index_status(self, store: KVStore, order: Order, status: int) -> None:
        """Add ``order`` under ``status`` to every index and counter that includes the status."""
        seq, oid = order.sequence, order.id
        customer, merchant = address.decode(order.customer), address.decode(order.merchant)
        by_status.set(store, (status, seq), oid)
        by_merchant_status.set(store, (merchant, status, seq), oid)
        by_customer_status.set(store, (customer, status, seq), oid)
        by_status_amount.set(store, (status, seq >> EPOCH_BITS, order.total, seq), oid)
        amount_histogram.add(store, status, order.total, 1)
        _increment(status_counts, store, status, 1)
        _increment(merchant_status_counts, store, (merchant, status), 1)
        _increment(customer_status_counts, store, (customer, status), 1)

    def _unindex_status(self, store: KVStore, order: Order, status: int) -> None:
        seq = order.sequence
        customer, merchant = address.decode(order.customer), address.decode(order.merchant)
        by_status.delete(store, (status, seq))
        by_merchant_status.delete(store, (merchant, status, seq))
        by_customer_status.delete(store, (customer, status, seq))
        by_status_amount.delete(store, (status, seq >> EPOCH_BITS, order.total, seq))
        amount_histogram.add(store, status, order.total, -1)
        _increment(status_counts, store, status, -1)
        _increment(merchant_status_counts, store, (merchant, status), -1)
        _increment(customer_status_counts, store, (customer, status), -1)

    def rebuild_indexes(self, store: KVStore) -> None:
        """Writes every order's list indexes and counters (``index_order``) from the orders
        alone: a node restored from a snapshot (consensus state only) gets the indexes every
        node that executed the blocks holds, since they are a function of the orders."""
        for _, order in orders.iterate(store):
            self.index_order(store, order)

    def all_orders(self, store: KVStore) -> list[Order]:
        """Every order in sequence order, from the consensus records alone (genesis export: a
        past height's state has no node-local index)."""
        return sorted((o for _, o in orders.iterate(store)), key=_sequence_of)

    # -- counters ----------------------------------------------------------------------------

    def next_sequence(self, store: KVStore) -> int:
        return order_sequence.peek(store)

    def set_next_sequence(self, store: KVStore, seq: int) -> None:
        order_sequence.set(store, seq)

    def order_count(self, store: KVStore) -> int:
        return order_sequence.peek(store) - 1

    def customer_count(self, store: KVStore, customer: bytes) -> int:
        return customer_counts.get(store, customer) or 0

    def merchant_count(self, store: KVStore, merchant: bytes) -> int:
        return merchant_counts.get(store, merchant) or 0

    def customer_id_count(self, store: KVStore, customer_id: str) -> int:
        return customer_id_counts.get(store, customer_id) or 0

    def status_count(self, store: KVStore, status: int) -> int:
        return status_counts.get(store, status) or 0

    def merchant_status_count(self, store: KVStore, merchant: bytes, status: int) -> int:
        return merchant_status_counts.get(store, (merchant, status)) or 0

    def customer_status_count(self, store: KVStore, customer: bytes, status: int) -> int:
        return customer_status_counts.get(store, (customer, status)) or 0

    def amount_count(self, store: KVStore, status: int, low: int, high: int) -> int:
        """How many orders of ``status`` (0: any) have ``low <= total <= high``: at most 32
        histogram keys, whatever the number of orders (histogram.py)."""
        if low > high:
            return 0

        def level0(a: int, b: int) -> int:
            found = by_total.iterate(store, start=(a, 0), end=(b, 0))
            if status == ANY_STATUS:
                return sum(1 for _ in found)
            return sum(1 for _, oid in found if self.must_get_order(store, oid).status == status)

        if high >= MAX_ORDER_AMOUNT:
            upto = self.status_count(store, status) if status else self.order_count(store)
        else:
            upto = amount_histogram.below(store, status, high + 1, level0)
        return upto - amount_histogram.below(store, status, low, level0)

    # -- settlement queue --------------------------------------------------------------------

    def enqueue_settlement(self, store: KVStore, due_ns: int, order_id: str) -> None:
        settlement_queue.add(store, (due_ns, order_id))

    def dequeue_settlement(self, store: KVStore, due_ns: int, order_id: str) -> None:
        settlement_queue.remove(store, (due_ns, order_id))

    def due_settlements(self, store: KVStore, now_ns: int, limit: int) -> list[tuple[int, str]]:
        """Up to ``limit`` queue entries with due time <= now, earliest first."""
        due: list[tuple[int, str]] = []
        for entry in settlement_queue.iterate(store, end=(now_ns + 1, "")):
            if len(due) == limit:
                break
            due.append(entry)
        return due


def _increment(counter: Map, store: KVStore, key, delta: int) -> None:
    value = (counter.get(store, key) or 0) + delta
    if value:
        counter.set(store, key, value)
    else:
        counter.delete(store, key)


def _sequence_of(order: Order) -> int:
    return order.sequence
