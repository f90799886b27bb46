"""Sealing and opening personal data: the client side of docs/privacy.md (never run by the chain).

Construction (version 1), all primitives from the ``cryptography`` library:

1. ``plaintext = SealedPlaintext{data, salt: 32 random bytes, padding}`` (deterministic protobuf
   bytes, zero-padded to a multiple of ``PAD_TO`` bytes, give or take one, so the size says
   little about the data);
2. ``commitment = sha256(DOMAIN "/commitment" 0x00 | plaintext)``: a hiding, binding commitment
   (the salt is secret), so the merchant can later prove what was agreed by showing the plaintext;
3. a random 32-byte data key, a random 12-byte nonce, and
   ``ciphertext = ChaCha20-Poly1305(key, nonce, plaintext, aad = binding | commitment)`` where
   ``binding = envelope.binding(chain_id, merchant, customer, client_order_id)``;
4. for each recipient (the merchant, then optionally the customer), the data key sealed with HPKE
   (RFC 9180 base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20-Poly1305) to its
   registered X25519 key, ``info = envelope.recipient_info(binding, recipient, key_version)``.

Opening reverses it and fails with ``DecryptionFailed`` on any change: a flipped byte anywhere
(AEAD tags), the envelope moved to another order or chain (binding), a wrapped key moved to
another recipient slot (info), a swapped commitment (aad and the recomputed hash).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from google.protobuf.message import DecodeError

import stateset_chain.pb  # noqa: F401
from stateset_chain.privacy import envelope
from stateset_chain.privacy.envelope import DATA_KEY_BYTES, DOMAIN, NONCE_BYTES, VERSION

from stateset.orders.v1.orders_pb2 import Order
from stateset.privacy.v1.privacy_pb2 import (
    PersonalData,
    SealedPersonalData,
    SealedPlaintext,
    WrappedDataKey,
)

PAD_TO = 128
SALT_BYTES = 32
_SUITE = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.CHACHA20_POLY1305)


class SealError(Exception):
    """Personal data could not be sealed (e.g. a recipient key HPKE refuses)."""


class DecryptionFailed(Exception):
    """The envelope does not open with these keys for this order: not a recipient, a destroyed
    or wrong key, or an envelope that was changed or moved."""


@dataclass(frozen=True)
class Recipient:
    address: str
    key_version: int
    public_key: bytes  # 32 bytes X25519


def generate_private_key() -> X25519PrivateKey:
    return X25519PrivateKey.generate()


def public_bytes(key: X25519PrivateKey) -> bytes:
    return key.public_key().public_bytes_raw()


def commitment_of(plaintext: bytes) -> bytes:
    return hashlib.sha256(DOMAIN + b"/commitment\x00" + plaintext).digest()


def _plaintext(data: PersonalData) -> bytes:
    """The bytes to encrypt: padded to the next multiple of PAD_TO (give or take a byte where
    the padding's own length prefix grows by a byte)."""
    inner = SealedPlaintext(data=data, salt=os.urandom(SALT_BYTES))
    size = len(inner.SerializeToString(deterministic=True))
    target = -(-(size + 3) // PAD_TO) * PAD_TO  # room for the padding field, >= 1 byte of it
    pad = target - size - 2
    inner.padding = bytes(pad)
    raw = inner.SerializeToString(deterministic=True)
    if len(raw) > target:  # a two-byte length prefix
        inner.padding = bytes(pad - 1)
        raw = inner.SerializeToString(deterministic=True)
    return raw


def seal(
    data: PersonalData,
    *,
    chain_id: str,
    merchant: str,
    customer: str,
    client_order_id: str = "",
    recipients: Sequence[Recipient],
    purpose: str = "",
) -> SealedPersonalData:
    """``data`` sealed to ``recipients`` (the merchant first) for the order these fields name
    (and ``purpose``, see ``envelope.binding``)."""
    bound = envelope.binding(chain_id, merchant, customer, client_order_id, purpose)
    plaintext = _plaintext(data)
    commitment = commitment_of(plaintext)
    data_key = ChaCha20Poly1305.generate_key()
    nonce = os.urandom(NONCE_BYTES)
    ciphertext = ChaCha20Poly1305(data_key).encrypt(nonce, plaintext, bound + commitment)
    out = SealedPersonalData(
        version=VERSION, nonce=nonce, ciphertext=ciphertext, commitment=commitment
    )
    for r in recipients:
        info = envelope.recipient_info(bound, r.address, r.key_version)
        try:
            public = X25519PublicKey.from_public_bytes(r.public_key)
            wrapped = _SUITE.encrypt(data_key, public, info=info)
        except ValueError as e:
            raise SealError(f"cannot seal to {r.address}'s key: {e}") from None
        out.recipients.append(
            WrappedDataKey(recipient=r.address, key_version=r.key_version, wrapped_key=wrapped)
        )
    return out


@dataclass(frozen=True)
class Opened:
    data: PersonalData
    plaintext: bytes  # what the commitment commits to: the merchant's proof of what was agreed


def open_envelope(
    env: SealedPersonalData,
    *,
    chain_id: str,
    merchant: str,
    customer: str,
    client_order_id: str = "",
    recipient: str,
    private_keys: Iterable[X25519PrivateKey],
    purpose: str = "",
) -> Opened:
    """Open ``env`` as ``recipient`` with any of its private keys (old and current)."""
    if env.version != VERSION:
        raise DecryptionFailed(f"envelope version {env.version} is not {VERSION}")
    bound = envelope.binding(chain_id, merchant, customer, client_order_id, purpose)
    entries = [r for r in env.recipients if r.recipient == recipient]
    if not entries:
        raise DecryptionFailed(f"{recipient} is not a recipient of this envelope")
    entry = entries[0]
    info = envelope.recipient_info(bound, recipient, entry.key_version)
    data_key = None
    for key in private_keys:
        try:
            data_key = _SUITE.decrypt(entry.wrapped_key, key, info=info)
            break
        except (InvalidTag, ValueError):
            continue
    if data_key is None or len(data_key) != DATA_KEY_BYTES:
        raise DecryptionFailed(f"no key of {recipient} opens this envelope for this order")
    try:
        plaintext = ChaCha20Poly1305(data_key).decrypt(
            env.nonce, env.ciphertext, bound + env.commitment
        )
    except (InvalidTag, ValueError):
        raise DecryptionFailed("the ciphertext does not authenticate for this order") from None
    if commitment_of(plaintext) != env.commitment:
        raise DecryptionFailed("the plaintext does not match the commitment")
    try:
        inner = SealedPlaintext.FromString(plaintext)
    except DecodeError:
        raise DecryptionFailed("the plaintext is not a SealedPlaintext") from None
    return Opened(inner.data, plaintext)


def open_order(
    order: Order, *, chain_id: str, recipient: str, private_keys: Iterable[X25519PrivateKey]
) -> Opened:
    """The personal data of a stored order (``order.personal_data``), opened as ``recipient``."""
    if not order.HasField("personal_data"):
        raise DecryptionFailed(f"order {order.id} holds no sealed personal data")
    return open_envelope(
        order.personal_data, chain_id=chain_id, merchant=order.merchant,
        customer=order.customer, client_order_id=order.client_order_id,
        recipient=recipient, private_keys=private_keys,
    )


def open_tracking(
    order: Order, *, chain_id: str, recipient: str, private_keys: Iterable[X25519PrivateKey]
) -> str:
    """The tracking number MsgShipOrder sealed in ``order.shipping.tracking``, as ``recipient``."""
    if not order.shipping.HasField("tracking"):
        raise DecryptionFailed(f"order {order.id} holds no sealed tracking number")
    opened = open_envelope(
        order.shipping.tracking, chain_id=chain_id, merchant=order.merchant,
        customer=order.customer, client_order_id=order.client_order_id,
        recipient=recipient, private_keys=private_keys,
        purpose=envelope.tracking_purpose(order.id),
    )
    return opened.data.tracking_number


def verify_commitment(env: SealedPersonalData, plaintext: bytes) -> bool:
    """Whether ``plaintext`` (shown by the merchant, e.g. to a court) is what ``env`` commits to."""
    return commitment_of(plaintext) == env.commitment
