"""Privacy genesis JSON: ``{"keys": [EncryptionKey, ...]}`` (proto field names; ``{}`` is valid).

Each key: a canonical owner, at most once, a valid public key and a version >= 1. Export writes
them in store order (by raw owner address), so ``init(export(s))`` reproduces the store.
"""

from __future__ import annotations

from google.protobuf import json_format

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.crypto.address import require_address
from stateset_chain.errors import ChainError
from stateset_chain.privacy.errors import InvalidGenesis
from stateset_chain.privacy.msgs.register_encryption_key import require_public_key
from stateset_chain.privacy.state import PrivacyKeeper

from stateset.privacy.v1.genesis_pb2 import GenesisState


def init_genesis(keeper: PrivacyKeeper, ctx: Context, data: dict) -> None:
    state = GenesisState()
    try:
        json_format.ParseDict(data, state)
    except json_format.ParseError as e:
        raise InvalidGenesis(str(e)) from None
    seen: set[str] = set()
    for key in state.keys:
        try:
            require_address(key.owner, "owner")
            require_public_key(key.public_key)
        except ChainError as e:
            raise InvalidGenesis(f"key of {key.owner!r}: {e.log}") from None
        if key.owner in seen:
            raise InvalidGenesis(f"two keys for {key.owner}")
        if key.version < 1:
            raise InvalidGenesis(f"key of {key.owner}: version must be >= 1")
        seen.add(key.owner)
        keeper.set_key(ctx.store, key)


def export_genesis(keeper: PrivacyKeeper, ctx: Context) -> dict:
    state = GenesisState(keys=list(keeper.iterate_keys(ctx.store)))
    return json_format.MessageToDict(state, preserving_proto_field_name=True)
