"""The event bytes on the wire: the fast writer (stateset_chain/fast/event_bytes.py) the ABCI edge
uses for tx results writes what the reference (abci/events.py: protobuf) writes, and the core's
events (``events.Event``) reach ``tendermint.abci.Event`` unchanged by either road."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import stateset_chain.pb  # noqa: F401
from stateset_chain import fast
from stateset_chain.abci import events as wire
from stateset_chain.abci.events import (
    encode_event,
    encode_event_into,
    encode_events_into,
    write_events,
)
from stateset_chain.events import Attribute, Event, EventManager
from stateset_chain.protowire import encode_varint

from tendermint.abci import types_pb2 as abci

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


def test_the_fast_writers_are_installed_behind_the_reference_names():
    for name in ("encode_event", "encode_event_into"):
        assert getattr(wire, name).__module__ == "stateset_chain.fast.event_bytes"
        assert fast.reference(wire, name).__module__ == "stateset_chain.abci.events"


@settings(max_examples=300, deadline=None)
@given(type_=ATTRIBUTE_TEXT, attributes=ATTRIBUTES, extra=ATTRIBUTES)
def test_encode_event_writes_what_protobuf_writes(type_, attributes, extra):
    expected = as_proto(type_, attributes + extra).SerializeToString()
    assert encode_event(type_, attributes, tuple(extra)) == expected
    assert fast.reference(wire, "encode_event")(type_, attributes, tuple(extra)) == expected
    fast_out: list[bytes] = []
    reference_out: list[bytes] = []
    encode_event_into(fast_out, b"\x3a", type_, attributes, tuple(extra))
    fast.reference(wire, "encode_event_into")(reference_out, b"\x3a", type_, attributes,
                                              tuple(extra))
    assert b"".join(fast_out) == b"".join(reference_out)


def test_encode_event_of_many_attributes_has_a_multi_byte_length():
    attributes = [("key", "v" * 120)] * 200  # ~25 KB: three varint bytes
    result = abci.ExecTxResult()
    manager = EventManager()
    manager.emit_pending("big", attributes)
    out: list[bytes] = []
    encode_events_into(manager, out, b"\x3a")  # ExecTxResult.events
    result.MergeFromString(b"".join(out))
    assert list(result.events) == [as_proto("big", attributes)]


@given(st.integers(0, 2**64 - 1))
def test_encode_varint_is_protobufs(n):
    from google.protobuf.internal.encoder import _VarintBytes

    assert encode_varint(n) == _VarintBytes(n)


def test_encode_events_into_equals_write_events_for_raw_typed_and_read_events():
    """Typed (pending) events, re-emitted events and events already read, with and without
    extra attributes."""
    from stateset.bank.v1 import events_pb2

    def manager(read: bool) -> EventManager:
        m = EventManager()
        m.emit(events_pb2.CoinsBurned(module="stablecoin"))
        if read:
            m.events  # noqa: B018  (reading turns the stored attributes into Attributes)
        m.emit_raw(Event("tx", [Attribute("fee", "5uusdc")]))
        m.emit_pending("message", [("action", "/x"), ("sender", "")])
        return m

    for read in (False, True):
        for extra in [(), (("msg_index", "3"),)]:
            by_proto = abci.ExecTxResult()
            write_events(manager(read), by_proto.events, extra)
            out: list[bytes] = []
            encode_events_into(manager(read), out, b"\x3a", extra)
            assert abci.ExecTxResult.FromString(b"".join(out)) == by_proto
            assert b"".join(out) == by_proto.SerializeToString()
            assert list(by_proto.events)[1] == as_proto("tx", [("fee", "5uusdc"), *extra])


def test_reading_events_gives_attributes_for_good():
    """A caller holding ``events`` sees every later event too, each attribute an ``Attribute``
    (key, value, index)."""
    from stateset.bank.v1 import events_pb2

    m = EventManager()
    m.emit(events_pb2.CoinsBurned(module="a"))
    held = m.events
    assert [type(e) for e in held] == [Event]
    m.emit(events_pb2.CoinsBurned(module="b"))
    m.emit_pending("tx", [("fee", "1uusdc")])
    assert held is m.events and [type(e) for e in held] == [Event] * 3
    assert held[2] == Event("tx", [Attribute("fee", "1uusdc")])
    assert all(type(a) is Attribute and a.index for e in held for a in e.attributes)
    assert wire.to_proto(held[2]) == as_proto("tx", [("fee", "1uusdc")])
    held.clear()
    assert m.events == []
