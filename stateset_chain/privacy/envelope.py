"""The sealed personal data envelope as the chain sees it: sizes and recipients, never contents.

The chain cannot read an envelope and does not try: it checks statelessly that the format is one
it knows (``validate_envelope``, run by MsgCreateOrder's validate) and, with state, that every
recipient holds the registered key the envelope names (``PrivacyKeeper.require_current_keys``).
What is inside, and how it is made, is in ``seal.py`` (client side) and docs/privacy.md.

    version      == VERSION (1)                                   -> UnsupportedEnvelopeVersion
    nonce        NONCE_BYTES (12)                                 -> MalformedEnvelope
    commitment   COMMITMENT_BYTES (32)                            -> MalformedEnvelope
    ciphertext   17..MAX_CIPHERTEXT_BYTES (4096)   -> MalformedEnvelope (short), EnvelopeTooLarge
    recipients   1..2, the merchant first, then the customer      -> InvalidRecipients
    each         key_version >= 1, wrapped_key WRAPPED_KEY_BYTES  -> MalformedEnvelope

``binding`` is the associated data both sides use; it is part of the format, so it lives here.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.privacy.errors import (
    EnvelopeTooLarge,
    InvalidRecipients,
    MalformedEnvelope,
    UnsupportedEnvelopeVersion,
)

from stateset.privacy.v1.privacy_pb2 import SealedPersonalData

VERSION = 1
NONCE_BYTES = 12
TAG_BYTES = 16
COMMITMENT_BYTES = 32
PUBLIC_KEY_BYTES = 32
DATA_KEY_BYTES = 32
WRAPPED_KEY_BYTES = 32 + DATA_KEY_BYTES + TAG_BYTES  # HPKE enc | sealed data key | tag
MAX_CIPHERTEXT_BYTES = 4096
MAX_RECIPIENTS = 2
DOMAIN = b"stateset/privacy/v1"


def validate_envelope(env: SealedPersonalData, *, merchant: str, customer: str) -> None:
    if env.version != VERSION:
        raise UnsupportedEnvelopeVersion(f"version {env.version}; this chain reads {VERSION}")
    if len(env.nonce) != NONCE_BYTES:
        raise MalformedEnvelope(f"nonce is {len(env.nonce)} bytes, not {NONCE_BYTES}")
    if len(env.commitment) != COMMITMENT_BYTES:
        raise MalformedEnvelope(
            f"commitment is {len(env.commitment)} bytes, not {COMMITMENT_BYTES}"
        )
    if len(env.ciphertext) <= TAG_BYTES:
        raise MalformedEnvelope(f"ciphertext is {len(env.ciphertext)} bytes: no room for a tag")
    if len(env.ciphertext) > MAX_CIPHERTEXT_BYTES:
        raise EnvelopeTooLarge(
            f"ciphertext is {len(env.ciphertext)} bytes, the limit is {MAX_CIPHERTEXT_BYTES}"
        )
    _validate_recipients(env, merchant, customer)


def _validate_recipients(env: SealedPersonalData, merchant: str, customer: str) -> None:
    names = [r.recipient for r in env.recipients]
    if not 1 <= len(names) <= MAX_RECIPIENTS:
        raise InvalidRecipients(f"{len(names)} recipients; 1 or {MAX_RECIPIENTS}")
    if names[0] != merchant:
        raise InvalidRecipients(f"the first recipient must be the merchant {merchant}")
    if len(names) == 2 and names[1] != customer:
        raise InvalidRecipients(f"the second recipient must be the customer {customer}")
    for i, r in enumerate(env.recipients):
        if r.key_version < 1:
            raise MalformedEnvelope(f"recipients[{i}].key_version must be >= 1")
        if len(r.wrapped_key) != WRAPPED_KEY_BYTES:
            raise MalformedEnvelope(
                f"recipients[{i}].wrapped_key is {len(r.wrapped_key)} bytes, not "
                f"{WRAPPED_KEY_BYTES}"
            )


def _part(value: str) -> bytes:
    raw = value.encode()
    return len(raw).to_bytes(2, "big") + raw


def binding(
    chain_id: str, merchant: str, customer: str, client_order_id: str, purpose: str = ""
) -> bytes:
    """What an envelope is bound to (AEAD associated data, HPKE info): the chain and the order's
    parties and client id, each length-prefixed, so it opens on no other chain or order. A
    ``purpose`` other than the order's personal data (``tracking_purpose``: the shipment's
    tracking number) is appended, so one envelope cannot stand in for the other."""
    bound = DOMAIN + b"\x00" + b"".join(
        _part(v) for v in (chain_id, merchant, customer, client_order_id)
    )
    return bound + b"\x02" + _part(purpose) if purpose else bound


def tracking_purpose(order_id: str) -> str:
    """The purpose MsgShipOrder's tracking envelope is bound to: this order's shipment."""
    return "shipment/" + order_id


def recipient_info(bound: bytes, recipient: str, key_version: int) -> bytes:
    """HPKE info of one recipient's wrapped data key: the binding, the recipient and its key
    version (a wrapped key moved to another recipient slot or order does not open)."""
    return bound + b"\x01" + _part(recipient) + key_version.to_bytes(8, "big")
