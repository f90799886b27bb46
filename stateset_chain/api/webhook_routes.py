"""``/v1/webhooks``: endpoints (create, list, get, update, delete, rotate secret) and deliveries.

Every route needs an API key; writes need a secret (``sk_``) key and honour Idempotency-Key.
The secret is returned when an endpoint is created and when it is rotated, never otherwise.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from stateset_chain.api import errors, idempotency, params
from stateset_chain.api.app import (
    AnyKey,
    IdempotencyKey,
    RawBody,
    SecretKey,
    connection,
    replayed_headers,
    service,
)
from stateset_chain.api.fmt import iso
from stateset_chain.api.keys import ApiKey
from stateset_chain.api.paging import Where, page
from stateset_chain.webhooks import endpoints as db
from stateset_chain.webhooks.urls import UrlNotAllowed, check_url

router = APIRouter(prefix="/v1/webhooks")

MAX_ROTATION_GRACE = 7 * 24 * 3600
DEFAULT_ROTATION_GRACE = 24 * 3600


class CreateWebhook(BaseModel):
    url: str
    events: list[str] = Field(description="event types, or ['*'] for all")
    description: str = ""


class UpdateWebhook(BaseModel):
    url: str | None = None
    events: list[str] | None = None
    description: str | None = None
    enabled: bool | None = None


class RotateSecret(BaseModel):
    expire_previous_in: int = Field(
        DEFAULT_ROTATION_GRACE,
        description="seconds the previous secrets stay valid (0: revoke now)",
    )


def _check_events(events: list[str]) -> list[str]:
    if not events:
        raise errors.ParameterInvalid("events must name at least one event type", "events")
    for e in events:
        if e != "*" and e not in db.EVENT_TYPES:
            raise errors.ParameterInvalid(f"unknown event type {e!r}", param="events")
    return sorted(set(events))


def _check_url(request: Request, url: str) -> None:
    try:
        check_url(url, allow_private=service(request).config.delivery.allow_private)
    except UrlNotAllowed as e:
        raise errors.UrlNotAllowed(str(e), param="url") from None


def _write(request: Request, key: ApiKey, idem: str | None, raw: bytes, handler):
    with connection(request) as conn:
        status, answer, replayed = idempotency.run(
            conn, key, idem, request.method, request.url.path, raw, handler
        )
    return JSONResponse(answer, status_code=status, headers=replayed_headers(replayed))


@router.post("", status_code=201, summary="Create a webhook endpoint; returns its secret once")
def create_webhook(
    request: Request,
    body: CreateWebhook,
    key: SecretKey,
    raw: RawBody,
    idempotency_key: IdempotencyKey = None,
):
    def handler(conn) -> tuple[int, dict]:
        events = _check_events(body.events)
        _check_url(request, body.url)
        endpoint, secret = db.create(
            conn, livemode=key.livemode, url=body.url, events=events, description=body.description
        )
        return 201, {**endpoint.to_json(), "secret": secret}

    return _write(request, key, idempotency_key, raw, handler)


@router.get("", summary="List webhook endpoints (newest first), with cursors")
def list_webhooks(
    request: Request,
    key: AnyKey,
    limit: int | None = None,
    starting_after: str | None = None,
    ending_before: str | None = None,
) -> dict:
    n = params.limit(limit)
    cursor_id = params.cursors(0, starting_after, ending_before)
    with connection(request) as conn:
        found = db.list_page(conn, livemode=key.livemode, limit=n, cursor_id=cursor_id,
                             backwards=ending_before is not None)
    if found is None:
        param = "starting_after" if starting_after is not None else "ending_before"
        raise errors.ParameterInvalid(f"no webhook endpoint {cursor_id}", param=param)
    items, total, has_more = found
    return {"object": "list", "data": [e.to_json() for e in items], "total_count": total,
            "has_more": has_more}


@router.get("/{endpoint_id}", summary="Get a webhook endpoint")
def get_webhook(request: Request, endpoint_id: str, key: AnyKey) -> dict:
    with connection(request) as conn:
        endpoint = db.get(conn, endpoint_id, livemode=key.livemode)
    if endpoint is None:
        raise errors.ResourceMissing(f"no webhook endpoint {endpoint_id}", param="id")
    return endpoint.to_json()


@router.post("/{endpoint_id}", summary="Update a webhook endpoint (url, events, enabled)")
def update_webhook(
    request: Request,
    endpoint_id: str,
    body: UpdateWebhook,
    key: SecretKey,
    raw: RawBody,
    idempotency_key: IdempotencyKey = None,
):
    def handler(conn) -> tuple[int, dict]:
        events = _check_events(body.events) if body.events is not None else None
        if body.url is not None:
            _check_url(request, body.url)
        endpoint = db.update(
            conn, endpoint_id, livemode=key.livemode, url=body.url, events=events,
            description=body.description, enabled=body.enabled,
        )
        if endpoint is None:
            raise errors.ResourceMissing(f"no webhook endpoint {endpoint_id}", param="id")
        return 200, endpoint.to_json()

    return _write(request, key, idempotency_key, raw, handler)


@router.delete("/{endpoint_id}", summary="Delete a webhook endpoint (pending deliveries cancelled)")
def delete_webhook(
    request: Request, endpoint_id: str, key: SecretKey
) -> dict:
    with connection(request) as conn, conn.transaction():
        deleted = db.delete(conn, endpoint_id, livemode=key.livemode)
    if not deleted:
        raise errors.ResourceMissing(f"no webhook endpoint {endpoint_id}", param="id")
    return {"id": endpoint_id, "object": "webhook_endpoint", "deleted": True}


@router.post("/{endpoint_id}/rotate_secret", summary="Rotate the signing secret")
def rotate_secret(
    request: Request,
    endpoint_id: str,
    key: SecretKey,
    raw: RawBody,
    body: RotateSecret | None = None,
    idempotency_key: IdempotencyKey = None,
):
    grace = body.expire_previous_in if body is not None else DEFAULT_ROTATION_GRACE
    if not 0 <= grace <= MAX_ROTATION_GRACE:
        raise errors.ParameterInvalid(
            f"expire_previous_in must be 0 to {MAX_ROTATION_GRACE}", param="expire_previous_in"
        )

    def handler(conn) -> tuple[int, dict]:
        endpoint = db.get(conn, endpoint_id, livemode=key.livemode)
        if endpoint is None:
            raise errors.ResourceMissing(f"no webhook endpoint {endpoint_id}", param="id")
        secret = db.rotate_secret(conn, endpoint_id, expire_previous_in=grace)
        return 200, {**endpoint.to_json(), "secret": secret}

    return _write(request, key, idempotency_key, raw, handler)


@router.get("/{endpoint_id}/deliveries", summary="An endpoint's deliveries, newest first")
def list_deliveries(
    request: Request,
    endpoint_id: str,
    key: AnyKey,
    status: str | None = None,
    limit: int | None = None,
    starting_after: int | None = None,
    ending_before: int | None = None,
) -> dict:
    n = params.limit(limit)
    cursor = params.cursors(0, starting_after, ending_before)
    where = Where(["endpoint_id = %s"], [endpoint_id])
    if status is not None:
        if status not in ("pending", "delivered", "failed", "cancelled"):
            raise errors.ParameterInvalid("status: pending, delivered, failed or cancelled",
                                          param="status")
        where.add("status = %s", status)
    with connection(request) as conn:
        if db.get(conn, endpoint_id, livemode=key.livemode) is None:
            raise errors.ResourceMissing(f"no webhook endpoint {endpoint_id}", param="id")
        rows, total, has_more = page(
            conn, table="webhook_deliveries",
            columns="id, event_id, event_type, status, attempts, next_attempt_at, "
            "last_status_code, last_error, created_at, delivered_at",
            key=("id",), where=where, limit=n, offset=0,
            cursor_key=None if cursor is None else (cursor,),
            backwards=ending_before is not None,
        )
    return {
        "object": "list",
        "data": [
            {
                "id": r[0], "object": "webhook_delivery", "event_id": r[1], "event": r[2],
                "status": r[3], "attempts": r[4],
                "next_attempt_at": iso(r[5]) if r[3] == "pending" else None,
                "last_status_code": r[6], "last_error": r[7], "created_at": iso(r[8]),
                "delivered_at": iso(r[9]),
            }
            for r in rows
        ],
        "total_count": total,
        "has_more": has_more,
    }
