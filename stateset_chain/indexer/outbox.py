"""Webhook outbox rows: one per order event worth a webhook, written in the block's transaction.

The row's ``payload`` is the webhook body of the Orders API documents:
``{"id": "evt_…", "event": "order.paid", "data": {"order": {...}, ...}, "timestamp": ...}``,
where ``data.order`` is ``render_order`` of the order right after the event. The id comes from
where the event is in the chain (height, tx index, event index), so it is the same on every
retry, restart and rebuild; the delivery side (``statesetd api``) signs and sends these rows.
"""

from __future__ import annotations

from typing import Any

from psycopg.types.json import Jsonb

from stateset_chain.readside.render import render_order, render_payment, render_refund
from stateset_chain.timefmt import ns_datetime

OUTBOX_COLUMNS = ("id", "height", "tx_index", "event_index", "event_type", "order_id", "payload",
                  "created_at")


def _data_value(name: str, value: Any, order: dict, rendered: dict | None) -> Any:
    """One ``data`` entry: the order's records (proto JSON) rendered as the API renders them
    (a dispute or settlement the order already holds is taken from its rendering)."""
    if value is None or not isinstance(value, dict):
        return value
    if name == "payment":
        return render_payment(value, order)
    if name == "refund":
        return render_refund(value, order)
    if name in ("dispute", "settlement"):
        if rendered is not None and order.get(name) is value:
            return rendered[name]
        return render_order({**order, name: value})[name]
    return value


def outbox_row(ev, kind: str, order: dict | None, data: dict[str, Any],
               rendered: dict | None = None) -> tuple:
    """The outbox row of one event; ``rendered``: ``render_order(order)`` if the caller has it."""
    from stateset_chain.indexer.views import event_id, time_text

    eid = event_id(ev.height, ev.tx_index, ev.index)
    if rendered is None and order is not None:
        rendered = render_order(order)
    body: dict[str, Any] = {"order": rendered}
    for name, value in data.items():
        body[name] = _data_value(name, value, order or {}, rendered)
    payload = {
        "id": eid,
        "event": kind,
        "data": body,
        "timestamp": time_text(ev.time_ns),
        "height": ev.height,
    }
    return (eid, ev.height, ev.tx_index, ev.index, kind,
            order["id"] if order is not None else None, Jsonb(payload), ns_datetime(ev.time_ns))
