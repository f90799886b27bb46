"""The address rule other modules share (bank's messages live in ``bank/msgs/``)."""

from __future__ import annotations

from stateset_chain.crypto import address
from stateset_chain.errors import InvalidAddress


def require_address(addr: str, field: str) -> None:
    """A valid ``stateset`` address in its canonical (lower-case) spelling."""
    try:
        raw = address.decode(addr)
    except InvalidAddress as e:
        raise InvalidAddress(f"invalid {field}: {e.detail}") from None
    if address.encode(raw) != addr:
        raise InvalidAddress(f"invalid {field}: {addr!r} is not in canonical form")
