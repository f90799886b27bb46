"""The fast ``encode_event`` and ``encode_event_into`` of ``stateset_chain/abci/events.py`` (the
reference: the protobuf ``abci.Event`` serialized): one compiled call per event
(native/src/events.rs) when the compiled core is built, else the bytes written by hand below.
tests/fast/test_event_bytes.py and tests/test_events_native.py hold them to the same bytes.
"""

from __future__ import annotations

from stateset_chain.cache import BoundedCache
from stateset_chain.native import compiled
from stateset_chain.protowire import (
    ONE_BYTE_VARINTS,
    encode_field,
    encode_string_field,
    encode_varint,
)

REPLACES = ("encode_event", "encode_event_into")


# -- encode_event, encode_event_into: the bytes written by hand --------------------------------
# Making each attribute a protobuf object costs more than writing its bytes. These write exactly
# what protobuf writes for ``abci.Event(type=..., attributes=[EventAttribute(key=..., value=...,
# index=True), ...])`` (fields in number order, empty strings omitted).

_EVENT_TYPE = b"\x0a"  # Event.type: field 1, length-delimited
_EVENT_ATTRIBUTE = b"\x12"  # Event.attributes: field 2, length-delimited
_ATTRIBUTE_KEY = b"\x0a"  # EventAttribute.key: field 1
_ATTRIBUTE_VALUE = b"\x12"  # EventAttribute.value: field 2
_ATTRIBUTE_INDEXED = b"\x18\x01"  # EventAttribute.index: field 3, varint true


def encode_event(type_: str, attributes, extra=()) -> bytes:
    """The wire bytes of an ``abci.Event`` whose attributes (key, value) are all indexed."""
    if _native_event is not None:
        try:
            return _native_event(type_, attributes, extra)  # type: ignore[no-any-return]
        except (TypeError, ValueError):
            # Not (str, str) tuples, or text UTF-8 cannot hold: the compiled writer refuses
            # them, and the Python writer answers as the reference does (bytes or its error).
            return _python_event(type_, attributes, extra)
    return _python_event(type_, attributes, extra)


def _python_event(type_: str, attributes, extra) -> bytes:
    return b"".join(_event_body(type_, attributes, extra)[1])


def encode_event_into(out: list[bytes], tag: bytes, type_: str, attributes, extra=()) -> None:
    """Appends to ``out`` the pieces of ``encode_event(...)`` as a length-delimited field
    ``tag``; the caller joins them once (one join per tx result, not one per attribute)."""
    if _native_event is not None:
        try:
            out.append(_native_event(type_, attributes, extra, tag))
        except (TypeError, ValueError):  # refused by the compiled writer (as in encode_event)
            _python_event_into(out, tag, type_, attributes, extra)
        return
    _python_event_into(out, tag, type_, attributes, extra)


def _python_event_into(out: list[bytes], tag: bytes, type_: str, attributes, extra) -> None:
    size, body = _event_body(type_, attributes, extra)
    out.append(tag + encode_varint(size))
    out += body


# The compiled writer (native/src/events.rs: the same bytes, written in one call per event) when
# the compiled core is built and not turned off (STATESET_NATIVE=0, as for the tree); else the
# Python writer below. tests/fast/test_event_bytes.py and tests/test_events_native.py hold both
# to the reference's bytes.
_native_event = compiled("encode_event")


def _event_body(type_: str, attributes, extra) -> tuple[int, list[bytes]]:
    type_field = _type_fields.get(type_)
    if type_field is None:
        type_field = _type_fields.put(type_, encode_string_field(_EVENT_TYPE, type_))
    body = [type_field]
    size = len(type_field)
    for key, value in (*attributes, *extra):
        data = value.encode()
        n = len(data)
        head = _attribute_heads.get(key)  # key field + value tag
        if head is None:
            head = _attribute_heads.put(key, _attribute_head(key))
        attribute_size = len(head) + n + 3  # + value length byte + index field
        if 0 < n < 0x80 and attribute_size < 0x80:  # the usual case: one-byte lengths
            body += (_ATTRIBUTE_SIZES[attribute_size], head, ONE_BYTE_VARINTS[n], data,
                     _ATTRIBUTE_INDEXED)
            size += attribute_size + 2
        else:
            attribute = _encode_attribute(key, data)
            body.append(attribute)
            size += len(attribute)
    return size, body


def _encode_attribute(key: str, data: bytes) -> bytes:
    body = encode_string_field(_ATTRIBUTE_KEY, key)
    if data:
        body += encode_field(_ATTRIBUTE_VALUE, data)
    return encode_field(_EVENT_ATTRIBUTE, body + _ATTRIBUTE_INDEXED)


def _attribute_head(key: str) -> bytes:
    return encode_string_field(_ATTRIBUTE_KEY, key) + _ATTRIBUTE_VALUE


# Event types and attribute keys are a small set (type names, field names, msg_index), so
# their encoded bytes are kept, up to a bound.
_type_fields: BoundedCache[str, bytes] = BoundedCache(2048)
_attribute_heads: BoundedCache[str, bytes] = BoundedCache(2048)
# Event.attributes tag + the attribute's size, for every size below 0x80.
_ATTRIBUTE_SIZES = tuple(_EVENT_ATTRIBUTE + bytes((n,)) for n in range(0x80))
