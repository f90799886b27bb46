"""CCTP's Keccak-256: the fast ``keccak256`` (stateset_chain/fast/keccak.py, one compiled call)
gives pycryptodome's digest (the reference, crypto/hashes.py) for any bytes, and both give the
known vectors (Keccak with its original padding, as Ethereum: not SHA3-256)."""

from __future__ import annotations

import os

import pytest
from Crypto.Hash import keccak
from hypothesis import given, settings
from hypothesis import strategies as st

from stateset_chain import fast
from stateset_chain.cctp import codec
from stateset_chain.crypto import hashes
from stateset_chain.fast import keccak as fast_keccak

REFERENCE = fast.reference(hashes, "keccak256")
VECTORS = {
    b"": "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470",
    b"abc": "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45",
    b"The quick brown fox jumps over the lazy dog":
        "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15",
    # one whole rate block of zeros (136 bytes): the padding then fills a second block
    b"\x00" * 136: "3a5912a7c5faa06ee4fe906253e339467a9ce87d533c65be3c15cb231cdb25f9",
}


def pycryptodome(data: bytes) -> bytes:
    return keccak.new(data=data, digest_bits=256).digest()


def test_the_name_is_the_fast_one_and_compiled_when_built():
    assert codec.keccak256 is fast_keccak.keccak256
    assert REFERENCE is not codec.keccak256
    if os.environ.get("STATESET_NATIVE", "1") != "0":
        assert fast_keccak._native is not None  # setup builds the compiled core


@pytest.mark.parametrize("data", list(VECTORS))
def test_the_known_vectors(data):
    want = bytes.fromhex(VECTORS[data])
    assert codec.keccak256(data) == REFERENCE(data) == pycryptodome(data) == want


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=700))  # CCTP messages and burn bodies, 64-byte keys, several blocks
def test_the_fast_one_gives_pycryptodomes_digest(data):
    assert codec.keccak256(data) == REFERENCE(data) == pycryptodome(data)


def test_other_bytes_like_inputs_go_to_the_reference():
    data = b"burn message"
    for like in (bytearray(data), memoryview(data)):
        assert codec.keccak256(like) == pycryptodome(data)
