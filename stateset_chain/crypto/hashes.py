"""SHA-256 and RIPEMD-160 for the hot paths (tx hashes, signed bytes, address derivation)."""

from __future__ import annotations

import hashlib

from Crypto.Hash import RIPEMD160

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
