"""API keys: ``sk_test_`` / ``sk_live_`` secret keys and ``rk_test_`` / ``rk_live_`` restricted
(read-only) keys, as in the StateSet Orders API documents.

A key is its prefix plus 32 base62 characters (~190 bits), shown once by
``statesetd api keys create``. The database keeps only ``sha256(key)`` (a fast hash suffices for
a random secret of this size; there is nothing to brute-force) and a hint (prefix + last 4).
Requests carry it as ``Authorization: Bearer <key>``. A restricted key may read (GET) but not
write; a key sees only the webhook endpoints and reports of its own mode (test / live).
"""

from __future__ import annotations

import hashlib
import secrets
import string
from dataclasses import dataclass

from stateset_chain.api.fmt import iso

_ALPHABET = string.ascii_letters + string.digits
PREFIXES = {
    ("secret", False): "sk_test_",
    ("secret", True): "sk_live_",
    ("restricted", False): "rk_test_",
    ("restricted", True): "rk_live_",
}


@dataclass(frozen=True)
class ApiKey:
    id: str
    kind: str  # "secret" | "restricted"
    livemode: bool
    name: str

    @property
    def can_write(self) -> bool:
        return self.kind == "secret"


def key_hash(key: str) -> bytes:
    return hashlib.sha256(key.encode()).digest()


def create_key(conn, *, kind: str, livemode: bool, name: str = "") -> tuple[ApiKey, str]:
    """Insert a new key; returns it and its secret text (never stored)."""
    if (kind, livemode) not in PREFIXES:
        raise ValueError(f"unknown key kind {kind!r}")
    key = PREFIXES[(kind, livemode)] + "".join(secrets.choice(_ALPHABET) for _ in range(32))
    key_id = "key_" + "".join(secrets.choice(_ALPHABET) for _ in range(16))
    conn.execute(
        "INSERT INTO api_keys (id, kind, livemode, name, key_hash, hint) "
        "VALUES (%s, %s, %s, %s, %s, %s)",
        (key_id, kind, livemode, name, key_hash(key), key[:8] + "..." + key[-4:]),
    )
    return ApiKey(key_id, kind, livemode, name), key


def lookup_key(conn, key: str) -> ApiKey | None:
    """The live key whose hash matches, or None (unknown, revoked or malformed)."""
    if not any(key.startswith(p) for p in PREFIXES.values()):
        return None
    row = conn.execute(
        "SELECT id, kind, livemode, name FROM api_keys WHERE key_hash = %s AND revoked_at IS NULL",
        (key_hash(key),),
    ).fetchone()
    return ApiKey(*row) if row else None


def revoke_key(conn, key_id: str) -> bool:
    row = conn.execute(
        "UPDATE api_keys SET revoked_at = now() WHERE id = %s AND revoked_at IS NULL RETURNING id",
        (key_id,),
    ).fetchone()
    return row is not None


def list_keys(conn) -> list[dict]:
    rows = conn.execute(
        "SELECT id, kind, livemode, name, hint, created_at, revoked_at FROM api_keys ORDER BY "
        "created_at, id"
    ).fetchall()
    return [
        {"id": r[0], "kind": r[1], "livemode": r[2], "name": r[3], "hint": r[4],
         "created_at": iso(r[5]), "revoked_at": iso(r[6])}
        for r in rows
    ]
