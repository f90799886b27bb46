"""The inventory keeper: stock per (merchant, SKU, location) and each order's reservation.

    inventory/ 0x01 | len(merchant) merchant | len(sku) sku  -> Stock  (the default location "")
    inventory/ 0x02 | len(order id) order id                 -> Reservation
    inventory/ 0x03 | len(merchant) merchant | len(sku) sku | len(location) location -> Stock
                                                                (a named location)

The default location keeps the key it had before locations existed, so a state written then is
read as it was. ``stocks_at`` lists a SKU's locations (the default first, then by key order);
an order reserves each SKU from the first of them that holds the whole quantity (``reserve``).

The orders module calls ``reserve`` when it creates an order and ``on_transition`` on every status
change (``OrdersKeeper.stock``, wired in stateset_chain/wiring.py). A SKU is tracked once its
merchant has set it; untracked SKUs are not reserved (orders behave as before).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.inventory.errors import InsufficientStock
from stateset_chain.inventory.expected import OrdersKeeper
from stateset_chain.inventory.keys import (
    LOCATED_STOCKS_PREFIX,
    RESERVATIONS_PREFIX,
    STOCKS_PREFIX,
)
from stateset_chain.store.collections import Map, ProtoValue, StrKey, TupleKey
from stateset_chain.store.kv import KVStore
from stateset_chain.store.memo import ReadAhead

from stateset.inventory.v1 import events_pb2 as events
from stateset.inventory.v1.inventory_pb2 import (
    Reservation,
    ReservationState,
    ReservedLine,
    Stock,
)
from stateset.orders.v1.orders_pb2 import Order, OrderStatus

# told (store, merchant, sku) after every write of that stock
StockListener = Callable[[KVStore, str, str], None]

RESERVED = ReservationState.RESERVATION_STATE_RESERVED
SHIPPED_STATE = ReservationState.RESERVATION_STATE_SHIPPED
# The order statuses a reservation follows (the orders' wire enum, as its status hook reports them)
SHIPPED = OrderStatus.ORDER_STATUS_SHIPPED
CANCELLED = OrderStatus.ORDER_STATUS_CANCELLED
RETURNED = OrderStatus.ORDER_STATUS_RETURNED
REFUNDED = OrderStatus.ORDER_STATUS_REFUNDED
RELEASED = ReservationState.RESERVATION_STATE_RELEASED
RESTOCKED = ReservationState.RESERVATION_STATE_RESTOCKED


class InventoryKeeper:
    stocks: Map[tuple[str, str], Stock] = Map(
        STOCKS_PREFIX, TupleKey(StrKey, StrKey), ProtoValue(Stock)
    )
    located: Map[tuple[str, str, str], Stock] = Map(
        LOCATED_STOCKS_PREFIX, TupleKey(StrKey, StrKey, StrKey), ProtoValue(Stock)
    )
    reservations: Map[str, Reservation] = Map(
        RESERVATIONS_PREFIX, StrKey, ProtoValue(Reservation)
    )

    def __init__(self, orders: OrdersKeeper) -> None:
        self.orders = orders
        # told (store, merchant, sku) after every stock write: conditional orders waiting on it
        # (``add_stock_listener``, from the conditional keeper's constructor)
        self._stock_listeners: list[StockListener] = []
        # the orders module reserves through this keeper and tells it every status change
        orders.hooks.attach_stock(self)
        orders.hooks.add_status_hook(self)

    def add_stock_listener(self, listener: StockListener) -> None:
        self._stock_listeners.append(listener)

    # -- reads ------------------------------------------------------------------------------

    def stock(self, store: KVStore, merchant: str, sku: str, location: str = "") -> Stock | None:
        if not location:
            return self.stocks.get(store, (merchant, sku))
        return self.located.get(store, (merchant, sku, location))

    def put_stock(self, store: KVStore, stock: Stock) -> None:
        """Write ``stock`` under its location's key (genesis: no listener is told)."""
        if not stock.location:
            self.stocks.set(store, (stock.merchant, stock.sku), stock)
        else:
            self.located.set(store, (stock.merchant, stock.sku, stock.location), stock)

    def save_stock(self, store: KVStore, stock: Stock) -> None:
        self.put_stock(store, stock)
        for listener in self._stock_listeners:
            listener(store, stock.merchant, stock.sku)

    def stocks_at(self, store: KVStore, merchant: str, sku: str) -> list[Stock]:
        """Every location of (merchant, sku): the default one first, then the named ones."""
        default = self.stocks.get(store, (merchant, sku))
        named = [s for _, s in self.located.iterate(store, prefix=(merchant, sku))]
        return ([default] if default is not None else []) + named

    def reserve_reads(self, merchant: str, skus: Iterable[str]) -> ReadAhead:
        """What ``reserve`` reads of the committed state for ``merchant``'s ``skus``: each
        one's default stock and its named locations' range (a block reads them ahead:
        store/memo.py)."""
        out = ReadAhead()
        for sku in skus:
            out.keys.append(self.stocks.store_key((merchant, sku)))
            start, end = self.located.prefix_range((merchant, sku))
            if end is not None:
                out.ranges.append((start, end))
        return out

    def largest_available(self, store: KVStore, merchant: str, sku: str) -> int | None:
        """The most one location can serve (what one order line can reserve), or None if the
        merchant tracks the SKU nowhere."""
        stocks = self.stocks_at(store, merchant, sku)
        return max((s.available for s in stocks), default=None) if stocks else None

    def stocks_of(
        self, store: KVStore, merchant: str, after_sku: str = "", after_location: str = ""
    ) -> Iterator[Stock]:
        """The merchant's stocks in (sku, location) key order, strictly after (after_sku,
        after_location) when after_sku is given."""
        if after_sku:
            defaults = self.stocks.iterate(store, prefix=(merchant,), start=(merchant, after_sku))
            named = self.located.iterate(
                store, prefix=(merchant,), start=(merchant, after_sku, after_location)
            )
        else:
            defaults = self.stocks.iterate(store, prefix=(merchant,))
            named = self.located.iterate(store, prefix=(merchant,))
        after = stock_order(after_sku, after_location) if after_sku else None
        both = heapq.merge(
            (s for _, s in defaults), (s for _, s in named),
            key=lambda s: stock_order(s.sku, s.location),
        )
        for s in both:
            if after is None or stock_order(s.sku, s.location) > after:
                yield s

    def all_stocks(self, store: KVStore) -> Iterator[Stock]:
        for _, s in self.stocks.iterate(store):
            yield s
        for _, s in self.located.iterate(store):
            yield s

    def reservation(self, store: KVStore, order_id: str) -> Reservation | None:
        return self.reservations.get(store, order_id)

    def save_reservation(self, store: KVStore, r: Reservation) -> None:
        self.reservations.set(store, r.order_id, r)

    def all_reservations(self, store: KVStore) -> Iterator[Reservation]:
        for _, r in self.reservations.iterate(store):
            yield r

    # -- the orders module's hooks ------------------------------------------------------------

    def reserve(self, ctx: Context, order: Order) -> None:
        """Reserve every tracked SKU of a new order, or refuse it (InsufficientStock). Each SKU
        (its lines summed) comes from one location: the default one if it holds the whole
        quantity, else the first named location (in key order) that does."""
        wanted: dict[str, int] = {}
        for item in order.items:
            if item.sku:
                wanted[item.sku] = wanted.get(item.sku, 0) + item.quantity
        lines, touched = [], []
        for sku in sorted(wanted):
            stocks = self.stocks_at(ctx.store, order.merchant, sku)
            if not stocks:
                continue  # untracked: not reserved
            stock = next((s for s in stocks if s.available >= wanted[sku]), None)
            if stock is None:
                most = max(s.available for s in stocks)
                raise InsufficientStock(
                    f"{sku}: {wanted[sku]} wanted, at most {most} available at one location "
                    f"of {order.merchant}"
                )
            stock.available -= wanted[sku]
            stock.reserved += wanted[sku]
            lines.append(ReservedLine(sku=sku, quantity=wanted[sku], location=stock.location))
            touched.append(stock)
        if not lines:
            return
        for stock in touched:
            self.save_stock(ctx.store, stock)
        self.save_reservation(
            ctx.store,
            Reservation(order_id=order.id, merchant=order.merchant, lines=lines, state=RESERVED),
        )
        ctx.events.emit(events.StockReserved(order_id=order.id, stocks=touched))

    def transition_reads(self, order_id: str) -> ReadAhead:
        """``on_transition`` reads the order's reservation (a block's read-ahead)."""
        return ReadAhead([self.reservations.store_key(order_id)])

    def on_transition(self, ctx: Context, order: Order, to: int) -> None:
        r = self.reservation(ctx.store, order.id)
        if r is None or r.state != RESERVED:
            return
        if to == SHIPPED:
            changed = self._move(ctx, r, reserved=-1, shipped=+1)
            r.state = SHIPPED_STATE
            ctx.events.emit(events.StockShipped(order_id=order.id, stocks=changed))
        elif to in (CANCELLED, REFUNDED):
            changed = self._move(ctx, r, reserved=-1, available=+1)
            r.state = RELEASED
            ctx.events.emit(events.StockReleased(order_id=order.id, stocks=changed))
        else:
            return
        self.save_reservation(ctx.store, r)

    def restock(self, ctx: Context, r: Reservation) -> list[Stock]:
        changed = self._move(ctx, r, available=+1, adjusted=+1)
        r.state = RESTOCKED
        self.save_reservation(ctx.store, r)
        return changed

    def _move(self, ctx: Context, r: Reservation, **signs: int) -> list[Stock]:
        changed = []
        for line in r.lines:
            stock = self.stock(ctx.store, r.merchant, line.sku, line.location)
            assert stock is not None  # a reservation names only tracked stocks; never deleted
            for field, sign in signs.items():
                setattr(stock, field, getattr(stock, field) + sign * line.quantity)
            self.save_stock(ctx.store, stock)
            changed.append(stock)
        return changed


def stock_order(sku: str, location: str) -> tuple[bytes, bytes]:
    """Where (sku, location) sorts among a merchant's stocks: the store's key order (each part
    length-prefixed; the default location "" first)."""
    return StrKey.encode(sku), StrKey.encode(location)
