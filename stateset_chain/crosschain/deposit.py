"""Deposit addresses: where a CCTP burn on another chain mints to pay a given order.

    deposit_address(order_id, chain_id) = ascii(order_id) (14 bytes)
                                          || sha256(DOMAIN || u16 len(chain_id) || chain_id
                                                    || order_id)[:6]
    DOMAIN = b"stateset/orders/deposit/"

A 20-byte account address, derived from the order id and the chain id, so anyone can compute it
(and the query ``DepositAddress`` returns it) before or after the order exists. The chain id is
bound twice: order ids are derived with it (``orders/ids.py``), and the checksum covers it, so
even an order id that happens to exist on two networks has a different deposit address on each,
and a burn minted on one network to another network's deposit address pays no order there (the
hook recognises the spelling, ``spelled_order_id``, and parks it as unclaimed). The payer puts
it, left-padded to bytes32 as for any Cosmos recipient, in ``depositForBurn(amount,
destinationDomain, mintRecipient, burnToken)`` on the source chain; nothing else is needed there.

Why the id is spelled out in the address instead of hashed away: the chain must recognise a
deposit, and the order it names, from the address alone, without an index of orders, also for an
order id that does not exist (yet), so that such a payment is parked as unclaimed rather than
left at an address nobody controls. The 6-byte checksum (with the ``ord_`` prefix and base62
spelling) makes an ordinary key-derived address pass for a deposit address with probability
below 2^-96, and nobody can hold a key for a deposit address (a 160-bit preimage). The cctp
module mints to the last 20 bytes of the mint recipient, so the padding bytes do not matter.

Because nobody holds a key, a deposit address must never keep a balance: cctp mints to it and the
hook moves the coins on in the same message, and the bank refuses user sends to it (wiring passes
``is_deposit_address`` to the ``BankKeeper`` as a blocked-recipient predicate). The bank's predicate
sees raw bytes only, not the chain id, so it refuses every address that spells an order id (a
deposit address of this or any other network): a key-derived address does so with probability
below 2^-52.
"""

from __future__ import annotations

import hashlib
import struct

from stateset_chain.cctp.codec import pad_address
from stateset_chain.crypto import address
from stateset_chain.orders.ids import is_order_id

DOMAIN = b"stateset/orders/deposit/"
ADDRESS_LENGTH = 20
ORDER_ID_LENGTH = 14  # "ord_" + 10 base62 characters
CHECKSUM_LENGTH = ADDRESS_LENGTH - ORDER_ID_LENGTH


def _checksum(order_id: bytes, chain_id: str) -> bytes:
    chain = chain_id.encode()
    preimage = DOMAIN + struct.pack(">H", len(chain)) + chain + order_id
    return hashlib.sha256(preimage).digest()[:CHECKSUM_LENGTH]


def deposit_address_bytes(order_id: str, chain_id: str) -> bytes:
    """The 20-byte deposit address of ``order_id`` (a well-formed order id) on ``chain_id``."""
    if not is_order_id(order_id):
        raise ValueError(f"{order_id!r} is not an order id")
    raw = order_id.encode("ascii")
    return raw + _checksum(raw, chain_id)


def deposit_address(order_id: str, chain_id: str) -> str:
    """The bech32 (``stateset1...``) deposit address of ``order_id`` on ``chain_id``."""
    return address.encode(deposit_address_bytes(order_id, chain_id))


def deposit_mint_recipient(order_id: str, chain_id: str) -> bytes:
    """The bytes32 a payer passes as ``mintRecipient`` to ``depositForBurn``."""
    return pad_address(deposit_address_bytes(order_id, chain_id))


def spelled_order_id(account: bytes) -> str | None:
    """The order id a 20-byte account spells in its first 14 bytes (whatever its checksum), or
    None: the shape of a deposit address of any network."""
    if len(account) != ADDRESS_LENGTH:
        return None
    raw = account[:ORDER_ID_LENGTH]
    if not raw.isascii():
        return None
    order_id = raw.decode("ascii")
    return order_id if is_order_id(order_id) else None


def order_id_of(account: bytes, chain_id: str) -> str | None:
    """The order id a 20-byte account is the deposit address of on ``chain_id``, or None."""
    order_id = spelled_order_id(account)
    if order_id is None:
        return None
    if account[ORDER_ID_LENGTH:] != _checksum(account[:ORDER_ID_LENGTH], chain_id):
        return None
    return order_id


# How the bank's refusal names such an address ("<address> is an order deposit address").
DEPOSIT_ADDRESS = "an order deposit address"


def is_deposit_address(account: bytes) -> bool:
    """True if the raw ``account`` bytes spell an order id: a deposit address of this network
    (existing order or not) or of another one.

    Pure, from the bytes alone (the bank's predicate has no chain id): the bank's predicate for
    refusing user sends to deposit addresses."""
    return spelled_order_id(account) is not None
