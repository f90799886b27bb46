"""Failures of the privacy module (codespace ``privacy``).

    PrivacyError
    ├── keys       InvalidPublicKey 2, EncryptionKeyNotFound 3
    ├── envelopes  UnsupportedEnvelopeVersion 4, MalformedEnvelope 5, EnvelopeTooLarge 6,
    │              InvalidRecipients 7 (stateless: envelope.validate_envelope)
    ├── recipients UnknownEncryptionKey 8, StaleEncryptionKey 9 (a recipient's registered key)
    └── genesis    InvalidGenesis 10
"""

from __future__ import annotations

from stateset_chain.errors import ChainError, register


class PrivacyError(ChainError):
    codespace = "privacy"


def _error(name: str, code: int, description: str) -> type[PrivacyError]:
    cls = type(name, (PrivacyError,), {"code": code, "description": description})
    register(cls)
    return cls  # type: ignore[return-value]


InvalidPublicKey = _error("InvalidPublicKey", 2, "invalid X25519 public key")
EncryptionKeyNotFound = _error("EncryptionKeyNotFound", 3, "no encryption key registered")
UnsupportedEnvelopeVersion = _error(
    "UnsupportedEnvelopeVersion", 4, "unsupported sealed personal data version"
)
MalformedEnvelope = _error("MalformedEnvelope", 5, "malformed sealed personal data")
EnvelopeTooLarge = _error("EnvelopeTooLarge", 6, "sealed personal data too large")
InvalidRecipients = _error("InvalidRecipients", 7, "invalid sealed personal data recipients")
UnknownEncryptionKey = _error(
    "UnknownEncryptionKey", 8, "recipient has no registered encryption key"
)
StaleEncryptionKey = _error(
    "StaleEncryptionKey", 9, "sealed to a key that is not the recipient's current one"
)
InvalidGenesis = _error("InvalidGenesis", 10, "invalid privacy genesis")
