"""The inventory keeper: stock per (merchant, SKU) and each order's reservation.

    inventory/ 0x01 | len(merchant) merchant | len(sku) sku  -> Stock
    inventory/ 0x02 | len(order id) order id                 -> Reservation

The orders module calls ``reserve`` when it creates an order and ``on_transition`` on every status
change (``OrdersKeeper.stock``, wired in stateset_chain/wiring.py). A SKU is tracked once its
merchant has set it; untracked SKUs are not reserved (orders behave as before).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.inventory.errors import InsufficientStock
from stateset_chain.inventory.expected import OrdersKeeper
from stateset_chain.inventory.keys import RESERVATIONS_PREFIX, STOCKS_PREFIX
from stateset_chain.orders.lifecycle import CANCELLED, REFUNDED, SHIPPED
from stateset_chain.store.collections import Map, ProtoValue, StrKey, TupleKey
from stateset_chain.store.kv import KVStore

from stateset.inventory.v1 import events_pb2 as events
from stateset.inventory.v1.inventory_pb2 import (
    Reservation,
    ReservationState,
    ReservedLine,
    Stock,
)
from stateset.orders.v1.orders_pb2 import Order

# told (store, merchant, sku) after every write of that stock
StockListener = Callable[[KVStore, str, str], None]

RESERVED = ReservationState.RESERVATION_STATE_RESERVED
SHIPPED_STATE = ReservationState.RESERVATION_STATE_SHIPPED
RELEASED = ReservationState.RESERVATION_STATE_RELEASED
RESTOCKED = ReservationState.RESERVATION_STATE_RESTOCKED


class InventoryKeeper:
    stocks: Map[tuple[str, str], Stock] = Map(
        STOCKS_PREFIX, TupleKey(StrKey, StrKey), ProtoValue(Stock)
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

    def stock(self, store: KVStore, merchant: str, sku: str) -> Stock | None:
        return self.stocks.get(store, (merchant, sku))

    def save_stock(self, store: KVStore, stock: Stock) -> None:
        self.stocks.set(store, (stock.merchant, stock.sku), stock)
        for listener in self._stock_listeners:
            listener(store, stock.merchant, stock.sku)

    def stocks_of(self, store: KVStore, merchant: str, start_after: str = "") -> Iterator[Stock]:
        for (_, sku), stock in self.stocks.iterate(store, prefix=(merchant,)):
            if sku > start_after or not start_after:
                yield stock

    def all_stocks(self, store: KVStore) -> Iterator[Stock]:
        for _, s in self.stocks.iterate(store):
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
        """Reserve every tracked SKU of a new order, or refuse it (InsufficientStock)."""
        wanted: dict[str, int] = {}
        for item in order.items:
            if item.sku:
                wanted[item.sku] = wanted.get(item.sku, 0) + item.quantity
        lines, touched = [], []
        for sku in sorted(wanted):
            stock = self.stock(ctx.store, order.merchant, sku)
            if stock is None:
                continue
            if stock.available < wanted[sku]:
                raise InsufficientStock(
                    f"{sku}: {wanted[sku]} wanted, {stock.available} available at {order.merchant}"
                )
            stock.available -= wanted[sku]
            stock.reserved += wanted[sku]
            lines.append(ReservedLine(sku=sku, quantity=wanted[sku]))
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
            stock = self.stock(ctx.store, r.merchant, line.sku)
            assert stock is not None  # a reservation names only tracked SKUs; never deleted
            for field, sign in signs.items():
                setattr(stock, field, getattr(stock, field) + sign * line.quantity)
            self.save_stock(ctx.store, stock)
            changed.append(stock)
        return changed
