"""The conditional orders keeper: records, what they wait on, and the block's woken set.

    conditional/ 0x01                                    -> Params
    conditional/ 0x02 | len(id) id                       -> ConditionalOrder
    conditional/ 0x03                                    -> u64 next sequence
    conditional/ 0x10 | time_ns u64 | len(id) id         -> (empty)  time wakes (time_after, polls)
    conditional/ 0x11 | expires_ns u64 | len(id) id      -> (empty)  expiries
    conditional/ 0x12 | len(m) merchant | len(s) sku | len(id) id -> (empty)  stock waiters
    conditional/ 0x13 | len(o) order id | len(id) id     -> (empty)  order status waiters
    conditional/ 0x14 | len(c) currency | len(id) id     -> (empty)  exchange rate waiters
    conditional/ 0x20 | len(id) id                       -> (empty)  woken, to evaluate
    conditional/ 0x21 | kind u32 | len(s) subject | len(k) sku -> (empty)  changed in this block
    conditional/ 0x30 | sequence u64                     -> WakePass  waiter passes, FIFO
    conditional/ 0x31 | kind u32 | len(s) subject | len(k) sku -> u64  the subject's pass
    conditional/ 0x32                                    -> u64 next pass sequence

Only WAITING conditional orders have entries in 0x10-0x14. A stock write, an order's status
change or a new accepted exchange rate only marks its subject changed (0x21: one write, whatever
waits on it, so nobody can raise a merchant's tx cost by waiting on its SKUs); the end-block
turns each mark into a waiter pass and wakes the waiters a bounded number per block (wakes.py),
then evaluates the woken ones.
Nothing ever reads all conditional orders.
"""

from __future__ import annotations

from collections.abc import Iterator

import stateset_chain.pb  # noqa: F401
from stateset_chain.conditional.errors import ConditionalOrderNotFound
from stateset_chain.conditional.expected import (
    BankKeeper,
    InventoryKeeper,
    OracleKeeper,
    OrdersKeeper,
)
from stateset_chain.conditional.keys import (
    CHANGED_PREFIX,
    CONDITIONAL_MODULE_ACCOUNTS,
    ESCROW_ACCOUNT,
    EXPIRY_QUEUE_PREFIX,
    ID_PREFIX,
    ORDER_WAITERS_PREFIX,
    PARAMS_KEY,
    PASS_OF_PREFIX,
    PASS_QUEUE_PREFIX,
    PASS_SEQUENCE_KEY,
    RATE_WAITERS_PREFIX,
    RECORDS_PREFIX,
    SEQUENCE_KEY,
    STOCK_WAITERS_PREFIX,
    TIME_QUEUE_PREFIX,
    WOKEN_PREFIX,
)
from stateset_chain.context import Context
from stateset_chain.orders import ids
from stateset_chain.store.collections import (
    Item,
    KeySet,
    Map,
    ProtoValue,
    Sequence,
    StrKey,
    TupleKey,
    U32Key,
    U64Key,
    U64Value,
)
from stateset_chain.store.kv import KVStore
from stateset_chain.store.memo import ReadAhead
from stateset_chain.timefmt import timestamp_ns

from stateset.conditional.v1.conditional_pb2 import ConditionalOrder, Params, WakeKind, WakePass
from stateset.orders.v1.orders_pb2 import Order

__all__ = ["CONDITIONAL_MODULE_ACCOUNTS", "ESCROW_ACCOUNT", "ConditionalKeeper", "default_params"]


STOCK = WakeKind.WAKE_KIND_STOCK
ORDER_STATUS = WakeKind.WAKE_KIND_ORDER_STATUS
EXCHANGE_RATE = WakeKind.WAKE_KIND_EXCHANGE_RATE

# (kind, subject, sku): what changed; sku is empty but for stock
Subject = tuple[int, str, str]


# A field added after genesis files were written: 0 (absent) reads as this default, so a state
# written before it exists is read as it was meant.
DEFAULT_MAX_WAITER_WAKES = 1_000


def default_params() -> Params:
    return Params(max_wakes_per_block=1_000, balance_poll_seconds=60, max_conditions=8)


class ConditionalKeeper:
    params_item: Item[Params] = Item(PARAMS_KEY, ProtoValue(Params))
    records: Map[str, ConditionalOrder] = Map(RECORDS_PREFIX, StrKey, ProtoValue(ConditionalOrder))
    sequence = Sequence(SEQUENCE_KEY, start=1)
    # what a WAITING conditional order waits on, and the ids woken to evaluate
    time_queue: KeySet = KeySet(TIME_QUEUE_PREFIX, TupleKey(U64Key, StrKey))
    expiry_queue: KeySet = KeySet(EXPIRY_QUEUE_PREFIX, TupleKey(U64Key, StrKey))
    stock_waiters: KeySet = KeySet(STOCK_WAITERS_PREFIX, TupleKey(StrKey, StrKey, StrKey))
    order_waiters: KeySet = KeySet(ORDER_WAITERS_PREFIX, TupleKey(StrKey, StrKey))
    rate_waiters: KeySet = KeySet(RATE_WAITERS_PREFIX, TupleKey(StrKey, StrKey))
    woken: KeySet = KeySet(WOKEN_PREFIX, StrKey)
    # subjects changed in this block, and the passes waking their waiters (wakes.py)
    changed: KeySet[Subject] = KeySet(CHANGED_PREFIX, TupleKey(U32Key, StrKey, StrKey))
    pass_queue: Map[int, WakePass] = Map(PASS_QUEUE_PREFIX, U64Key, ProtoValue(WakePass))
    pass_of: Map[Subject, int] = Map(PASS_OF_PREFIX, TupleKey(U32Key, StrKey, StrKey), U64Value)
    pass_sequence = Sequence(PASS_SEQUENCE_KEY, start=1)

    def __init__(
        self,
        bank: BankKeeper,
        orders: OrdersKeeper,
        inventory: InventoryKeeper | None = None,
        oracle: OracleKeeper | None = None,
    ) -> None:
        self.bank = bank
        self.orders = orders
        # the inventory keeper, for sku_in_stock (None: no stock condition is ever met)
        self.inventory = inventory
        # the oracle, for exchange_rate (None: no rate condition is ever met)
        self.oracle = oracle
        # conditional orders wake on the order statuses and the stock they wait on (never a
        # scan): the orders module tells every status change (``on_transition``), the
        # inventory every stock write (``stock_changed``)
        orders.hooks.add_status_hook(self)
        if inventory is not None:
            inventory.add_stock_listener(self.stock_changed)
        if oracle is not None:
            oracle.add_rate_listener(self.rate_changed)

    def on_transition(self, ctx: Context, order: Order, to: int) -> None:
        """The orders module's status hook: what waits on ``order`` wakes at end-block."""
        self.changed.add(ctx.store, (ORDER_STATUS, order.id, ""))

    def transition_reads(self, order_id: str) -> ReadAhead:
        """What the end-block's wake of the order's status subject reads (``wakes.expand``): its
        pass, if one is in progress, and its waiters from the start (a block's read-ahead)."""
        out = ReadAhead([self.pass_of.store_key((ORDER_STATUS, order_id, ""))])
        start = self.order_waiters.store_key((order_id, ""))
        end = self.order_waiters.prefix_range((order_id,))[1]
        if end is not None:
            out.ranges.append((start, end))
        return out

    def stock_changed(self, store: KVStore, merchant: str, sku: str) -> None:
        """The inventory's stock listener: what waits on (merchant, sku) wakes at end-block.
        One write, whatever number of conditional orders wait on it."""
        self.changed.add(store, (STOCK, merchant, sku))

    def rate_changed(self, store: KVStore, currency: str) -> None:
        """The oracle's rate listener: what waits on the currency's rate wakes at end-block."""
        self.changed.add(store, (EXCHANGE_RATE, currency, ""))

    def stored_params(self, store: KVStore) -> Params:
        """The params as stored (genesis export writes these)."""
        return self.params_item.get(store) or default_params()

    def params(self, store: KVStore) -> Params:
        """The params in force (an absent max_waiter_wakes_per_block is its default)."""
        p = self.stored_params(store)
        if not p.max_waiter_wakes_per_block:
            p.max_waiter_wakes_per_block = DEFAULT_MAX_WAITER_WAKES
        return p

    def next_id(self, store: KVStore) -> tuple[int, str]:
        seq = self.sequence.next(store)
        return seq, ids.make_id(ID_PREFIX, seq)

    def get(self, store: KVStore, cid: str) -> ConditionalOrder | None:
        return self.records.get(store, cid)

    def must_get(self, store: KVStore, cid: str) -> ConditionalOrder:
        c = self.records.get(store, cid)
        if c is None:
            raise ConditionalOrderNotFound(cid)
        return c

    def save(self, store: KVStore, c: ConditionalOrder) -> None:
        self.records.set(store, c.id, c)

    def all(self, store: KVStore) -> Iterator[ConditionalOrder]:
        for _, c in self.records.iterate(store):
            yield c

    # -- what a waiting conditional order is indexed under ------------------------------------

    def index(self, store: KVStore, c: ConditionalOrder, add: bool) -> None:
        op = "add" if add else "remove"
        getattr(self.expiry_queue, op)(store, (timestamp_ns(c.expires_at), c.id))
        for cond in c.conditions:
            kind = cond.WhichOneof("kind")
            if kind == "sku_in_stock":
                key = (cond.sku_in_stock.merchant, cond.sku_in_stock.sku, c.id)
                getattr(self.stock_waiters, op)(store, key)
            elif kind == "order_reached":
                getattr(self.order_waiters, op)(store, (cond.order_reached.order_id, c.id))
            elif kind == "time_after":
                getattr(self.time_queue, op)(store, (timestamp_ns(cond.time_after.time), c.id))
            elif kind == "exchange_rate":
                getattr(self.rate_waiters, op)(store, (cond.exchange_rate.currency, c.id))
        if c.HasField("next_poll"):
            getattr(self.time_queue, op)(store, (timestamp_ns(c.next_poll), c.id))
        if not add:
            self.woken.remove(store, c.id)

    # -- wakes --------------------------------------------------------------------------------

    def waiters_after(self, store: KVStore, p: WakePass) -> Iterator[str]:
        """The ids waiting on ``p``'s subject after ``p.after``, in id order."""
        if p.kind == STOCK:
            for _, _, cid in self.stock_waiters.iterate(
                store, prefix=(p.subject, p.sku), start=(p.subject, p.sku, p.after)
            ):
                if cid != p.after:
                    yield cid
        elif p.kind in (ORDER_STATUS, EXCHANGE_RATE):
            waiters = self.order_waiters if p.kind == ORDER_STATUS else self.rate_waiters
            for _, cid in waiters.iterate(store, prefix=(p.subject,), start=(p.subject, p.after)):
                if cid != p.after:
                    yield cid
        else:
            raise AssertionError(f"wake pass of kind {p.kind}")

    def passes(self, store: KVStore) -> Iterator[WakePass]:
        for _, p in self.pass_queue.iterate(store):
            yield p

    def due_times(self, store: KVStore, now_ns: int, limit: int) -> list[tuple[int, str]]:
        return _take(self.time_queue.iterate(store, end=(now_ns + 1, "")), limit)

    def due_expiries(self, store: KVStore, now_ns: int, limit: int) -> list[tuple[int, str]]:
        return _take(self.expiry_queue.iterate(store, end=(now_ns + 1, "")), limit)

    def woken_ids(self, store: KVStore, limit: int) -> list[str]:
        return _take(self.woken.iterate(store), limit)


def _take(it, limit: int) -> list:
    out: list = []
    for entry in it:
        if len(out) == limit:
            break
        out.append(entry)
    return out
