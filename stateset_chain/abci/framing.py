"""Wire framing of the ABCI socket protocol: ``uvarint(len(payload)) || payload``.

CometBFT v0.37+ prefixes every protobuf ``Request``/``Response`` with its length as an
*unsigned* LEB128 varint (Go's ``binary.PutUvarint``; v0.34 used a zigzag varint, which is why
py-abci's framing is wrong for 0.38). Both directions and all four connections use the same
framing. CometBFT's reader accepts messages up to ``math.MaxInt32`` bytes.

Everything here is pure: no sockets. ``FrameDecoder`` is incremental, so a reader can feed it
whatever ``recv`` returned (half a prefix, a dozen frames, one byte of a 5 MB block) and get back
the payloads that are complete. The varint is ``protowire``'s (the chain's one encoder).
"""

from __future__ import annotations

from stateset_chain.protowire import decode_varint, encode_varint

MAX_MESSAGE_BYTES = 2**31 - 1  # CometBFT's reader limit (math.MaxInt32)


class FramingError(ValueError):
    """The byte stream is not a valid sequence of uvarint-length-prefixed frames."""


def encode_frame(payload: bytes) -> bytes:
    """Prefix one serialized protobuf message with its length."""
    if len(payload) > MAX_MESSAGE_BYTES:
        raise FramingError(f"message of {len(payload)} bytes exceeds {MAX_MESSAGE_BYTES}")
    return encode_varint(len(payload)) + payload


class FrameDecoder:
    """Turns a byte stream into complete payloads; keeps the incomplete tail for the next feed.

    After a ``FramingError`` the stream has lost its alignment: discard the decoder (and the
    connection).
    """

    def __init__(self, max_message_bytes: int = MAX_MESSAGE_BYTES) -> None:
        self._buf = bytearray()
        self._max = max_message_bytes

    def feed(self, data: bytes) -> list[bytes]:
        self._buf += data
        frames: list[bytes] = []
        pos = 0
        while True:
            try:
                header = decode_varint(self._buf, pos)
            except ValueError as e:  # longer than 10 bytes, or above 64 bits
                raise FramingError(str(e)) from None
            if header is None:
                break
            size, body_start = header
            if size > self._max:
                raise FramingError(f"frame of {size} bytes exceeds the {self._max}-byte limit")
            body_end = body_start + size
            if body_end > len(self._buf):
                break
            frames.append(bytes(self._buf[body_start:body_end]))
            pos = body_end
        if pos:
            del self._buf[:pos]
        return frames

    @property
    def pending(self) -> int:
        """Bytes received that do not yet form a complete frame."""
        return len(self._buf)
