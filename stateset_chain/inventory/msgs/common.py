"""Limits and rules the inventory messages share."""

from __future__ import annotations

from stateset_chain.inventory.errors import InvalidLocation, InvalidSku

MAX_SKU_BYTES = 128
MAX_REASON_BYTES = 256
MAX_QUANTITY = 2**63 - 1
MAX_LOCATION_BYTES = 64


def require_sku(sku: str) -> None:
    if not 1 <= len(sku.encode()) <= MAX_SKU_BYTES:
        raise InvalidSku(f"{sku!r} must be 1..{MAX_SKU_BYTES} bytes")


def require_location(location: str) -> None:
    """"" (the default location) or 1..64 bytes of printable text."""
    if len(location.encode()) > MAX_LOCATION_BYTES or not location.isprintable():
        raise InvalidLocation(f"{location!r} must be at most {MAX_LOCATION_BYTES} printable bytes")
