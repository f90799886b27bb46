"""Deterministic ids: a prefix and 10 base62 characters, like ``ord_7x9kPm2nQ1``.

    id       = prefix + base62(int(sha256(domain | u64 seq | u32 attempt)) mod 62**10)
    order id = "ord_" + base62(int(sha256("stateset/orders/ord_" | u16 len(chain_id) | chain_id
                                           | u64 seq | u32 attempt)) mod 62**10)

Order ids bind the chain id, so order #1 of a testnet and order #1 of mainnet have different ids
(and so different deposit addresses, ``crosschain/deposit.py``): a payment meant for one network's
order names no order on another. They are collision-checked: if the id is taken, the next attempt
number is tried (the sequence stays dense). Payment and refund ids use their own sequences; they
are labels inside an order, never store keys, so they do not need the chain id.
"""

from __future__ import annotations

import hashlib
import re
import struct

from stateset_chain.orders.errors import InvalidOrderId

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
LENGTH = 10
SPACE = 62**LENGTH

ORDER_PREFIX = "ord_"
PAYMENT_PREFIX = "pay_"
REFUND_PREFIX = "rfd_"

ORDER_ID = re.compile(r"^ord_[0-9A-Za-z]{10}$")


def base62(n: int, width: int = LENGTH) -> str:
    chars = []
    for _ in range(width):
        n, r = divmod(n, 62)
        chars.append(ALPHABET[r])
    return "".join(reversed(chars))


def make_id(prefix: str, seq: int, attempt: int = 0) -> str:
    digest = hashlib.sha256(
        b"stateset/orders/" + prefix.encode() + struct.pack(">QI", seq, attempt)
    ).digest()
    return prefix + base62(int.from_bytes(digest, "big") % SPACE)


def make_order_id(chain_id: str, seq: int, attempt: int = 0) -> str:
    """The order id of sequence ``seq`` (``attempt`` after collisions) on chain ``chain_id``."""
    chain = chain_id.encode()
    digest = hashlib.sha256(
        b"stateset/orders/" + ORDER_PREFIX.encode() + struct.pack(">H", len(chain)) + chain
        + struct.pack(">QI", seq, attempt)
    ).digest()
    return ORDER_PREFIX + base62(int.from_bytes(digest, "big") % SPACE)


def is_order_id(text: str) -> bool:
    return ORDER_ID.fullmatch(text) is not None


def require_order_id(order_id: str) -> None:
    """Raise orders ``InvalidOrderId`` unless ``order_id`` is an order id (``is_order_id``)."""
    if not is_order_id(order_id):
        raise InvalidOrderId(f"{order_id!r} is not ord_ followed by 10 base62 characters")
