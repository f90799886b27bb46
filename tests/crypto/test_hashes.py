"""The hot-path hashes are the standard functions, whichever implementation provides them."""

from __future__ import annotations

import hashlib

from Crypto.Hash import RIPEMD160
from hypothesis import given
from hypothesis import strategies as st

from stateset_chain.crypto import hashes
from stateset_chain.crypto.address import pubkey_to_address_bytes


@given(st.binary(max_size=300))
def test_sha256_is_hashlibs(data):
    assert hashes.sha256(data) == hashlib.sha256(data).digest()


@given(st.binary(max_size=100))
def test_ripemd160_is_the_standard_one_with_or_without_openssl(data):
    expected = RIPEMD160.new(data).digest()
    assert hashes.ripemd160(data) == expected
    saved = hashes._RIPEMD160
    hashes._RIPEMD160 = None  # as on an OpenSSL 3 without the legacy provider
    try:
        assert hashes.ripemd160(data) == expected
    finally:
        hashes._RIPEMD160 = saved


def test_address_of_a_public_key_is_ripemd160_of_sha256():
    key = bytes.fromhex("02" + "11" * 32)
    inner = hashlib.sha256(key).digest()
    assert pubkey_to_address_bytes(key) == RIPEMD160.new(inner).digest()
