"""The client-side construction (stateset_chain/privacy/seal.py): round trips, and every change
to an envelope makes it fail to open (AEAD tags, the order binding, the commitment)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import stateset_chain.pb  # noqa: F401
from stateset_chain.privacy import envelope, seal
from stateset_chain.privacy.seal import DecryptionFailed, Recipient

from stateset.privacy.v1.privacy_pb2 import PersonalData, PostalAddress, SealedPersonalData

CHAIN, MERCHANT, CUSTOMER, OTHER = "chain-1", "stateset1merchant", "stateset1customer", "x1other"
DATA = PersonalData(
    shipping_address=PostalAddress(name="Ada Obscura", line1="3 Hidden Way", city="Nowhere",
                                   postal_code="00001", country="US", region="CA"),
    email="ada@obscura.test", phone="+1 555 0100", metadata={"vip": "yes"},
)


@pytest.fixture(scope="module")
def keys():
    return {who: seal.generate_private_key() for who in (MERCHANT, CUSTOMER, OTHER)}


def sealed(keys, client_order_id="c-1", chain_id=CHAIN) -> SealedPersonalData:
    return seal.seal(
        DATA, chain_id=chain_id, merchant=MERCHANT, customer=CUSTOMER,
        client_order_id=client_order_id,
        recipients=[Recipient(MERCHANT, 3, seal.public_bytes(keys[MERCHANT])),
                    Recipient(CUSTOMER, 1, seal.public_bytes(keys[CUSTOMER]))],
    )


def opened(env, keys, who=MERCHANT, client_order_id="c-1", chain_id=CHAIN, customer=CUSTOMER,
           merchant=MERCHANT, with_keys=None):
    return seal.open_envelope(
        env, chain_id=chain_id, merchant=merchant, customer=customer,
        client_order_id=client_order_id, recipient=who,
        private_keys=with_keys if with_keys is not None else [keys[who]],
    )


def test_both_recipients_read_the_same_data(keys):
    env = sealed(keys)
    envelope.validate_envelope(env, merchant=MERCHANT, customer=CUSTOMER)
    assert opened(env, keys, MERCHANT).data == DATA
    assert opened(env, keys, CUSTOMER).data == DATA


def test_a_third_party_key_opens_nothing(keys):
    env = sealed(keys)
    with pytest.raises(DecryptionFailed):
        opened(env, keys, OTHER)
    with pytest.raises(DecryptionFailed):
        opened(env, keys, MERCHANT, with_keys=[keys[OTHER]])


def test_old_and_new_keys_are_tried_in_turn(keys):
    env = sealed(keys)
    newer = seal.generate_private_key()
    assert opened(env, keys, MERCHANT, with_keys=[newer, keys[MERCHANT]]).data == DATA


def test_each_envelope_is_fresh_and_padded(keys):
    a, b = sealed(keys), sealed(keys)
    assert a.ciphertext != b.ciphertext and a.commitment != b.commitment  # random salt and key
    assert (len(a.ciphertext) - envelope.TAG_BYTES) % seal.PAD_TO in (0, 1, seal.PAD_TO - 1)


@pytest.mark.parametrize("field", ["ciphertext", "nonce", "commitment", "wrapped_key"])
def test_a_flipped_byte_anywhere_fails(keys, field):
    env = sealed(keys)
    target = env.recipients[0] if field == "wrapped_key" else env
    raw = bytearray(getattr(target, field))
    raw[len(raw) // 2] ^= 0x01
    setattr(target, field, bytes(raw))
    with pytest.raises(DecryptionFailed):
        opened(env, keys, MERCHANT)


@pytest.mark.parametrize("moved", [
    {"client_order_id": "c-2"},          # another order of the same parties
    {"customer": OTHER},                 # another customer's order
    {"merchant": OTHER},                 # another merchant's order
    {"chain_id": "chain-2"},             # another chain
])
def test_an_envelope_moved_to_another_order_fails(keys, moved):
    env = sealed(keys)
    with pytest.raises(DecryptionFailed):
        opened(env, keys, MERCHANT, **moved)


def test_a_wrapped_key_moved_to_another_slot_or_version_fails(keys):
    env = sealed(keys)
    env.recipients[0].key_version = 4  # the version is bound into the HPKE info
    with pytest.raises(DecryptionFailed):
        opened(env, keys, MERCHANT)
    env = sealed(keys)
    env.recipients[1].wrapped_key = env.recipients[0].wrapped_key
    with pytest.raises(DecryptionFailed):  # the customer slot now holds the merchant's wrap
        opened(env, keys, CUSTOMER, with_keys=[keys[MERCHANT], keys[CUSTOMER]])


def test_the_commitment_proves_what_was_agreed(keys):
    env = sealed(keys)
    proof = opened(env, keys, MERCHANT).plaintext
    assert seal.verify_commitment(env, proof)
    other = opened(sealed(keys), keys, MERCHANT).plaintext  # same data, another salt
    assert not seal.verify_commitment(env, other)


def test_an_envelope_of_another_version_is_not_opened(keys):
    env = sealed(keys)
    env.version = 2
    with pytest.raises(DecryptionFailed):
        opened(env, keys, MERCHANT)


def test_low_order_public_keys_are_refused_when_sealing():
    with pytest.raises(seal.SealError):
        seal.seal(DATA, chain_id=CHAIN, merchant=MERCHANT, customer=CUSTOMER,
                  recipients=[Recipient(MERCHANT, 1, bytes(32))])



_TEXT = st.text(min_size=8, max_size=60)  # long enough that random bytes never contain one


@settings(max_examples=40, deadline=None)
@given(name=_TEXT, line1=_TEXT, email=_TEXT, extra=st.dictionaries(_TEXT, _TEXT, max_size=3))
def test_any_personal_data_round_trips_and_never_shows(keys, name, line1, email, extra):
    data = PersonalData(shipping_address=PostalAddress(name=name, line1=line1), email=email,
                        metadata=extra)
    env = seal.seal(data, chain_id=CHAIN, merchant=MERCHANT, customer=CUSTOMER,
                    recipients=[Recipient(MERCHANT, 1, seal.public_bytes(keys[MERCHANT]))])
    envelope.validate_envelope(env, merchant=MERCHANT, customer=CUSTOMER)
    wire = env.SerializeToString()
    for text in (name, line1, email, *extra, *extra.values()):
        assert text.encode() not in wire
    assert opened(env, keys, MERCHANT, client_order_id="").data == data
