"""``Idempotency-Key`` on every POST: the same key with the same body gets the first answer.

The key is scoped to the API key that sent it. The request's fingerprint is
``sha256(method, path, canonical JSON body)`` (so whitespace and key order do not matter). The
handler runs inside one transaction that first inserts ``(api key, key, fingerprint)`` and last
stores the answer, so:

- a retry after a committed answer replays it (same status and body, ``Idempotent-Replayed:
  true``), whatever happened to the first connection;
- a concurrent duplicate waits on the row lock and then replays, never running the handler twice;
- the same key with another fingerprint is ``idempotency_key_reused`` (422);
- a handler that fails with a client error (4xx) has its changes rolled back to a savepoint and
  the error stored as the answer; an unexpected failure rolls everything back, key included, so
  the request can be retried.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from psycopg.types.json import Jsonb

from stateset_chain.api import errors
from stateset_chain.api.keys import ApiKey

MAX_KEY_LENGTH = 255


def fingerprint(method: str, path: str, body: bytes) -> bytes:
    try:
        canonical = json.dumps(json.loads(body or b"{}"), sort_keys=True, separators=(",", ":"))
    except ValueError:
        canonical = body.decode(errors="replace")
    return hashlib.sha256(f"{method}\n{path}\n{canonical}".encode()).digest()


def run(
    conn,
    api_key: ApiKey,
    idempotency_key: str | None,
    method: str,
    path: str,
    body: bytes,
    handler: Callable[[object], tuple[int, dict]],
) -> tuple[int, dict, bool]:
    """Run ``handler(conn)`` at most once per key; returns (status, body, replayed)."""
    if idempotency_key is None:
        with conn.transaction():
            status, answer = handler(conn)
        return status, answer, False
    if not idempotency_key or len(idempotency_key) > MAX_KEY_LENGTH:
        raise errors.IdempotencyKeyInvalid(
            f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} characters", param="Idempotency-Key"
        )
    fp = fingerprint(method, path, body)
    with conn.transaction():
        inserted = conn.execute(
            "INSERT INTO idempotency_keys (api_key_id, key, fingerprint) VALUES (%s, %s, %s) "
            "ON CONFLICT DO NOTHING RETURNING 1",
            (api_key.id, idempotency_key, fp),
        ).fetchone()
        if not inserted:
            row = conn.execute(
                "SELECT fingerprint, status_code, response FROM idempotency_keys "
                "WHERE api_key_id = %s AND key = %s",
                (api_key.id, idempotency_key),
            ).fetchone()
            if bytes(row[0]) != fp:
                raise errors.IdempotencyKeyReused(
                    "this Idempotency-Key was used with another request", param="Idempotency-Key"
                )
            if row[1] is None:  # cannot happen: the answer is stored in the inserting tx
                raise errors.IdempotencyKeyInProgress(
                    "a request with this Idempotency-Key is in progress", param="Idempotency-Key"
                )
            return int(row[1]), row[2], True
        try:
            with conn.transaction():
                status, answer = handler(conn)
        except errors.ApiError as e:
            if e.status >= 500:
                raise
            status, answer = e.status, e.to_json()
        conn.execute(
            "UPDATE idempotency_keys SET status_code = %s, response = %s "
            "WHERE api_key_id = %s AND key = %s",
            (status, Jsonb(answer), api_key.id, idempotency_key),
        )
    return status, answer, False
