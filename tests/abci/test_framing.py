"""The uvarint framing matches CometBFT's wire bytes and survives any chunking of the stream."""

from __future__ import annotations

import cosmpy.protos  # noqa: F401  (puts tendermint.* on sys.path)
import pytest
from hypothesis import given
from hypothesis import strategies as st

from stateset_chain.abci.framing import FrameDecoder, FramingError, encode_frame
from stateset_chain.protowire import decode_varint, encode_varint, varint_len

from tendermint.abci import types_pb2 as abci


def test_flush_request_and_response_match_the_wire_bytes_from_cometbft():
    flush_req = abci.Request(flush=abci.RequestFlush()).SerializeToString()
    flush_res = abci.Response(flush=abci.ResponseFlush()).SerializeToString()
    assert encode_frame(flush_req) == bytes.fromhex("021200")
    assert encode_frame(flush_res) == bytes.fromhex("021a00")


def test_info_request_length_prefix_is_unsigned_not_zigzag():
    info = abci.Request(
        info=abci.RequestInfo(
            version="0.38.25", block_version=11, p2p_version=8, abci_version="2.0.0"
        )
    ).SerializeToString()
    assert len(info) == 22
    frame = encode_frame(info)
    assert frame[0] == 0x16  # zigzag would be 0x2c
    assert frame[1:] == info


@pytest.mark.parametrize(
    ("value", "encoded"),
    [
        (0, "00"),
        (1, "01"),
        (127, "7f"),
        (128, "8001"),
        (300, "ac02"),
        (16383, "ff7f"),
        (16384, "808001"),
        (2**64 - 1, "ffffffffffffffffff01"),
    ],
)
def test_uvarint_known_encodings_and_roundtrip(value, encoded):
    assert encode_varint(value).hex() == encoded
    assert varint_len(value) == len(encoded) // 2
    assert decode_varint(bytes.fromhex(encoded)) == (value, len(encoded) // 2)


def test_truncated_uvarint_is_incomplete_not_an_error():
    assert decode_varint(bytes.fromhex("8080")) is None


def test_frames_fed_byte_by_byte_come_out_exactly_once_and_whole():
    payloads = [b"", b"a", b"x" * 200, bytes(range(256))]
    stream = b"".join(encode_frame(p) for p in payloads)
    decoder = FrameDecoder()
    out: list[bytes] = []
    for i in range(len(stream)):
        out += decoder.feed(stream[i : i + 1])
    assert out == payloads
    assert decoder.pending == 0


def test_many_frames_in_one_chunk_all_decoded_in_order():
    payloads = [f"tx-{i}".encode() for i in range(1000)]
    stream = b"".join(encode_frame(p) for p in payloads)
    assert FrameDecoder().feed(stream) == payloads


def test_message_over_one_megabyte_split_across_reads():
    big = bytes(range(256)) * 5000  # 1.28 MB, 3-byte length prefix
    frame = encode_frame(big) + encode_frame(b"next")
    decoder = FrameDecoder()
    out: list[bytes] = []
    for start in range(0, len(frame), 65536):
        out += decoder.feed(frame[start : start + 65536])
    assert out == [big, b"next"]


def test_varint_longer_than_ten_bytes_is_rejected():
    with pytest.raises(FramingError):
        FrameDecoder().feed(b"\x80" * 11)


def test_varint_overflowing_64_bits_is_rejected():
    with pytest.raises(FramingError):
        FrameDecoder().feed(b"\xff" * 9 + b"\x7f")


def test_frame_above_the_size_limit_is_rejected_before_its_body_arrives():
    decoder = FrameDecoder(max_message_bytes=1000)
    with pytest.raises(FramingError):
        decoder.feed(encode_varint(1001))


def test_default_limit_is_cometbfts_maxint32():
    FrameDecoder().feed(encode_varint(2**31 - 1))  # announced, not yet arrived: fine
    with pytest.raises(FramingError):
        FrameDecoder().feed(encode_varint(2**31))


@given(
    payloads=st.lists(st.binary(max_size=300), max_size=20),
    cuts=st.lists(st.integers(min_value=0, max_value=10_000), max_size=30),
)
def test_any_chunking_of_the_stream_yields_the_same_payloads(payloads, cuts):
    stream = b"".join(encode_frame(p) for p in payloads)
    points = sorted({c % (len(stream) + 1) for c in cuts} | {0, len(stream)})
    decoder = FrameDecoder()
    out: list[bytes] = []
    for start, end in zip(points, points[1:], strict=False):
        out += decoder.feed(stream[start:end])
    assert out == payloads
