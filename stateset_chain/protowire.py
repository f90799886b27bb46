"""Protobuf's wire format, by hand: the chain's one varint and field encoder.

Three hot paths write protobuf bytes without building messages: the ABCI framing (each frame is
``varint(len) || payload``), the tx results and events of a block, and the SIGN_MODE_DIRECT sign
doc of every signature. They all use these functions, which write exactly what protobuf writes
(tests compare them with protobuf's own encoder):

    varint               7 bits per byte, least significant first, high bit = "more follows"
    tag                  varint(field number << 3 | wire type)   (0 varint, 2 length-delimited)
    length-delimited     tag || varint(len(data)) || data
    proto3 defaults      an empty string/bytes or a zero integer is not written at all

Pure functions of their inputs: no I/O, no state.
"""

from __future__ import annotations

MAX_VARINT_BYTES = 10  # a uint64 never needs more than 10 bytes
VARINT = 0  # wire types
LENGTH_DELIMITED = 2

# Most lengths and every tag of ours are below 0x80: one byte, looked up instead of built.
ONE_BYTE_VARINTS = tuple(bytes((n,)) for n in range(0x80))


def encode_varint(n: int) -> bytes:
    """The base-128 varint of a non-negative integer (Go's ``binary.PutUvarint``)."""
    if n < 0x80:
        if n < 0:
            raise ValueError(f"a varint cannot encode a negative number: {n}")
        return ONE_BYTE_VARINTS[n]
    if n < 0x4000:  # two bytes: most event and tx result sizes
        return bytes((n & 0x7F | 0x80, n >> 7))
    if n < 0x200000:  # three bytes: gas figures
        return bytes((n & 0x7F | 0x80, (n >> 7) & 0x7F | 0x80, n >> 14))
    out = bytearray()
    while n > 0x7F:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def varint_len(n: int) -> int:
    """The number of bytes ``encode_varint(n)`` takes."""
    return len(encode_varint(n))


def decode_varint(buf: bytes | bytearray, start: int = 0) -> tuple[int, int] | None:
    """The varint at ``buf[start:]``: ``(value, offset after it)``, or None when ``buf`` ends
    inside it. Raises ValueError for one longer than 10 bytes or above 64 bits."""
    value = 0
    for i in range(MAX_VARINT_BYTES):
        pos = start + i
        if pos >= len(buf):
            return None
        byte = buf[pos]
        value |= (byte & 0x7F) << (7 * i)
        if byte < 0x80:
            if value >= 2**64:
                raise ValueError("varint overflows 64 bits")
            return value, pos + 1
    raise ValueError(f"varint longer than {MAX_VARINT_BYTES} bytes")


def tag(number: int, wire_type: int) -> bytes:
    """The key of field ``number``."""
    return encode_varint(number << 3 | wire_type)


def encode_field(field_tag: bytes, data: bytes) -> bytes:
    """A length-delimited field (written even when ``data`` is empty: a nested message)."""
    n = len(data)
    return field_tag + (ONE_BYTE_VARINTS[n] if n < 0x80 else encode_varint(n)) + data


def encode_bytes_field(field_tag: bytes, data: bytes) -> bytes:
    """A ``bytes`` field: nothing when empty (proto3 omits defaults)."""
    return encode_field(field_tag, data) if data else b""


def encode_string_field(field_tag: bytes, text: str) -> bytes:
    """A ``string`` field: nothing when empty (proto3 omits defaults)."""
    return encode_field(field_tag, text.encode()) if text else b""


def encode_uint_field(field_tag: bytes, value: int) -> bytes:
    """A ``uint64`` field: nothing when zero."""
    return field_tag + encode_varint(value) if value else b""


def encode_int64_field(field_tag: bytes, value: int) -> bytes:
    """An ``int64`` field (two's complement in 10 bytes when negative): nothing when zero;
    ValueError outside int64, as protobuf refuses it."""
    if not -(2**63) <= value < 2**63:
        raise ValueError(f"Value out of range: {value}")
    return field_tag + encode_varint(value & 0xFFFF_FFFF_FFFF_FFFF) if value else b""
