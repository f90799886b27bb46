"""Privacy queries.

/stateset.privacy.v1.Query/EncryptionKey  {address} -> {key}
    EncryptionKeyNotFound (privacy 3) if none is registered; sdk InvalidAddress for a bad address
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.module import QueryRoute
from stateset_chain.privacy.errors import EncryptionKeyNotFound
from stateset_chain.privacy.state import PrivacyKeeper

from stateset.privacy.v1 import query_pb2 as q

SERVICE = "/stateset.privacy.v1.Query/"


def encryption_key(
    keeper: PrivacyKeeper, ctx: Context, req: q.QueryEncryptionKeyRequest
) -> q.QueryEncryptionKeyResponse:
    key = keeper.key(ctx.store, req.address)  # sdk InvalidAddress for a malformed address
    if key is None:
        raise EncryptionKeyNotFound(req.address)
    return q.QueryEncryptionKeyResponse(key=key)


def routes(keeper: PrivacyKeeper) -> list[QueryRoute]:
    return [
        QueryRoute(
            SERVICE + "EncryptionKey",
            q.QueryEncryptionKeyRequest,
            lambda ctx, req: encryption_key(keeper, ctx, req),
        ),
    ]
