"""Failures of the privacy module (codespace ``privacy``).

    PrivacyError
    ├── keys       InvalidPublicKey 2, EncryptionKeyNotFound 3
    ├── envelopes  UnsupportedEnvelopeVersion 4, MalformedEnvelope 5, EnvelopeTooLarge 6,
    │              InvalidRecipients 7 (stateless: envelope.validate_envelope)
    ├── recipients UnknownEncryptionKey 8, StaleEncryptionKey 9 (a recipient's registered key)
    └── genesis    InvalidGenesis 10
"""

from __future__ import annotations

from stateset_chain.errors import ChainError


class PrivacyError(ChainError):
    codespace = "privacy"


class InvalidPublicKey(PrivacyError, code=2, description="invalid X25519 public key"): ...
class EncryptionKeyNotFound(PrivacyError, code=3, description="no encryption key registered"): ...
class UnsupportedEnvelopeVersion(
    PrivacyError, code=4, description="unsupported sealed personal data version"
): ...
class MalformedEnvelope(PrivacyError, code=5, description="malformed sealed personal data"): ...
class EnvelopeTooLarge(PrivacyError, code=6, description="sealed personal data too large"): ...
class InvalidRecipients(
    PrivacyError, code=7, description="invalid sealed personal data recipients"
): ...
class UnknownEncryptionKey(
    PrivacyError, code=8, description="recipient has no registered encryption key"
): ...
class StaleEncryptionKey(
    PrivacyError, code=9, description="sealed to a key that is not the recipient's current one"
): ...
class InvalidGenesis(PrivacyError, code=10, description="invalid privacy genesis"): ...
