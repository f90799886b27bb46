"""Attestation verification: thresholds, order, duplicates, unknown signers, malleability, v,
length, tampering; and Circle's real attesters on real mainnet messages."""

from __future__ import annotations

import pytest
from coincurve import PublicKey

from stateset_chain.cctp.attestation import (
    HALF_N,
    SECP256K1_N,
    ethereum_address,
    format_attester_key,
    parse_attester_key,
    verify_attestation,
)
from stateset_chain.cctp.codec import keccak256
from stateset_chain.cctp.errors import (
    DuplicateSigner,
    HighSValue,
    InvalidAttesterKey,
    InvalidSignatureV,
    NotAttester,
    SignaturesOutOfOrder,
    UnrecoverableSignature,
    WrongAttestationLength,
)
from tests.cctp import vectors
from tests.cctp.helpers import KEYS, eth_address, pubhex, raw_signature, sign

MESSAGE = b"a cctp message"


def enabled(*keys):
    addresses = {eth_address(k) for k in keys}
    return lambda a: a in addresses


@pytest.mark.parametrize("threshold", [1, 2, 3])
def test_threshold_signatures_by_distinct_attesters_in_order_verify(threshold):
    signers = verify_attestation(
        MESSAGE, sign(MESSAGE, KEYS[:threshold]), threshold, enabled(*KEYS)
    )
    assert signers == [eth_address(k) for k in KEYS[:threshold]]
    assert signers == sorted(signers)


def test_any_subset_of_enabled_attesters_meets_the_threshold():
    chosen = [KEYS[4], KEYS[1]]
    assert len(verify_attestation(MESSAGE, sign(MESSAGE, chosen), 2, enabled(*KEYS))) == 2


def test_signatures_out_of_address_order_are_refused():
    attestation = raw_signature(MESSAGE, KEYS[1]) + raw_signature(MESSAGE, KEYS[0])
    with pytest.raises(SignaturesOutOfOrder):
        verify_attestation(MESSAGE, attestation, 2, enabled(*KEYS))


def test_the_same_signer_twice_is_refused():
    attestation = raw_signature(MESSAGE, KEYS[0]) * 2
    with pytest.raises(DuplicateSigner):
        verify_attestation(MESSAGE, attestation, 2, enabled(*KEYS))


def test_a_non_adjacent_repeat_is_out_of_order():
    keys = [KEYS[0], KEYS[1], KEYS[0]]
    attestation = b"".join(raw_signature(MESSAGE, k) for k in keys)
    with pytest.raises(SignaturesOutOfOrder):
        verify_attestation(MESSAGE, attestation, 3, enabled(*KEYS))


def test_a_signer_who_is_not_an_attester_is_refused():
    with pytest.raises(NotAttester):
        verify_attestation(MESSAGE, sign(MESSAGE, [KEYS[0], KEYS[3]]), 2, enabled(*KEYS[:3]))


def test_a_high_s_twin_of_a_valid_signature_is_refused():
    good = raw_signature(MESSAGE, KEYS[0])
    s = int.from_bytes(good[32:64], "big")
    assert s <= HALF_N
    flipped_v = 27 + (1 - (good[64] - 27))
    twin = good[:32] + (SECP256K1_N - s).to_bytes(32, "big") + bytes([flipped_v])
    # the twin is a valid signature by the same key (what the EVM and we refuse)
    recovered = PublicKey.from_signature_and_message(
        twin[:64] + bytes([twin[64] - 27]), keccak256(MESSAGE), hasher=None
    )
    assert recovered.format(compressed=False) == KEYS[0].public_key.format(compressed=False)
    with pytest.raises(HighSValue):
        verify_attestation(MESSAGE, twin, 1, enabled(*KEYS))


@pytest.mark.parametrize("v", [0, 1, 26, 29, 255])
def test_v_other_than_27_or_28_is_refused(v):
    good = raw_signature(MESSAGE, KEYS[0])
    with pytest.raises(InvalidSignatureV):
        verify_attestation(MESSAGE, good[:64] + bytes([v]), 1, enabled(*KEYS))


def test_a_signature_with_no_recoverable_key_is_refused():
    zero_r = bytes(32) + (1).to_bytes(32, "big") + b"\x1b"
    with pytest.raises(UnrecoverableSignature):
        verify_attestation(MESSAGE, zero_r, 1, enabled(*KEYS))


@pytest.mark.parametrize("size", [0, 64, 66, 129, 131, 195])
def test_length_must_be_65_times_the_threshold(size):
    attestation = (sign(MESSAGE, KEYS[:3]) + bytes(200))[:size]
    with pytest.raises(WrongAttestationLength):
        verify_attestation(MESSAGE, attestation, 2, enabled(*KEYS))


def test_more_signatures_than_the_threshold_are_refused_by_length():
    with pytest.raises(WrongAttestationLength):
        verify_attestation(MESSAGE, sign(MESSAGE, KEYS[:3]), 2, enabled(*KEYS))


def test_a_tampered_message_recovers_strangers():
    attestation = sign(MESSAGE, KEYS[:2])
    with pytest.raises((NotAttester, SignaturesOutOfOrder, DuplicateSigner)):
        verify_attestation(MESSAGE + b"!", attestation, 2, enabled(*KEYS))


def test_a_digest_with_an_eip191_prefix_is_not_what_is_signed():
    prefixed = b"\x19Ethereum Signed Message:\n32" + keccak256(MESSAGE)
    with pytest.raises((NotAttester, SignaturesOutOfOrder)):
        verify_attestation(prefixed, sign(MESSAGE, KEYS[:1]), 1, enabled(*KEYS))


def test_attester_keys_parse_with_or_without_0x_and_must_be_points():
    key = pubhex(KEYS[0])
    raw = parse_attester_key(key)
    assert parse_attester_key(key[2:].upper()) == raw
    assert format_attester_key(raw) == key
    for bad in ["zz", key[:-2], "0x03" + key[4:], "0x04" + "00" * 64]:
        with pytest.raises(InvalidAttesterKey):
            parse_attester_key(bad)


def test_circle_mainnet_attestations_verify_against_circles_public_keys():
    circle = {ethereum_address(parse_attester_key(k)) for k in vectors.CIRCLE_ATTESTERS}
    for message, attestation in [
        (vectors.AVALANCHE_TO_NOBLE_MESSAGE, vectors.AVALANCHE_TO_NOBLE_ATTESTATION),
        (vectors.ARBITRUM_TO_ETHEREUM_MESSAGE, vectors.ARBITRUM_TO_ETHEREUM_ATTESTATION),
    ]:
        signers = verify_attestation(message, attestation, 2, circle.__contains__)
        assert set(signers) == circle
    # one flipped byte of the message and Circle's keys no longer sign it
    tampered = bytearray(vectors.AVALANCHE_TO_NOBLE_MESSAGE)
    tampered[-1] ^= 1
    with pytest.raises((NotAttester, SignaturesOutOfOrder)):
        verify_attestation(
            bytes(tampered), vectors.AVALANCHE_TO_NOBLE_ATTESTATION, 2, circle.__contains__
        )


def test_pre_recovered_signers_are_the_ones_recovered_inline():
    """``prerecover`` (worker threads, before a block) fills the cache the handler reads: the
    signers and the errors are the same as with a cold cache."""
    from stateset_chain.cctp import attestation

    messages = [b"message %d" % i for i in range(80)]  # enough to split over threads
    attested = [(m, sign(m, KEYS[:2])) for m in messages]
    attested.append((MESSAGE, bytes(32) + (1).to_bytes(32, "big") + b"\x1b"))  # unrecoverable
    attestation._recovered.clear()
    cold = [verify_attestation(m, a, 2, enabled(*KEYS)) for m, a in attested[:-1]]
    attestation._recovered.clear()
    assert attestation.prerecover(attested) == 161
    assert attestation.prerecover(attested) == 1  # only the unrecoverable one is tried again
    warm = [verify_attestation(m, a, 2, enabled(*KEYS)) for m, a in attested[:-1]]
    assert warm == cold
    with pytest.raises(UnrecoverableSignature):
        verify_attestation(MESSAGE, attested[-1][1], 1, enabled(*KEYS))
