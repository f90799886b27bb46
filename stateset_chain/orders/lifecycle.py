"""The order lifecycle: the transition table, and the one function that changes a status.

    CREATED    -> PAID, CANCELLED
    PAID       -> FULFILLED, HELD, REFUNDED, DISPUTED
    FULFILLED  -> SHIPPED, CANCELLED, DISPUTED, HELD (a compliance freeze)
    SHIPPED    -> DELIVERED, RETURNED, DISPUTED, HELD (a compliance freeze)
    DELIVERED  -> RETURNED, DISPUTED, HELD (a compliance freeze)
    HELD       -> PAID (release), FULFILLED / SHIPPED / DELIVERED (release of a compliance
                  freeze: back to held_from), CANCELLED
    RETURNED   -> REFUNDED
    DISPUTED   -> RESOLVED
    CANCELLED, REFUNDED, RESOLVED: terminal

``start`` gives a new order its first status (CREATED); ``transition`` is the only other code that
assigns ``order.status``. Both append a timeline entry (status, block height, block time).
``transition`` also tells the modules that follow order statuses (``keeper.status_hooks``, wired
in wiring.py): inventory commits or releases the order's stock, conditional orders waiting on the
order wake up.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.orders.errors import InvalidTransition
from stateset_chain.orders.state import OrdersKeeper
from stateset_chain.timefmt import timestamp

from stateset.orders.v1.orders_pb2 import Order, OrderStatus, TimelineEntry

CREATED = OrderStatus.ORDER_STATUS_CREATED
PAID = OrderStatus.ORDER_STATUS_PAID
FULFILLED = OrderStatus.ORDER_STATUS_FULFILLED
SHIPPED = OrderStatus.ORDER_STATUS_SHIPPED
DELIVERED = OrderStatus.ORDER_STATUS_DELIVERED
HELD = OrderStatus.ORDER_STATUS_HELD
CANCELLED = OrderStatus.ORDER_STATUS_CANCELLED
RETURNED = OrderStatus.ORDER_STATUS_RETURNED
REFUNDED = OrderStatus.ORDER_STATUS_REFUNDED
DISPUTED = OrderStatus.ORDER_STATUS_DISPUTED
RESOLVED = OrderStatus.ORDER_STATUS_RESOLVED

TRANSITIONS: dict[int, frozenset[int]] = {
    CREATED: frozenset({PAID, CANCELLED}),
    PAID: frozenset({FULFILLED, HELD, REFUNDED, DISPUTED}),
    FULFILLED: frozenset({SHIPPED, CANCELLED, DISPUTED, HELD}),
    SHIPPED: frozenset({DELIVERED, RETURNED, DISPUTED, HELD}),
    DELIVERED: frozenset({RETURNED, DISPUTED, HELD}),
    HELD: frozenset({PAID, FULFILLED, SHIPPED, DELIVERED, CANCELLED}),
    CANCELLED: frozenset(),
    RETURNED: frozenset({REFUNDED}),
    REFUNDED: frozenset(),
    DISPUTED: frozenset({RESOLVED}),
    RESOLVED: frozenset(),
}

TERMINAL = frozenset(s for s, nexts in TRANSITIONS.items() if not nexts)


def status_name(status: int) -> str:
    """``ORDER_STATUS_PAID`` -> ``PAID``."""
    return OrderStatus.Name(status).removeprefix("ORDER_STATUS_")


def sources_of(to: int) -> list[int]:
    """The statuses that may move to ``to``, in enum order."""
    return sorted(s for s, nexts in TRANSITIONS.items() if to in nexts)


def require_transition(order: Order, to: int) -> None:
    """Raise InvalidTransition unless the table allows ``order.status -> to``."""
    if to not in TRANSITIONS[order.status]:
        allowed = ", ".join(status_name(s) for s in sources_of(to)) or "none"
        raise InvalidTransition(
            f"order {order.id} is {status_name(order.status)}; "
            f"{status_name(to)} is reachable only from {allowed}"
        )


def start(ctx: Context, order: Order) -> None:
    """A new order's first status and timeline entry."""
    order.status = CREATED
    _stamp(ctx, order)


def transition(
    keeper: OrdersKeeper, ctx: Context, order: Order, to: int, release: bool = False
) -> None:
    """Move ``order`` to ``to`` through the table, charge its re-indexing (made at the end of the
    block, ``OrdersKeeper.derive_indexes``), and log it on the timeline.
    A HELD order leaves for anything but CANCELLED only by its release (``release=True``,
    holds.release): MsgFulfillOrder, MsgShipOrder or MsgDeliverOrder never skip a hold.

    The caller saves the order afterwards.
    """
    require_transition(order, to)
    if order.status == HELD and to != CANCELLED and not release:
        raise InvalidTransition(
            f"order {order.id} is HELD; only its release returns it to {status_name(to)}"
        )
    for hook in keeper.status_hooks:
        hook.on_transition(ctx, order, to)
    keeper.move_status(ctx, order, to)
    order.status = to
    _stamp(ctx, order)


def _stamp(ctx: Context, order: Order) -> None:
    now = timestamp(ctx.block.time_ns)
    order.timeline.append(TimelineEntry(status=order.status, height=ctx.block.height, time=now))
    order.updated_at.CopyFrom(now)
