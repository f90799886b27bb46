"""The fast ``encode``, ``decode`` and ``module_address`` of ``stateset_chain/crypto/address.py``
(the reference): bech32 in pure Python costs ~40 µs a call and a transfer needs several, while
the addresses of a block repeat, so each is memoized in a ``BoundedCache`` (results are pure
functions of the inputs; a failure is never kept). tests/fast/test_address.py holds both to the
same results and the same errors.
"""

from __future__ import annotations

from stateset_chain.cache import BoundedCache
from stateset_chain.fast import REFERENCES

REPLACES = ("encode", "decode", "module_address")
_CAPACITY = 1 << 18
_PREFIX = "stateset"  # (crypto.address.PREFIX: the only prefix worth keeping)

_encoded: BoundedCache[bytes, str] = BoundedCache(_CAPACITY)
_decoded: BoundedCache[str, bytes] = BoundedCache(_CAPACITY)
_modules: BoundedCache[str, str] = BoundedCache(256)


def encode(addr: bytes, prefix: str = _PREFIX) -> str:
    text = _encoded.get(addr) if prefix == _PREFIX and type(addr) is bytes else None
    if text is None:
        text = REFERENCES["stateset_chain.crypto.address.encode"](addr, prefix)
        if prefix == _PREFIX and type(addr) is bytes:
            _encoded.put(addr, text)
    return text  # type: ignore[no-any-return]


def decode(address: str, prefix: str = _PREFIX) -> bytes:
    raw = _decoded.get(address) if prefix == _PREFIX and type(address) is str else None
    if raw is None:
        raw = REFERENCES["stateset_chain.crypto.address.decode"](address, prefix)  # may raise
        if prefix == _PREFIX and type(address) is str:
            _decoded.put(address, raw)
    return raw  # type: ignore[no-any-return]


def module_address(name: str) -> str:
    text = _modules.get(name)
    if text is None:
        text = _modules.put(name, REFERENCES["stateset_chain.crypto.address.module_address"](name))
    return text
