"""MsgRegisterEncryptionKey: an account publishes (or rotates) the X25519 key that orders seal
personal data to.

signer    owner
validate  owner is a canonical address                             -> sdk InvalidAddress
          public_key is 32 bytes, not all zero                     -> InvalidPublicKey
change    the owner's key = public_key, version = previous + 1 (1 for the first)
emit      EncryptionKeyRegistered{owner, public_key, version}

Registering the key the owner already has is allowed (it only bumps the version): a client that
lost track may always re-register. Low-order X25519 points other than zero are not recognised
here; the sealing side (HPKE) refuses them, so nothing is ever sealed to one.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.crypto.address import require_address
from stateset_chain.privacy.envelope import PUBLIC_KEY_BYTES
from stateset_chain.privacy.errors import InvalidPublicKey
from stateset_chain.privacy.state import PrivacyKeeper

from stateset.privacy.v1 import events_pb2 as events
from stateset.privacy.v1 import tx_pb2 as tx

MSG = tx.MsgRegisterEncryptionKey

def signers(msg: tx.MsgRegisterEncryptionKey) -> list[str]:
    return [msg.owner]


def require_public_key(public_key: bytes) -> None:
    if len(public_key) != PUBLIC_KEY_BYTES:
        raise InvalidPublicKey(f"{len(public_key)} bytes; an X25519 key is {PUBLIC_KEY_BYTES}")
    if not any(public_key):
        raise InvalidPublicKey("the all-zero key")


def validate(msg: tx.MsgRegisterEncryptionKey) -> None:
    require_address(msg.owner, "owner")
    require_public_key(msg.public_key)


def handle(
    keeper: PrivacyKeeper, ctx: Context, msg: tx.MsgRegisterEncryptionKey
) -> tx.MsgRegisterEncryptionKeyResponse:
    key = keeper.register(ctx, msg.owner, msg.public_key)
    ctx.events.emit(
        events.EncryptionKeyRegistered(
            owner=key.owner, public_key=key.public_key, version=key.version
        )
    )
    return tx.MsgRegisterEncryptionKeyResponse(version=key.version)
