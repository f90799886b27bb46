"""Standard Webhooks signatures (https://www.standardwebhooks.com), via the reference library.

A delivery carries ``webhook-id`` (the event id, the same on every retry), ``webhook-timestamp``
(integer seconds of this attempt) and ``webhook-signature``: ``v1,<base64 HMAC-SHA256(key,
"id.timestamp.body")>`` for each live secret of the endpoint, space-separated, so a receiver that
still holds the previous secret during a rotation verifies too. Secrets are ``whsec_`` + base64 of
24 random bytes.
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime

from standardwebhooks.webhooks import Webhook

SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def sign_headers(
    event_id: str, body: str, secrets_: Sequence[str], timestamp: int
) -> dict[str, str]:
    """The three Standard Webhooks headers for ``body``, one ``v1`` signature per secret."""
    when = datetime.fromtimestamp(timestamp, tz=UTC)
    signatures = [Webhook(secret).sign(event_id, when, body) for secret in secrets_]
    return {
        "webhook-id": event_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(signatures),
    }
