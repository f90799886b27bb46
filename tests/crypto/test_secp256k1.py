"""secp256k1.verify: the Cosmos SDK's rules (sha256, compact r||s, low-S only), never raising."""

from __future__ import annotations

import hashlib

import pytest
from coincurve import PrivateKey
from cosmpy.crypto.keypairs import PrivateKey as CosmpyKey
from hypothesis import given, settings
from hypothesis import strategies as st

from stateset_chain.cache import BoundedCache
from stateset_chain.crypto import secp256k1
from stateset_chain.crypto.secp256k1 import HALF_N, N, is_valid_pubkey, verify

KEY = PrivateKey(b"\x07" * 32)
PUB = KEY.public_key.format(compressed=True)
MSG = b"sign doc bytes"


def compact_sig(key: PrivateKey, msg: bytes) -> bytes:
    """A low-S 64-byte r||s signature of sha256(msg) (libsecp256k1 always signs low-S)."""
    rec = key.sign_recoverable(msg)  # coincurve hashes with sha256 by default
    return rec[:64]


def high_s(sig: bytes) -> bytes:
    s = int.from_bytes(sig[32:], "big")
    return sig[:32] + (N - s).to_bytes(32, "big")


SIG = compact_sig(KEY, MSG)


def test_a_valid_signature_verifies():
    assert verify(PUB, MSG, SIG) is True


def test_a_cosmpy_signature_verifies():
    """cosmpy's signer (what wallets use) produces signatures the chain accepts."""
    key = CosmpyKey(b"\x09" * 32)
    sig = key.sign(MSG, deterministic=True, canonicalise=True)
    assert verify(key.public_key.public_key_bytes, MSG, sig)


def test_the_message_is_hashed_with_sha256_before_verifying():
    assert not verify(PUB, hashlib.sha256(MSG).digest(), SIG)


def test_wrong_message_or_key_fails():
    other = PrivateKey(b"\x08" * 32).public_key.format(compressed=True)
    assert not verify(PUB, MSG + b"x", SIG)
    assert not verify(other, MSG, SIG)


def test_high_s_twin_of_a_valid_signature_is_rejected():
    """(r, n - s) is the malleated twin of (r, s); the SDK accepts only the low-S one."""
    assert int.from_bytes(SIG[32:], "big") <= HALF_N
    twin = high_s(SIG)
    assert int.from_bytes(twin[32:], "big") > HALF_N
    assert verify(PUB, MSG, SIG)
    assert not verify(PUB, MSG, twin)


@pytest.mark.parametrize("length", [0, 32, 63, 65, 72])
def test_signatures_of_the_wrong_length_fail(length):
    sig = (SIG * 2)[:length]
    assert not verify(PUB, MSG, sig)


def test_der_signatures_are_not_accepted():
    assert not verify(PUB, MSG, KEY.sign(MSG))


@pytest.mark.parametrize(
    "pubkey",
    [
        b"",
        PUB[:32],
        PUB + b"\x00",
        KEY.public_key.format(compressed=False),  # 65-byte uncompressed: not a Cosmos key
        b"\x04" + PUB[1:],
        b"\x02" + b"\xff" * 32,  # x >= p: not a point
    ],
)
def test_malformed_public_keys_fail(pubkey):
    assert not verify(pubkey, MSG, SIG)
    assert not is_valid_pubkey(pubkey)


def test_zero_or_out_of_range_r_and_s_fail():
    zero = bytes(64)
    r_too_big = N.to_bytes(32, "big") + SIG[32:]
    s_zero = SIG[:32] + bytes(32)
    for sig in (zero, r_too_big, s_zero):
        assert not verify(PUB, MSG, sig)


@pytest.mark.parametrize("bad", [None, "text", 5, [1, 2]])
def test_non_bytes_inputs_fail_without_raising(bad):
    assert not verify(bad, MSG, SIG)
    assert not verify(PUB, bad, SIG)
    assert not verify(PUB, MSG, bad)


def test_the_parsed_key_cache_is_bounded_and_does_not_change_answers(monkeypatch):
    monkeypatch.setattr(secp256k1, "_parsed_keys", BoundedCache(3))
    keys = [PrivateKey(bytes([i]) * 32) for i in range(1, 7)]
    for _ in range(2):
        for k in keys:
            pub = k.public_key.format(compressed=True)
            assert verify(pub, MSG, compact_sig(k, MSG))
            assert not verify(pub, MSG, SIG) or k == KEY
    assert len(secp256k1._parsed_keys) <= 3


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=70), st.binary(max_size=40), st.binary(max_size=70))
def test_verify_never_raises_on_arbitrary_bytes(pubkey, msg, sig):
    assert verify(pubkey, msg, sig) in (True, False)
