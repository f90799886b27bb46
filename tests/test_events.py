"""Typed events: the fast JSON encoder agrees with json_format on every event type we emit, and
the wire encoder the app uses for tx results writes what protobuf writes."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from google.protobuf import json_format
from hypothesis import given, settings
from hypothesis import strategies as st

import stateset_chain.pb  # noqa: F401
from stateset_chain.events import (
    EventManager,
    _json,
    encode_event,
    encode_varint,
    parse_typed_event,
    to_json_dict,
    typed_attributes,
    typed_event,
)

import stateset
from tendermint.abci import types_pb2 as abci


def event_classes():
    classes = []
    for mod in pkgutil.walk_packages(stateset.__path__, "stateset."):
        if not mod.name.endswith("events_pb2"):
            continue
        m = importlib.import_module(mod.name)
        classes += [getattr(m, n) for n in sorted(m.DESCRIPTOR.message_types_by_name)]
    return classes


def reference(msg):
    return json_format.MessageToDict(
        msg, preserving_proto_field_name=True, always_print_fields_with_no_presence=True
    )


def fill(msg, draw, depth=0):
    from google.protobuf.descriptor import FieldDescriptor as T

    for f in msg.DESCRIPTOR.fields:
        if draw(st.booleans()):
            continue  # leave some fields unset: defaults and presence must match too
        rep = f.label == T.LABEL_REPEATED
        n = draw(st.integers(0, 2)) if rep else 1
        for _ in range(n):
            if f.type == T.TYPE_MESSAGE:
                if f.message_type.GetOptions().map_entry or depth > 2:
                    break
                sub = getattr(msg, f.name).add() if rep else getattr(msg, f.name)
                if f.message_type.full_name.startswith("google.protobuf."):
                    if f.message_type.name == "Timestamp":
                        sub.seconds = draw(st.integers(0, 2**32))
                    continue
                fill(sub, draw, depth + 1)
                if not rep:
                    sub.SetInParent()
                continue
            if f.type == T.TYPE_STRING:
                v = draw(st.text(max_size=8))
            elif f.type == T.TYPE_BYTES:
                v = draw(st.binary(max_size=8))
            elif f.type == T.TYPE_BOOL:
                v = draw(st.booleans())
            elif f.type == T.TYPE_ENUM:
                v = draw(st.sampled_from([x.number for x in f.enum_type.values]))
            elif f.type in (T.TYPE_DOUBLE, T.TYPE_FLOAT):
                continue
            elif f.type in (T.TYPE_INT32, T.TYPE_SINT32, T.TYPE_SFIXED32):
                v = draw(st.integers(-(2**31), 2**31 - 1))
            elif f.type in (T.TYPE_UINT32, T.TYPE_FIXED32):
                v = draw(st.integers(0, 2**32 - 1))
            elif f.type in (T.TYPE_UINT64, T.TYPE_FIXED64):
                v = draw(st.integers(0, 2**64 - 1))
            else:
                v = draw(st.integers(-(2**63), 2**63 - 1))
            if rep:
                getattr(msg, f.name).append(v)
            else:
                setattr(msg, f.name, v)


CLASSES = event_classes()


def test_every_module_has_events():
    assert len(CLASSES) >= 5


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.DESCRIPTOR.full_name)
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_fast_json_matches_json_format(cls, data):
    msg = cls()
    fill(msg, data.draw)
    assert to_json_dict(msg) == reference(msg)
    assert parse_typed_event(typed_event(msg), cls) == msg
    # the attribute text written straight from the message is json.dumps of json_format's dict
    expected = reference(msg)
    assert typed_attributes(msg) == [(k, _json(expected[k])) for k in sorted(expected)]


@given(st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.text(max_size=3), inner, max_size=3),
    max_leaves=8,
))
def test_attribute_json_is_json_dumps(value):
    import json

    from stateset_chain.events import _json

    assert _json(value) == json.dumps(value, separators=(",", ":"), sort_keys=True)


# -- wire encoding: the app writes tx results itself; protobuf must read back the same messages --

ATTRIBUTE_TEXT = st.one_of(
    st.sampled_from(["", "msg_index", "sender", "fee"]),
    st.text(max_size=20),
    st.text(min_size=100, max_size=300),  # lengths of two varint bytes
)
ATTRIBUTES = st.lists(st.tuples(ATTRIBUTE_TEXT, ATTRIBUTE_TEXT), max_size=6)


def as_proto(type_: str, attributes) -> abci.Event:
    return abci.Event(
        type=type_,
        attributes=[abci.EventAttribute(key=k, value=v, index=True) for k, v in attributes],
    )


@settings(max_examples=300, deadline=None)
@given(type_=ATTRIBUTE_TEXT, attributes=ATTRIBUTES, extra=ATTRIBUTES)
def test_encode_event_writes_what_protobuf_writes(type_, attributes, extra):
    expected = as_proto(type_, attributes + extra).SerializeToString()
    assert encode_event(type_, attributes, tuple(extra)) == expected


def test_encode_event_of_many_attributes_has_a_multi_byte_length():
    attributes = [("key", "v" * 120)] * 200  # ~25 KB: three varint bytes
    result = abci.ExecTxResult()
    manager = EventManager()
    manager.emit_pending("big", attributes)
    out: list[bytes] = []
    manager.encode_into(out, b"\x3a")  # ExecTxResult.events
    result.MergeFromString(b"".join(out))
    assert list(result.events) == [as_proto("big", attributes)]


@given(st.integers(0, 2**64 - 1))
def test_encode_varint_is_protobufs(n):
    from google.protobuf.internal.encoder import _VarintBytes

    assert encode_varint(n) == _VarintBytes(n)


def test_encode_into_equals_write_to_for_raw_and_typed_events():
    """Typed (pending) events and raw abci.Events, with and without extra attributes."""
    from stateset.bank.v1 import events_pb2

    def manager() -> EventManager:
        m = EventManager()
        m.emit(events_pb2.CoinsBurned(module="stablecoin"))
        m.emit_raw(as_proto("tx", [("fee", "5uusdc")]))
        m.emit_pending("message", [("action", "/x"), ("sender", "")])
        return m

    for extra in [(), (("msg_index", "3"),)]:
        by_proto = abci.ExecTxResult()
        manager().write_to(by_proto.events, extra)
        out: list[bytes] = []
        manager().encode_into(out, b"\x3a", extra)
        assert abci.ExecTxResult.FromString(b"".join(out)) == by_proto
        assert b"".join(out) == by_proto.SerializeToString()


def test_reading_events_turns_them_into_protos_for_good():
    """A caller holding ``events`` sees every later event too, as abci.Event objects."""
    from stateset.bank.v1 import events_pb2

    m = EventManager()
    m.emit(events_pb2.CoinsBurned(module="a"))
    held = m.events
    assert [type(e) for e in held] == [abci.Event]
    m.emit(events_pb2.CoinsBurned(module="b"))
    m.emit_pending("tx", [("fee", "1uusdc")])
    assert held is m.events and [type(e) for e in held] == [abci.Event] * 3
    assert held[2] == as_proto("tx", [("fee", "1uusdc")])
    held.clear()
    assert m.events == []
