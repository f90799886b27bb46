"""CCTP v1 wire formats: the message header and the burn message body, as pure codecs.

Sources: circlefin/evm-cctp-contracts ``src/messages/Message.sol`` and ``BurnMessage.sol``;
circlefin/noble-cctp ``x/cctp/types/{constants,message,burn_message}.go``. Every integer is
big-endian; a message is the plain concatenation of its fields (Solidity ``abi.encodePacked``).

Message (header of 116 bytes, then the body)::

    offset  size  field
         0     4  version             uint32 (v1: 0)
         4     4  source_domain       uint32
         8     4  destination_domain  uint32
        12     8  nonce               uint64
        20    32  sender              bytes32 (the source TokenMessenger for burns)
        52    32  recipient           bytes32 (the destination TokenMessenger for burns)
        84    32  destination_caller  bytes32 (all zero: anyone may relay)
       116     *  message_body

Burn message (exactly 132 bytes)::

         0     4  version             uint32 (v1: 0)
         4    32  burn_token          bytes32 (EVM: the token address; Noble: keccak256(denom))
        36    32  mint_recipient      bytes32
        68    32  amount              uint256
       100    32  message_sender      bytes32 (the depositor on the source domain)

Cosmos addresses (20 bytes) sit in a bytes32 left-padded with zeros; the inverse keeps the last
20 bytes, as Noble does. Decoding never accepts a wrong length.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from stateset_chain.cctp.errors import InvalidBytes32, MalformedBurnMessage, MalformedMessage
from stateset_chain.crypto.hashes import keccak256

# -- message header ----------------------------------------------------------------------------
VERSION_OFFSET = 0
SOURCE_DOMAIN_OFFSET = 4
DESTINATION_DOMAIN_OFFSET = 8
NONCE_OFFSET = 12
SENDER_OFFSET = 20
RECIPIENT_OFFSET = 52
DESTINATION_CALLER_OFFSET = 84
MESSAGE_BODY_OFFSET = 116
HEADER_LENGTH = MESSAGE_BODY_OFFSET

# -- burn message body -------------------------------------------------------------------------
BURN_VERSION_OFFSET = 0
BURN_TOKEN_OFFSET = 4
MINT_RECIPIENT_OFFSET = 36
AMOUNT_OFFSET = 68
MESSAGE_SENDER_OFFSET = 100
BURN_MESSAGE_LENGTH = 132

BYTES32 = 32
ZERO32 = bytes(BYTES32)
MAX_UINT32 = 2**32 - 1
MAX_UINT64 = 2**64 - 1
MAX_UINT256 = 2**256 - 1

_HEAD = struct.Struct(">IIIQ")  # version, source domain, destination domain, nonce


def burn_token_for_denom(denom: str) -> bytes:
    """The burn token a Cosmos chain puts in its burn messages: keccak256 of the lower-case denom
    (Noble ``depositForBurn``); other chains link this value as the remote token."""
    return keccak256(denom.lower().encode())


def pad_address(raw: bytes) -> bytes:
    """A 20-byte account address left-padded to bytes32; a 32-byte address as it is."""
    if len(raw) == BYTES32:
        return bytes(raw)
    if len(raw) != 20:
        raise ValueError(f"an address is 20 or 32 bytes, got {len(raw)}")
    return bytes(12) + bytes(raw)


def address_from_bytes32(b32: bytes) -> bytes:
    """The 20-byte account a bytes32 names: its last 20 bytes (Noble ``MintRecipient[12:]``)."""
    return bytes(b32[12:])


def require_bytes32(value: bytes, field: str, allow_empty_as_zero: bool = False) -> bytes:
    """``value`` if it is 32 bytes (or 32 zero bytes for an empty value when allowed)."""
    if allow_empty_as_zero and len(value) == 0:
        return ZERO32
    if len(value) != BYTES32:
        raise InvalidBytes32(f"{field} is {len(value)} bytes")
    return bytes(value)


@dataclass(frozen=True)
class Message:
    version: int
    source_domain: int
    destination_domain: int
    nonce: int
    sender: bytes
    recipient: bytes
    destination_caller: bytes
    body: bytes

    def encode(self) -> bytes:
        for name in ("version", "source_domain", "destination_domain"):
            if not 0 <= getattr(self, name) <= MAX_UINT32:
                raise ValueError(f"{name} out of uint32 range")
        if not 0 <= self.nonce <= MAX_UINT64:
            raise ValueError("nonce out of uint64 range")
        for name in ("sender", "recipient", "destination_caller"):
            if len(getattr(self, name)) != BYTES32:
                raise ValueError(f"{name} must be 32 bytes")
        head = _HEAD.pack(self.version, self.source_domain, self.destination_domain, self.nonce)
        return head + self.sender + self.recipient + self.destination_caller + self.body

    @classmethod
    def decode(cls, raw: bytes) -> Message:
        if len(raw) < HEADER_LENGTH:
            raise MalformedMessage(f"a message is at least {HEADER_LENGTH} bytes, got {len(raw)}")
        version, source, destination, nonce = _HEAD.unpack_from(raw, VERSION_OFFSET)
        return cls(
            version=version,
            source_domain=source,
            destination_domain=destination,
            nonce=nonce,
            sender=bytes(raw[SENDER_OFFSET:RECIPIENT_OFFSET]),
            recipient=bytes(raw[RECIPIENT_OFFSET:DESTINATION_CALLER_OFFSET]),
            destination_caller=bytes(raw[DESTINATION_CALLER_OFFSET:MESSAGE_BODY_OFFSET]),
            body=bytes(raw[MESSAGE_BODY_OFFSET:]),
        )


@dataclass(frozen=True)
class BurnMessage:
    version: int
    burn_token: bytes
    mint_recipient: bytes
    amount: int
    message_sender: bytes

    def encode(self) -> bytes:
        if not 0 <= self.version <= MAX_UINT32:
            raise ValueError("version out of uint32 range")
        if not 0 <= self.amount <= MAX_UINT256:
            raise ValueError("amount out of uint256 range")
        for name in ("burn_token", "mint_recipient", "message_sender"):
            if len(getattr(self, name)) != BYTES32:
                raise ValueError(f"{name} must be 32 bytes")
        return (
            struct.pack(">I", self.version)
            + self.burn_token
            + self.mint_recipient
            + self.amount.to_bytes(BYTES32, "big")
            + self.message_sender
        )

    @classmethod
    def decode(cls, raw: bytes) -> BurnMessage:
        if len(raw) != BURN_MESSAGE_LENGTH:
            raise MalformedBurnMessage(
                f"a burn message is exactly {BURN_MESSAGE_LENGTH} bytes, got {len(raw)}"
            )
        return cls(
            version=struct.unpack_from(">I", raw, BURN_VERSION_OFFSET)[0],
            burn_token=bytes(raw[BURN_TOKEN_OFFSET:MINT_RECIPIENT_OFFSET]),
            mint_recipient=bytes(raw[MINT_RECIPIENT_OFFSET:AMOUNT_OFFSET]),
            amount=int.from_bytes(raw[AMOUNT_OFFSET:MESSAGE_SENDER_OFFSET], "big"),
            message_sender=bytes(raw[MESSAGE_SENDER_OFFSET:BURN_MESSAGE_LENGTH]),
        )

