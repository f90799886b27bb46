"""SHA-256 and RIPEMD-160 for the hot paths (tx hashes, signed bytes, address derivation), and
Keccak-256 for CCTP (message digests, attester addresses, burn tokens)."""

from __future__ import annotations

import hashlib

from Crypto.Hash import RIPEMD160, keccak

# hashlib.sha256(data) looks the algorithm up by name in OpenSSL 3 on every call, which costs
# about as much as hashing a transaction; copying an already initialized context skips that.
_SHA256 = hashlib.sha256()


def sha256(data: bytes) -> bytes:
    """``hashlib.sha256(data).digest()``."""
    h = _SHA256.copy()
    h.update(data)
    return h.digest()


def _openssl_ripemd160():
    try:
        return hashlib.new("ripemd160")
    except ValueError:  # OpenSSL 3 without its legacy provider has no RIPEMD-160
        return None


# RIPEMD-160 derives an address from every new public key; OpenSSL's takes ~0.7 µs where
# pycryptodome's takes ~6 µs, so pycryptodome is only the fallback (both are the same function).
_RIPEMD160 = _openssl_ripemd160()


def ripemd160(data: bytes) -> bytes:
    if _RIPEMD160 is None:
        return RIPEMD160.new(data).digest()
    h = _RIPEMD160.copy()
    h.update(data)
    return h.digest()


def keccak256(data: bytes) -> bytes:
    """Keccak-256 with its original padding, as Ethereum and Circle use it (not SHA3-256)."""
    return keccak.new(data=data, digest_bits=256).digest()


# -- fast paths ----------------------------------------------------------------------------------
# The same names, faster (stateset_chain/fast/keccak.py); the definitions above are the reference.
from stateset_chain import fast as _fast  # noqa: E402
from stateset_chain.fast import keccak as _fast_keccak  # noqa: E402

_fast.install(globals(), _fast_keccak)
