"""The privacy keeper: the encryption key registry (one current X25519 key per account).

Other modules get the read side only (``orders.expected.EncryptionKeys``): ``key`` and
``require_current_keys``, which MsgCreateOrder runs on every sealed envelope.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.crypto import address
from stateset_chain.privacy.errors import StaleEncryptionKey, UnknownEncryptionKey
from stateset_chain.privacy.keys import KEYS_PREFIX
from stateset_chain.store.collections import BytesKey, Map, ProtoValue
from stateset_chain.store.kv import KVStore
from stateset_chain.timefmt import timestamp

from stateset.privacy.v1.privacy_pb2 import EncryptionKey, SealedPersonalData


class PrivacyKeeper:
    # owner's raw address -> its current key
    keys: Map[bytes, EncryptionKey] = Map(KEYS_PREFIX, BytesKey, ProtoValue(EncryptionKey))

    def key(self, store: KVStore, owner: str) -> EncryptionKey | None:
        return self.keys.get(store, address.decode(owner))

    def register(self, ctx: Context, owner: str, public_key: bytes) -> EncryptionKey:
        """The owner's first key (version 1) or its rotation (version + 1)."""
        current = self.key(ctx.store, owner)
        key = EncryptionKey(
            owner=owner,
            public_key=public_key,
            version=(current.version + 1) if current is not None else 1,
            height=ctx.block.height,
            registered_at=timestamp(ctx.block.time_ns),
        )
        self.set_key(ctx.store, key)
        return key

    def set_key(self, store: KVStore, key: EncryptionKey) -> None:
        self.keys.set(store, address.decode(key.owner), key)

    def iterate_keys(self, store: KVStore):
        for _, key in self.keys.iterate(store):
            yield key

    def require_current_keys(self, store: KVStore, env: SealedPersonalData) -> None:
        """Every recipient has a registered key and the envelope is sealed to its current one (a
        key sealed to an old version may be one its owner destroyed: nobody could read it)."""
        for r in env.recipients:
            key = self.key(store, r.recipient)
            if key is None:
                raise UnknownEncryptionKey(
                    f"{r.recipient} has registered no encryption key: it could not read the data"
                )
            if r.key_version != key.version:
                raise StaleEncryptionKey(
                    f"{r.recipient}: sealed to key version {r.key_version}, the current one is "
                    f"{key.version}"
                )
