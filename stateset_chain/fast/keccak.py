"""The fast ``keccak256`` of ``stateset_chain/crypto/hashes.py`` (the reference: a pycryptodome
hash object per call): one compiled call (native/src/bindings.rs, RustCrypto's ``sha3``
``Keccak256``) when the compiled core is built and not turned off (``STATESET_NATIVE=0``), else
the reference. A receive hashes each message once and each attester's public key once
(``keccak256(X || Y)[12:]``), and building the Python hash object was most of each call.
tests/fast/test_keccak.py holds both to pycryptodome and the known vectors.
"""

from __future__ import annotations

from stateset_chain.crypto import hashes as reference
from stateset_chain.native import compiled

REPLACES = ("keccak256",)


_native = compiled("keccak256")
_reference = reference.keccak256


def keccak256(data: bytes) -> bytes:
    if _native is not None and type(data) is bytes:
        return _native(data)  # type: ignore[no-any-return]
    return _reference(data)  # a bytearray or memoryview, or no compiled core
