"""The compiled event writer (native/src/events.rs, behind ``fast/event_bytes.py``'s
``encode_event`` and ``encode_event_into``) writes what protobuf writes for ``abci.Event`` and
what the Python writer writes, and leaves to the Python writer what it does not take (lists as
pairs, text that UTF-8 cannot hold), which then answers as before."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import stateset_chain.pb  # noqa: F401
from stateset_chain.abci import events
from stateset_chain.fast import event_bytes as fast_events

from tendermint.abci import types_pb2 as abci

native = pytest.importorskip("stateset_native")
if not hasattr(native, "encode_event"):
    pytest.skip("stateset_native built before encode_event", allow_module_level=True)

TEXT = st.one_of(
    st.sampled_from(["", "msg_index", "sender", "fee"]),
    st.text(max_size=20),  # non-ASCII included: UTF-8 lengths differ from str lengths
    st.text(min_size=100, max_size=300),  # lengths of two varint bytes
)
PAIRS = st.lists(st.tuples(TEXT, TEXT), max_size=6)


def protobuf_bytes(type_: str, attributes) -> bytes:
    return abci.Event(
        type=type_,
        attributes=[abci.EventAttribute(key=k, value=v, index=True) for k, v in attributes],
    ).SerializeToString()


def python_writer(type_: str, attributes, extra=()) -> bytes:
    return b"".join(fast_events._event_body(type_, attributes, extra)[1])


@settings(max_examples=400, deadline=None)
@given(type_=TEXT, attributes=PAIRS, extra=PAIRS, as_tuple=st.booleans())
def test_the_compiled_writer_writes_protobufs_bytes(type_, attributes, extra, as_tuple):
    expected = protobuf_bytes(type_, attributes + extra)
    given_attributes = tuple(attributes) if as_tuple else attributes
    assert native.encode_event(type_, given_attributes, tuple(extra)) == expected
    assert python_writer(type_, attributes, tuple(extra)) == expected
    field = native.encode_event(type_, given_attributes, tuple(extra), b"\x3a")
    assert abci.ExecTxResult.FromString(field).events[0].SerializeToString() == expected
    out: list[bytes] = []
    events.encode_event_into(out, b"\x3a", type_, attributes, tuple(extra))
    assert b"".join(out) == field


def test_a_large_event_has_a_multi_byte_length():
    attributes = [("key", "v" * 120)] * 200  # ~25 KB: three varint bytes
    assert native.encode_event("big", attributes, ()) == protobuf_bytes("big", attributes)


def test_pairs_given_as_lists_are_left_to_the_python_writer():
    attributes = [["sender", "a"], ["amount", "5uusdc"]]  # not tuples: the compiled one refuses
    with pytest.raises(TypeError):
        native.encode_event("transfer", attributes, ())
    expected = protobuf_bytes("transfer", [tuple(p) for p in attributes])
    assert events.encode_event("transfer", attributes) == expected
    out: list[bytes] = []
    events.encode_event_into(out, b"\x3a", "transfer", attributes, (("msg_index", "0"),))
    assert out[0].startswith(b"\x3a")


def test_a_generator_is_never_half_consumed():
    """The compiled writer refuses anything but a list or tuple before taking an item, so the
    Python writer still sees every attribute."""
    attributes = [("a", "1"), ("b", "2")]
    assert events.encode_event("t", (p for p in attributes)) == protobuf_bytes("t", attributes)


def test_text_utf8_cannot_hold_raises_what_the_python_writer_raises():
    with pytest.raises(UnicodeEncodeError):
        python_writer("t", [("k", "\ud800")])
    with pytest.raises(UnicodeEncodeError):
        events.encode_event("t", [("k", "\ud800")])
    with pytest.raises(UnicodeEncodeError):
        events.encode_event_into([], b"\x3a", "\ud800", [])


def test_the_installed_names_use_the_compiled_writer():
    assert fast_events._native_event is native.encode_event
