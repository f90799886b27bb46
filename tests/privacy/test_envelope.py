"""Stateless checks of a sealed envelope (envelope.validate_envelope, MsgCreateOrder's validate):
one error per distinct failure."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.privacy import envelope
from stateset_chain.privacy.errors import (
    EnvelopeTooLarge,
    InvalidRecipients,
    MalformedEnvelope,
    UnsupportedEnvelopeVersion,
)

from stateset.privacy.v1.privacy_pb2 import SealedPersonalData, WrappedDataKey

M, C, X = "m", "c", "x"


def good(**changes) -> SealedPersonalData:
    env = SealedPersonalData(
        version=1, nonce=bytes(12), ciphertext=bytes(200), commitment=bytes(32),
        recipients=[WrappedDataKey(recipient=M, key_version=1, wrapped_key=bytes(80)),
                    WrappedDataKey(recipient=C, key_version=2, wrapped_key=bytes(80))],
    )
    for k, v in changes.items():
        setattr(env, k, v)
    return env


def check(env):
    envelope.validate_envelope(env, merchant=M, customer=C)


def test_a_good_envelope_passes():
    check(good())
    env = good()
    del env.recipients[1:]
    check(env)  # the customer is optional
    check(good(ciphertext=bytes(envelope.MAX_CIPHERTEXT_BYTES)))


@pytest.mark.parametrize(("changes", "error"), [
    ({"version": 0}, UnsupportedEnvelopeVersion),
    ({"version": 2}, UnsupportedEnvelopeVersion),
    ({"nonce": bytes(11)}, MalformedEnvelope),
    ({"commitment": b""}, MalformedEnvelope),
    ({"commitment": bytes(33)}, MalformedEnvelope),
    ({"ciphertext": bytes(16)}, MalformedEnvelope),
    ({"ciphertext": bytes(envelope.MAX_CIPHERTEXT_BYTES + 1)}, EnvelopeTooLarge),
])
def test_format_errors(changes, error):
    with pytest.raises(error):
        check(good(**changes))


def test_recipient_errors():
    env = good()
    del env.recipients[:]
    with pytest.raises(InvalidRecipients):
        check(env)
    env = good()
    env.recipients[0].recipient = X
    with pytest.raises(InvalidRecipients):
        check(env)  # the merchant must be first
    env = good()
    env.recipients[1].recipient = X
    with pytest.raises(InvalidRecipients):
        check(env)  # the second can only be the customer
    env = good()
    env.recipients.add(recipient=C, key_version=1, wrapped_key=bytes(80))
    with pytest.raises(InvalidRecipients):
        check(env)  # at most two
    env = good()
    env.recipients[1].key_version = 0
    with pytest.raises(MalformedEnvelope):
        check(env)
    env = good()
    env.recipients[0].wrapped_key = bytes(79)
    with pytest.raises(MalformedEnvelope):
        check(env)


def test_the_binding_separates_its_parts():
    """Length prefixes: moving a character from one part to the next gives another binding."""
    assert envelope.binding("ab", "c", "d", "") != envelope.binding("a", "bc", "d", "")
    assert envelope.binding("a", "b", "c", "") != envelope.binding("a", "b", "c", "1")
