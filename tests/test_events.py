"""Typed events: the fast JSON encoder agrees with json_format on every event type we emit."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from google.protobuf import json_format
from hypothesis import given, settings
from hypothesis import strategies as st

import stateset_chain.pb  # noqa: F401
from stateset_chain.events import parse_typed_event, to_json_dict, typed_event

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
