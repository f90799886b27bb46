"""Typed events: the fast JSON encoder (stateset_chain/fast/events.py) agrees with the reference
(events.py: json.dumps of json_format's dict) on every event type we emit. (The event bytes on
the wire: tests/fast/test_event_bytes.py.)"""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from google.protobuf import json_format
from hypothesis import given, settings
from hypothesis import strategies as st

import stateset_chain.pb  # noqa: F401
from stateset_chain import events, fast, timefmt
from stateset_chain.events import (
    _json,
    parse_typed_event,
    to_json_dict,
    typed_attributes,
    typed_event,
)
from stateset_chain.fast.events import _compiled

import stateset


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


# Text that json.dumps must escape or spell in ASCII: quotes, backslashes, control characters,
# non-ASCII (two-byte, CJK, astral: a surrogate pair in JSON).
TRICKY_TEXT = st.text(alphabet=st.sampled_from('a"\\/\n\t\x00\x1f\x7fé中😀 '), max_size=6)
TEXT = st.one_of(st.text(max_size=8), TRICKY_TEXT)
# Timestamps over the whole valid range (0001-01-01 .. 9999-12-31), nanos giving 0, 3, 6 or 9
# fractional digits.
NANOS = st.one_of(
    st.just(0),
    st.integers(1, 999).map(lambda n: n * 1_000_000),
    st.integers(1, 999_999).map(lambda n: n * 1_000),
    st.integers(0, 999_999_999),
)
SECONDS = st.one_of(
    st.sampled_from([0, -1, 1, -62_135_596_800, 253_402_300_799, 1_735_689_600]),
    st.integers(-62_135_596_800, 253_402_300_799),
)


def fill_time(msg, draw):
    """A random valid Timestamp or Duration (a Duration's nanos take its seconds' sign)."""
    seconds, nanos = draw(SECONDS), draw(NANOS)
    if msg.DESCRIPTOR.name == "Duration":
        seconds = seconds % 315_576_000_001 * draw(st.sampled_from([1, -1]))
        nanos = -nanos if seconds < 0 else nanos
    msg.seconds, msg.nanos = seconds, nanos


def draw_scalar(f, draw):
    from google.protobuf.descriptor import FieldDescriptor as T

    if f.type == T.TYPE_STRING:
        return draw(TEXT)
    if f.type == T.TYPE_BYTES:
        return draw(st.binary(max_size=8))
    if f.type == T.TYPE_BOOL:
        return draw(st.booleans())
    if f.type == T.TYPE_ENUM:
        return draw(st.sampled_from([x.number for x in f.enum_type.values]))
    if f.type in (T.TYPE_INT32, T.TYPE_SINT32, T.TYPE_SFIXED32):
        return draw(st.integers(-(2**31), 2**31 - 1))
    if f.type in (T.TYPE_UINT32, T.TYPE_FIXED32):
        return draw(st.integers(0, 2**32 - 1))
    if f.type in (T.TYPE_UINT64, T.TYPE_FIXED64):
        return draw(st.integers(0, 2**64 - 1))
    assert f.type in (T.TYPE_INT64, T.TYPE_SINT64, T.TYPE_SFIXED64), f.full_name
    return draw(st.integers(-(2**63), 2**63 - 1))


def fill(msg, draw, depth=0):
    """Sets a random subset of ``msg``'s fields (nested messages, maps and Timestamps too)."""
    from google.protobuf.descriptor import FieldDescriptor as T

    if msg.DESCRIPTOR.full_name in ("google.protobuf.Timestamp", "google.protobuf.Duration"):
        fill_time(msg, draw)
        return
    for f in msg.DESCRIPTOR.fields:
        if draw(st.booleans()):
            continue  # leave some fields unset: defaults and presence must match too
        if f.type == T.TYPE_MESSAGE and f.message_type.GetOptions().map_entry:
            value = f.message_type.fields_by_name["value"]
            entries = getattr(msg, f.name)
            for key in draw(st.lists(TEXT, max_size=4, unique=True)):
                if value.type != T.TYPE_MESSAGE:
                    entries[key] = draw_scalar(value, draw)
                elif depth < 3:
                    fill(entries[key], draw, depth + 1)
            continue
        rep = f.label == T.LABEL_REPEATED
        for _ in range(draw(st.integers(0, 2)) if rep else 1):
            if f.type == T.TYPE_MESSAGE:
                if depth > 2:
                    break
                sub = getattr(msg, f.name).add() if rep else getattr(msg, f.name)
                fill(sub, draw, depth + 1)
                if not rep:
                    sub.SetInParent()
            elif f.type in (T.TYPE_DOUBLE, T.TYPE_FLOAT):
                continue
            elif rep:
                getattr(msg, f.name).append(draw_scalar(f, draw))
            else:
                setattr(msg, f.name, draw_scalar(f, draw))


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


def attribute_texts(msg):
    """json.dumps of each field of json_format's dict: what every attribute must be (and what
    the reference implementation writes)."""
    expected = reference(msg)
    texts = [(k, _json(expected[k])) for k in sorted(expected)]
    assert fast.reference(events, "typed_attributes")(msg) == texts
    return texts


def test_the_fast_implementations_are_installed_behind_the_reference_names():
    for name in ("typed_attributes",):
        assert getattr(events, name).__module__ == "stateset_chain.fast.events"
        assert fast.reference(events, name).__module__ == "stateset_chain.events"


def test_every_event_type_is_compiled():
    """No event falls back to json_format (maps and Timestamps included): OrderCreated's whole
    order was ~12% of a create block there."""
    from stateset.orders.v1 import events_pb2

    assert _compiled(events_pb2.OrderCreated.DESCRIPTOR) is not None
    assert [c.DESCRIPTOR.full_name for c in CLASSES if _compiled(c.DESCRIPTOR) is None] == []


def a_order(**fields):
    from stateset.orders.v1 import orders_pb2

    return orders_pb2.Order(id="ord_A1b2C3d4E5", sequence=7, total=1_500_000, status=1, **fields)


def test_order_metadata_is_a_sorted_escaped_json_object():
    from google.protobuf.timestamp_pb2 import Timestamp

    from stateset.orders.v1 import events_pb2

    metadata = {
        "zeta": "last", "channel": "shopify", "": "empty key", "Über": "größe ✓",
        'quote"back\\slash': "tab\tnew\nline\x00\x1f", "emoji": "😀", "中文": "值",
        "a/b": "</script>",
    }
    msg = events_pb2.OrderCreated(order=a_order(
        metadata=metadata, created_at=Timestamp(seconds=1_735_689_600, nanos=120_000_000),
    ))
    assert typed_attributes(msg) == attribute_texts(msg)
    text = typed_attributes(msg)[0][1]
    # keys sorted by code point, everything escaped to ASCII as json.dumps writes it
    assert (
        r'"metadata":{"":"empty key","a/b":"</script>","channel":"shopify",'
        r'"emoji":"\ud83d\ude00","quote\"back\\slash":"tab\tnew\nline\u0000\u001f",'
        r'"zeta":"last","\u00dcber":"gr\u00f6\u00dfe \u2713","\u4e2d\u6587":"\u503c"}'
    ) in text
    assert '"created_at":"2025-01-01T00:00:00.120Z"' in text
    empty = events_pb2.OrderCreated(order=a_order())
    assert '"metadata":{}' in typed_attributes(empty)[0][1]
    assert typed_attributes(empty) == attribute_texts(empty)


@pytest.mark.parametrize(("seconds", "nanos", "text"), [
    (0, 0, "1970-01-01T00:00:00Z"),  # set but default: still written
    (0, 1, "1970-01-01T00:00:00.000000001Z"),
    (0, 10, "1970-01-01T00:00:00.000000010Z"),
    (0, 1_000, "1970-01-01T00:00:00.000001Z"),
    (0, 100_000, "1970-01-01T00:00:00.000100Z"),
    (0, 1_000_000, "1970-01-01T00:00:00.001Z"),
    (0, 500_000_000, "1970-01-01T00:00:00.500Z"),
    (0, 999_999_999, "1970-01-01T00:00:00.999999999Z"),
    (-1, 0, "1969-12-31T23:59:59Z"),
    (-1, 999_000_000, "1969-12-31T23:59:59.999Z"),
    (-62_135_596_800, 0, "0001-01-01T00:00:00Z"),
    (253_402_300_799, 999_999_999, "9999-12-31T23:59:59.999999999Z"),
    (951_782_400, 0, "2000-02-29T00:00:00Z"),
])
def test_timestamp_text_is_json_formats(seconds, nanos, text):
    from google.protobuf.timestamp_pb2 import Timestamp

    from stateset.orders.v1 import events_pb2

    msg = events_pb2.OrderDelivered(order_id="o", delivered_at=Timestamp(seconds=seconds,
                                                                         nanos=nanos))
    assert dict(typed_attributes(msg))["delivered_at"] == '"' + text + '"'
    assert typed_attributes(msg) == attribute_texts(msg)
    # an unset Timestamp is omitted, like any unset message field
    assert "settlement_due" not in dict(typed_attributes(msg))


def test_out_of_range_timestamp_is_refused_not_written():
    from google.protobuf.timestamp_pb2 import Timestamp

    from stateset.orders.v1 import events_pb2

    msg = events_pb2.OrderDelivered(delivered_at=Timestamp(seconds=253_402_300_800))
    with pytest.raises(ValueError):
        typed_attributes(msg)
    with pytest.raises(json_format.SerializeToJsonError):
        reference(msg)


def test_timestamp_texts_are_kept_up_to_a_bound(monkeypatch):
    from google.protobuf.timestamp_pb2 import Timestamp

    from stateset_chain.cache import BoundedCache

    from stateset.orders.v1 import events_pb2

    texts: BoundedCache = BoundedCache(3)  # a cache: only speed depends on it
    monkeypatch.setattr(timefmt, "_json_texts", texts)
    for second in range(10):
        msg = events_pb2.OrderDelivered(delivered_at=Timestamp(seconds=second, nanos=second))
        assert typed_attributes(msg) == attribute_texts(msg)
        assert len(texts) <= 3


@settings(max_examples=150, deadline=None)
@given(
    metadata=st.dictionaries(TEXT, TEXT, max_size=6),
    times=st.lists(st.tuples(SECONDS, NANOS), min_size=3, max_size=3),
    timeline=st.lists(st.tuples(st.integers(1, 11), SECONDS, NANOS), max_size=3),
)
def test_orders_with_random_metadata_and_timestamps_match_json_format(metadata, times, timeline):
    from google.protobuf.timestamp_pb2 import Timestamp

    from stateset.orders.v1 import events_pb2, orders_pb2

    (c, cn), (u, un), (d, dn) = times
    order = a_order(
        metadata=metadata,
        created_at=Timestamp(seconds=c, nanos=cn),
        updated_at=Timestamp(seconds=u, nanos=un),
        shipping=orders_pb2.ShippingInfo(method="standard",
                                         estimated_delivery=Timestamp(seconds=d, nanos=dn)),
        timeline=[orders_pb2.TimelineEntry(status=status, height=i, time=Timestamp(
            seconds=s, nanos=n)) for i, (status, s, n) in enumerate(timeline)],
    )
    msg = events_pb2.OrderCreated(order=order)
    assert typed_attributes(msg) == attribute_texts(msg)
    assert parse_typed_event(typed_event(msg), events_pb2.OrderCreated) == msg


# Kinds no event uses yet, on cosmos messages: a Duration, a map of messages, a recursive type.

@settings(max_examples=50, deadline=None)
@given(data=st.data())
def test_durations_and_maps_of_messages_match_json_format(data):
    from cosmos.autocli.v1 import options_pb2
    from cosmos.staking.v1beta1 import staking_pb2

    for cls in (staking_pb2.Params, options_pb2.RpcCommandOptions):
        assert _compiled(cls.DESCRIPTOR) is not None
        msg = cls()
        fill(msg, data.draw)
        assert typed_attributes(msg) == attribute_texts(msg)


def test_a_type_that_contains_itself_falls_back_to_json_format():
    from cosmos.autocli.v1 import options_pb2

    msg = options_pb2.ServiceCommandDescriptor(service="s")
    msg.sub_commands["tx"].service = "t"
    msg.sub_commands["tx"].sub_commands["deep"].rpc_command_options.add(rpc_method="Send")
    assert _compiled(options_pb2.ServiceCommandDescriptor.DESCRIPTOR) is None
    assert typed_attributes(msg) == attribute_texts(msg)


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
