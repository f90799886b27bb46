"""Webhook endpoints and their secrets (the rows behind /v1/webhooks).

An endpoint receives the outbox events indexed after it was created (``start_seq`` = the
outbox's last position then), of the types it subscribes to.

An endpoint belongs to a mode (``livemode`` of the key that created it) and is seen only by keys
of that mode. Deleting marks it ``deleted_at`` (its deliveries keep their history) and cancels
its pending deliveries. Rotating a secret adds a new one and gives the previous live ones an
expiry (default 24 h); until then every delivery is signed with all of them.
"""

from __future__ import annotations

import secrets as _secrets
import string
from dataclasses import dataclass
from datetime import datetime

from stateset_chain.api.fmt import iso
from stateset_chain.webhooks.signing import new_secret

EVENT_TYPES: tuple[str, ...] = (
    "order.created",
    "payment.received",
    "order.paid",
    "order.fulfilled",
    "order.shipped",
    "order.delivered",
    "order.cancelled",
    "order.held",
    "order.released",
    "order.returned",
    "order.refunded",
    "order.disputed",
    "order.resolved",
    "order.settled",
    "payment.cross_chain_received",
    "refund.cross_chain_initiated",
)
"""The event types the indexer writes to the outbox (``indexer/views.py``) and an endpoint may
subscribe to; ``*`` subscribes to all of them (and to types added later)."""

_ALPHABET = string.ascii_letters + string.digits


def new_id(prefix: str) -> str:
    return prefix + "".join(_secrets.choice(_ALPHABET) for _ in range(16))


@dataclass(frozen=True)
class Endpoint:
    id: str
    livemode: bool
    url: str
    events: list[str]
    description: str
    status: str
    disabled_reason: str | None
    created_at: datetime
    updated_at: datetime

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "object": "webhook_endpoint",
            "url": self.url,
            "events": list(self.events),
            "description": self.description,
            "status": self.status,
            "disabled_reason": self.disabled_reason,
            "livemode": self.livemode,
            "created_at": iso(self.created_at),
            "updated_at": iso(self.updated_at),
        }


_COLUMNS = "id, livemode, url, events, description, status, disabled_reason, created_at, updated_at"


def _endpoint(row) -> Endpoint:
    return Endpoint(*row)


def create(conn, *, livemode: bool, url: str, events: list[str], description: str) -> tuple[
    Endpoint, str
]:
    endpoint_id = new_id("we_")
    secret = new_secret()
    row = conn.execute(
        "INSERT INTO webhook_endpoints (id, livemode, url, events, description, start_seq) "
        "VALUES (%s, %s, %s, %s, %s, (SELECT coalesce(max(seq), 0) FROM webhook_outbox)) "
        f"RETURNING {_COLUMNS}",
        (endpoint_id, livemode, url, events, description),
    ).fetchone()
    conn.execute(
        "INSERT INTO webhook_secrets (endpoint_id, secret) VALUES (%s, %s)", (endpoint_id, secret)
    )
    return _endpoint(row), secret


def get(conn, endpoint_id: str, *, livemode: bool) -> Endpoint | None:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM webhook_endpoints "
        "WHERE id = %s AND livemode = %s AND deleted_at IS NULL",
        (endpoint_id, livemode),
    ).fetchone()
    return _endpoint(row) if row else None


def list_page(conn, *, livemode: bool, limit: int, cursor_id: str | None,
              backwards: bool) -> tuple[list[Endpoint], int, bool] | None:
    """A page of the mode's endpoints, newest first (``paging.page`` on ``(created_at, id)``):
    (endpoints, total_count, has_more), or None when ``cursor_id`` names no endpoint of the mode."""
    from stateset_chain.api.paging import Where, page

    where = Where(["livemode = %s", "deleted_at IS NULL"], [livemode])
    cursor = None
    if cursor_id is not None:
        cursor = conn.execute(
            "SELECT created_at, id FROM webhook_endpoints "
            "WHERE id = %s AND livemode = %s AND deleted_at IS NULL",
            (cursor_id, livemode),
        ).fetchone()
        if cursor is None:
            return None
    rows, total, has_more = page(
        conn, table="webhook_endpoints", columns=_COLUMNS, key=("created_at", "id"),
        where=where, limit=limit, offset=0, cursor_key=None if cursor is None else tuple(cursor),
        backwards=backwards,
    )
    return [_endpoint(r) for r in rows], total, has_more


def update(
    conn,
    endpoint_id: str,
    *,
    livemode: bool,
    url: str | None,
    events: list[str] | None,
    description: str | None,
    enabled: bool | None,
) -> Endpoint | None:
    sets: list[str] = ["updated_at = now()"]
    args: list[object] = []
    if url is not None:
        sets.append("url = %s")
        args.append(url)
    if events is not None:
        sets.append("events = %s")
        args.append(events)
    if description is not None:
        sets.append("description = %s")
        args.append(description)
    if enabled is True:
        sets.append("status = 'enabled', disabled_reason = NULL")
    elif enabled is False:
        sets.append("status = 'disabled', disabled_reason = 'disabled by api'")
    row = conn.execute(
        f"UPDATE webhook_endpoints SET {', '.join(sets)} "
        f"WHERE id = %s AND livemode = %s AND deleted_at IS NULL RETURNING {_COLUMNS}",
        (*args, endpoint_id, livemode),
    ).fetchone()
    return _endpoint(row) if row else None


def delete(conn, endpoint_id: str, *, livemode: bool) -> bool:
    row = conn.execute(
        "UPDATE webhook_endpoints SET deleted_at = now(), status = 'disabled', "
        "disabled_reason = 'deleted' WHERE id = %s AND livemode = %s AND deleted_at IS NULL "
        "RETURNING id",
        (endpoint_id, livemode),
    ).fetchone()
    if row is None:
        return False
    cancel_pending(conn, endpoint_id)
    return True


def cancel_pending(conn, endpoint_id: str) -> None:
    conn.execute(
        "UPDATE webhook_deliveries SET status = 'cancelled' "
        "WHERE endpoint_id = %s AND status = 'pending'",
        (endpoint_id,),
    )


def rotate_secret(conn, endpoint_id: str, *, expire_previous_in: int) -> str:
    """A new secret; the live ones expire ``expire_previous_in`` seconds from now (0: at once)."""
    conn.execute(
        "UPDATE webhook_secrets SET expires_at = now() + make_interval(secs => %s) "
        "WHERE endpoint_id = %s AND (expires_at IS NULL OR expires_at > now() + "
        "make_interval(secs => %s))",
        (expire_previous_in, endpoint_id, expire_previous_in),
    )
    secret = new_secret()
    conn.execute(
        "INSERT INTO webhook_secrets (endpoint_id, secret) VALUES (%s, %s)", (endpoint_id, secret)
    )
    return secret


def live_secrets(conn, endpoint_id: str) -> list[str]:
    """Newest first: the secrets a delivery is signed with now."""
    rows = conn.execute(
        "SELECT secret FROM webhook_secrets WHERE endpoint_id = %s "
        "AND (expires_at IS NULL OR expires_at > now()) ORDER BY id DESC",
        (endpoint_id,),
    ).fetchall()
    return [r[0] for r in rows]
