"""Wire formats: named offsets, exact lengths, round trips, and agreement with Noble's bytes."""

from __future__ import annotations

import bech32
import pytest
from hypothesis import given
from hypothesis import strategies as st

from stateset_chain.cctp import codec
from stateset_chain.cctp.codec import (
    BURN_MESSAGE_LENGTH,
    HEADER_LENGTH,
    BurnMessage,
    Message,
    address_from_bytes32,
    burn_token_for_denom,
    pad_address,
)
from stateset_chain.cctp.errors import InvalidBytes32, MalformedBurnMessage, MalformedMessage
from stateset_chain.crypto import address
from tests.cctp import vectors

bytes32 = st.binary(min_size=32, max_size=32)
messages = st.builds(
    Message,
    version=st.integers(0, 2**32 - 1),
    source_domain=st.integers(0, 2**32 - 1),
    destination_domain=st.integers(0, 2**32 - 1),
    nonce=st.integers(0, 2**64 - 1),
    sender=bytes32,
    recipient=bytes32,
    destination_caller=bytes32,
    body=st.binary(max_size=300),
)
burn_messages = st.builds(
    BurnMessage,
    version=st.integers(0, 2**32 - 1),
    burn_token=bytes32,
    mint_recipient=bytes32,
    amount=st.integers(0, 2**256 - 1),
    message_sender=bytes32,
)


def test_offsets_are_the_cctp_v1_layout():
    assert (codec.SOURCE_DOMAIN_OFFSET, codec.DESTINATION_DOMAIN_OFFSET, codec.NONCE_OFFSET) == (
        4,
        8,
        12,
    )
    assert (codec.SENDER_OFFSET, codec.RECIPIENT_OFFSET, codec.DESTINATION_CALLER_OFFSET) == (
        20,
        52,
        84,
    )
    assert HEADER_LENGTH == codec.MESSAGE_BODY_OFFSET == 116
    assert (codec.BURN_TOKEN_OFFSET, codec.MINT_RECIPIENT_OFFSET, codec.AMOUNT_OFFSET) == (
        4,
        36,
        68,
    )
    assert (codec.MESSAGE_SENDER_OFFSET, BURN_MESSAGE_LENGTH) == (100, 132)


@given(messages)
def test_message_round_trips(message):
    raw = message.encode()
    assert len(raw) == HEADER_LENGTH + len(message.body)
    assert Message.decode(raw) == message
    assert Message.decode(raw).encode() == raw


@given(burn_messages)
def test_burn_message_round_trips(burn):
    raw = burn.encode()
    assert len(raw) == BURN_MESSAGE_LENGTH
    assert BurnMessage.decode(raw) == burn


def test_fields_sit_at_their_offsets_big_endian():
    raw = Message(1, 2, 3, 0x0102030405060708, b"S" * 32, b"R" * 32, b"C" * 32, b"body").encode()
    assert raw[0:4] == b"\x00\x00\x00\x01"
    assert raw[4:8] == b"\x00\x00\x00\x02"
    assert raw[8:12] == b"\x00\x00\x00\x03"
    assert raw[12:20] == bytes.fromhex("0102030405060708")
    assert raw[20:52] == b"S" * 32 and raw[52:84] == b"R" * 32 and raw[84:116] == b"C" * 32
    assert raw[116:] == b"body"
    burn = BurnMessage(0, b"T" * 32, b"M" * 32, 345678, b"F" * 32).encode()
    assert burn[68:100] == (345678).to_bytes(32, "big")


@pytest.mark.parametrize("size", [0, 1, 115])
def test_a_message_shorter_than_its_header_is_refused(size):
    with pytest.raises(MalformedMessage):
        Message.decode(bytes(size))


def test_a_header_with_an_empty_body_parses():
    assert Message.decode(bytes(116)).body == b""


@pytest.mark.parametrize("size", [0, 131, 133, 228])
def test_a_burn_message_of_any_other_length_is_refused(size):
    with pytest.raises(MalformedBurnMessage):
        BurnMessage.decode(bytes(size))


@pytest.mark.parametrize("field", ["sender", "recipient", "destination_caller"])
def test_encode_refuses_a_short_bytes32(field):
    fields = dict(sender=bytes(32), recipient=bytes(32), destination_caller=bytes(32))
    fields[field] = b"too short"
    with pytest.raises(ValueError):
        Message(0, 0, 0, 0, body=b"", **fields).encode()


def test_encode_refuses_out_of_range_integers():
    with pytest.raises(ValueError):
        Message(0, 2**32, 0, 0, bytes(32), bytes(32), bytes(32), b"").encode()
    with pytest.raises(ValueError):
        BurnMessage(0, bytes(32), bytes(32), 2**256, bytes(32)).encode()


def test_burn_token_of_uusdc_is_keccak256_of_the_denom_as_noble_links_it():
    # The remote token other chains link for Noble's USDC (notes PART 2 (b), verified).
    expected = "487039debedbf32d260137b0a6f66b90962bec777250910d253781de326a716d"
    assert burn_token_for_denom("uusdc").hex() == expected
    assert burn_token_for_denom("UUSDC").hex() == expected  # Noble lower-cases first


def test_module_address_is_derived_the_cosmos_way_and_equals_nobles():
    raw = address.module_address_bytes("cctp")
    assert raw.hex() == "57d4eaf1091577a6b7d121202afbd2808134f117"
    noble = bech32.bech32_encode("noble", bech32.convertbits(raw, 8, 5))
    assert noble == "noble12l2w4ugfz4m6dd73yysz477jszqnfughxvkss5"
    # and it is the recipient of every real burn message to Noble
    assert Message.decode(vectors.AVALANCHE_TO_NOBLE_MESSAGE).recipient == pad_address(raw)


def test_real_avalanche_to_noble_message_decodes_field_by_field():
    message = Message.decode(vectors.AVALANCHE_TO_NOBLE_MESSAGE)
    assert (message.version, message.source_domain, message.destination_domain) == (0, 1, 4)
    assert message.nonce == 116109
    assert message.sender == vectors.AVALANCHE_TOKEN_MESSENGER
    assert message.destination_caller == bytes(32)
    burn = BurnMessage.decode(message.body)
    assert burn.version == 0
    assert burn.burn_token == vectors.AVALANCHE_USDC
    assert address_from_bytes32(burn.mint_recipient).hex() == (
        "3896394f3214c778a4875a89c3315f9101dcdb54"
    )
    assert burn.amount == 1_500_000
    assert message.encode() == vectors.AVALANCHE_TO_NOBLE_MESSAGE
    assert burn.encode() == message.body


def test_pad_address_left_pads_20_bytes_and_keeps_32():
    assert pad_address(b"\x01" * 20) == bytes(12) + b"\x01" * 20
    assert pad_address(b"\x02" * 32) == b"\x02" * 32
    with pytest.raises(ValueError):
        pad_address(b"\x03" * 21)


def test_require_bytes32():
    assert codec.require_bytes32(b"", "caller", allow_empty_as_zero=True) == bytes(32)
    with pytest.raises(InvalidBytes32):
        codec.require_bytes32(b"", "caller")
    with pytest.raises(InvalidBytes32):
        codec.require_bytes32(bytes(33), "caller")
