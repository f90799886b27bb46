"""Bech32 account addresses, derived the Cosmos way, and the chain's one address check.

- user account: ``ripemd160(sha256(compressed secp256k1 pubkey))`` (20 bytes)
- module account: ``sha256(module name)[:20]`` (the SDK's ``authtypes.NewModuleAddress``)

``require_address`` is the rule every message, genesis and query field that names an account
follows: a ``stateset`` bech32 address of 20 or 32 bytes in its canonical (lower-case) spelling,
so one account has one spelling in state, events and indexes. A failure is the class the caller
names (``InvalidAddress`` unless a module's own error fits better, e.g. ``InvalidParams``).
"""

from __future__ import annotations

import hashlib

import bech32 as _bech32

from stateset_chain.crypto.hashes import ripemd160, sha256
from stateset_chain.errors import ChainError, InvalidAddress

PREFIX = "stateset"


def pubkey_to_address_bytes(compressed_pubkey: bytes) -> bytes:
    return ripemd160(sha256(compressed_pubkey))


def module_address_bytes(name: str) -> bytes:
    return hashlib.sha256(name.encode()).digest()[:20]


def encode(addr: bytes, prefix: str = PREFIX) -> str:
    data = _bech32.convertbits(addr, 8, 5)
    assert data is not None  # 8-to-5 bit conversion with padding cannot fail
    return _bech32.bech32_encode(prefix, data)


def decode(address: str, prefix: str = PREFIX) -> bytes:
    """The address bytes of a bech32 string; raises InvalidAddress with the reason."""
    if not isinstance(address, str) or not address:
        raise InvalidAddress("empty address string is not allowed")
    hrp, data = _bech32.bech32_decode(address)
    if hrp is None or data is None:
        raise InvalidAddress(f"decoding bech32 failed: {address!r}")
    if hrp != prefix:
        raise InvalidAddress(f"invalid Bech32 prefix; expected {prefix}, got {hrp}")
    raw = _bech32.convertbits(data, 5, 8, False)
    if raw is None or len(raw) not in (20, 32):
        raise InvalidAddress(f"address {address!r} must be 20 or 32 bytes")
    return bytes(raw)


def validate(address: str) -> str:
    decode(address)
    return address


def require_address(
    addr: str, field: str, error: type[ChainError] = InvalidAddress
) -> bytes:
    """The bytes of ``addr``, a valid ``stateset`` address in its canonical (lower-case)
    spelling; ``error`` naming ``field`` otherwise."""
    try:
        raw = decode(addr)
    except InvalidAddress as e:
        raise error(f"invalid {field}: {e.detail}") from None
    if encode(raw) != addr:
        raise error(f"invalid {field}: {addr!r} is not in canonical form")
    return raw


def canonical(addr: str, field: str = "address") -> str:
    """The canonical (lower-case) spelling of a valid address in any case (query filters accept
    either); raises InvalidAddress naming ``field`` for anything else."""
    try:
        return encode(decode(addr))
    except InvalidAddress as e:
        raise InvalidAddress(f"invalid {field}: {e.detail}") from None


def is_canonical(addr: str) -> bool:
    """True iff ``require_address`` accepts ``addr``."""
    try:
        require_address(addr, "address")
    except InvalidAddress:
        return False
    return True


def module_address(name: str) -> str:
    return encode(module_address_bytes(name))


def pubkey_to_address(compressed_pubkey: bytes) -> str:
    return encode(pubkey_to_address_bytes(compressed_pubkey))


# -- fast paths ----------------------------------------------------------------------------------
# The same names, memoized (stateset_chain/fast/address.py); the definitions above are the
# reference.
from stateset_chain import fast as _fast  # noqa: E402
from stateset_chain.fast import address as _fast_address  # noqa: E402

_fast.install(globals(), _fast_address)
