"""The plain ``order`` event that follows every typed orders event, for indexers.

Typed events carry JSON values (``order_id='"ord_x"'``, an ``Order`` as one blob), as the Cosmos
SDK's ``EmitTypedEvent`` writes them, so CometBFT's ``tx_search`` cannot match them on a plain
value. Each typed orders event is therefore followed by one plain event of type ``order`` whose
values are plain text, every attribute indexed:

    order_id   ord_...             the order
    event      OrderPaid           the typed event it goes with (its short name)
    status     PAID                the order's status after the change
    customer   stateset1...
    merchant   stateset1...
    amount     40000000ussusd      the order's total, as a coin string (a fiat-priced order: its
                                   total in the denom, locked or the creation quote)

so ``tx_search "order.order_id='ord_x'"`` finds every transaction that touched an order, and
``order.customer='stateset1...' AND order.event='OrderPaid'`` a customer's payments. The typed
event is unchanged (``ParseTypedEvent`` still reads it back).
"""

from __future__ import annotations

from google.protobuf.message import Message

from stateset_chain.context import Context
from stateset_chain.orders.fx import payable
from stateset_chain.orders.lifecycle import status_name

from stateset.orders.v1.orders_pb2 import Order

ORDER_EVENT = "order"

_status_names: dict[int, str] = {}


def emit(ctx: Context, order: Order, typed: Message) -> None:
    """Emits ``typed``, then the plain ``order`` event of ``order`` as it is now."""
    ctx.events.emit(typed)
    ctx.events.emit_pending(ORDER_EVENT, order_attributes(order, typed.DESCRIPTOR.name))


def order_attributes(order: Order, event_name: str) -> list[tuple[str, str]]:
    status = _status_names.get(order.status)
    if status is None:
        status = _status_names.setdefault(order.status, status_name(order.status))
    return [
        ("order_id", order.id),
        ("event", event_name),
        ("status", status),
        ("customer", order.customer),
        ("merchant", order.merchant),
        ("amount", f"{payable(order)}{order.denom}"),
    ]
