"""Outbox rows as the indexer writes them (id from height / tx index / event index)."""

from __future__ import annotations

import json
from datetime import UTC, datetime


def event_id(height: int, tx_index: int, event_index: int) -> str:
    tx = "b" if tx_index < 0 else str(tx_index)
    return f"evt_{height}_{tx}_{event_index}"


def add_event(conn, height: int, tx_index: int, event_index: int, event_type: str,
              order_id: str = "ord_x") -> str:
    eid = event_id(height, tx_index, event_index)
    payload = {"id": eid, "event": event_type, "data": {"order": {"id": order_id}},
               "timestamp": "2026-12-01T00:00:00Z"}
    conn.execute(
        "INSERT INTO webhook_outbox (id, height, tx_index, event_index, event_type, order_id, "
        "payload, created_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
        (eid, height, tx_index, event_index, event_type, order_id, json.dumps(payload),
         datetime.now(UTC)),
    )
    return eid
