"""secp256k1 ECDSA verification, the Cosmos SDK way (``crypto/keys/secp256k1``).

- public key: 33-byte compressed point (``0x02``/``0x03`` + x)
- signature: 64 bytes ``r || s`` (big-endian), over ``sha256(msg)``
- only low-S signatures (``s <= n/2``) are valid, so a signature cannot be malleated into a
  second valid one

``verify`` never raises: anything malformed is simply not a valid signature. It calls
libsecp256k1 through coincurve's bindings directly (one verify is ~40 µs; the parsed public key
is cached, which saves ~5 µs per signature of a known account).
"""

from __future__ import annotations

from coincurve.context import GLOBAL_CONTEXT
from coincurve.ecdsa import ffi, lib

from stateset_chain.cache import BoundedCache
from stateset_chain.crypto.hashes import sha256

PUBKEY_SIZE = 33
# The type URL of a ``cosmos.crypto.secp256k1.PubKey`` in an ``Any`` (the one key type the chain
# accepts: a signer info's key, an account's key).
PUBKEY_TYPE_URL = "/cosmos.crypto.secp256k1.PubKey"
SIGNATURE_SIZE = 64

# Order of the secp256k1 group and half of it: the SDK rejects s > n/2.
N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
HALF_N = N // 2

_HALF_N_BYTES = HALF_N.to_bytes(32, "big")

_CTX = GLOBAL_CONTEXT.ctx
_SIGNATURE_TYPE = ffi.typeof("secp256k1_ecdsa_signature *")  # looked up once, not per call
_PUBKEY_TYPE = ffi.typeof("secp256k1_pubkey *")
_parsed_keys: BoundedCache[bytes, object] = BoundedCache(1 << 17)


def verify(pubkey33: bytes, msg: bytes, sig64: bytes) -> bool:
    """True iff ``sig64`` is a low-S signature of ``sha256(msg)`` by ``pubkey33``."""
    if not isinstance(msg, bytes | bytearray):
        return False
    return verify_digest(pubkey33, sha256(msg), sig64)


def verify_digest(pubkey33: bytes, digest: bytes, sig64: bytes) -> bool:
    """``verify`` given ``sha256(msg)`` (libsecp256k1 runs without the GIL: threads verify in
    parallel)."""
    if not isinstance(sig64, bytes | bytearray) or len(sig64) != SIGNATURE_SIZE:
        return False
    if sig64[32:] > _HALF_N_BYTES:  # both 32 bytes big-endian: byte order is numeric order
        return False
    key = _parse_pubkey(pubkey33)
    if key is None:
        return False
    sig = ffi.new(_SIGNATURE_TYPE)
    if not lib.secp256k1_ecdsa_signature_parse_compact(_CTX, sig, bytes(sig64)):
        return False  # r or s >= n
    return lib.secp256k1_ecdsa_verify(_CTX, sig, digest, key) == 1


def is_valid_pubkey(pubkey33: bytes) -> bool:
    """A 33-byte compressed key that is a point on the curve."""
    return _parse_pubkey(pubkey33) is not None


def _parse_pubkey(pubkey33: bytes):
    if not isinstance(pubkey33, bytes) or len(pubkey33) != PUBKEY_SIZE:
        return None
    if pubkey33[0] not in (2, 3):
        return None
    key = _parsed_keys.get(pubkey33)
    if key is not None:
        return key
    key = ffi.new(_PUBKEY_TYPE)
    if not lib.secp256k1_ec_pubkey_parse(_CTX, key, pubkey33, PUBKEY_SIZE):
        return None
    return _parsed_keys.put(pubkey33, key)
