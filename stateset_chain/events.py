"""Typed events, encoded the way the Cosmos SDK's ``EmitTypedEvent`` does.

An event's type is the message's full protobuf name (``stateset.bank.v1.CoinsTransferred``); each
attribute key is a proto field name and its value is that field's JSON (strings quoted, 64-bit
integers as quoted strings, defaults included), keys sorted. The app appends ``msg_index`` to the
events of message i. Standard Cosmos tooling (``ParseTypedEvent``) reads them back.
"""

from __future__ import annotations

import base64
import json

from google.protobuf import json_format
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message

import stateset_chain.pb  # noqa: F401

from tendermint.abci import types_pb2 as abci

_ENCODER = json.JSONEncoder(separators=(",", ":"), sort_keys=True)
_quote = json.encoder.encode_basestring_ascii  # what json.dumps does to a str, in C


def _json(value) -> str:
    """``json.dumps(value, separators=(",", ":"), sort_keys=True)``, quicker for scalars."""
    if isinstance(value, str):
        return _quote(value)
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is int:
        return str(value)
    return _ENCODER.encode(value)


def typed_event(msg: Message) -> abci.Event:
    fields = to_json_dict(msg)
    attrs = [abci.EventAttribute(key=k, value=_json(fields[k]), index=True) for k in sorted(fields)]
    return abci.Event(type=msg.DESCRIPTOR.full_name, attributes=attrs)


# -- proto3 JSON, fast --------------------------------------------------------------------------
# json_format.MessageToDict is generic and slow (~30 µs per event); events are small flat messages,
# so the common field kinds are encoded here with exactly json_format's output (tests compare the
# two), and anything unusual (maps, floats, well-known types) falls back to json_format.

_T = FieldDescriptor
_QUOTED_INTS = {_T.TYPE_INT64, _T.TYPE_UINT64, _T.TYPE_SINT64, _T.TYPE_FIXED64, _T.TYPE_SFIXED64}
_PLAIN = {_T.TYPE_INT32, _T.TYPE_UINT32, _T.TYPE_SINT32, _T.TYPE_FIXED32, _T.TYPE_SFIXED32,
          _T.TYPE_BOOL, _T.TYPE_STRING}
_plans: dict[str, list | None] = {}


def _plan(descriptor) -> list | None:
    """Per message type: (name, kind, repeated, has_presence, sub-descriptor) or None (fallback)."""
    full = descriptor.full_name
    if full in _plans:
        return _plans[full]
    plan: list | None = []
    if full.startswith("google.protobuf."):
        plan = None
    else:
        for f in descriptor.fields:
            repeated = f.label == _T.LABEL_REPEATED
            if f.type in _QUOTED_INTS:
                kind = "qint"
            elif f.type in _PLAIN:
                kind = "plain"
            elif f.type == _T.TYPE_BYTES:
                kind = "bytes"
            elif f.type == _T.TYPE_ENUM:
                kind = "enum"
            elif f.type == _T.TYPE_MESSAGE and not f.message_type.GetOptions().map_entry:
                if _plan(f.message_type) is None:
                    plan = None
                    break
                kind = "msg"
            else:
                plan = None
                break
            presence = (not repeated) and f.has_presence
            plan.append((f.name, kind, repeated, presence, f))
    _plans[full] = plan
    return plan


def _value(kind: str, f, v):
    if kind == "plain":
        return v
    if kind == "qint":
        return str(v)
    if kind == "bytes":
        return base64.b64encode(v).decode()
    if kind == "enum":
        ev = f.enum_type.values_by_number.get(v)
        return ev.name if ev is not None else v
    return to_json_dict(v)


def to_json_dict(msg: Message) -> dict:
    """``json_format.MessageToDict(msg, preserving_proto_field_name=True,
    always_print_fields_with_no_presence=True)``, fast for plain messages."""
    plan = _plan(msg.DESCRIPTOR)
    if plan is None:
        return json_format.MessageToDict(
            msg, preserving_proto_field_name=True, always_print_fields_with_no_presence=True
        )
    out = {}
    for name, kind, repeated, presence, f in plan:
        if presence and not msg.HasField(name):
            continue
        v = getattr(msg, name)
        out[name] = [_value(kind, f, x) for x in v] if repeated else _value(kind, f, v)
    return out


def parse_typed_event(event: abci.Event, cls: type[Message]) -> Message:
    """The inverse of ``typed_event`` (ignores ``msg_index`` and unknown attributes)."""
    if event.type != cls.DESCRIPTOR.full_name:
        raise ValueError(f"event {event.type} is not {cls.DESCRIPTOR.full_name}")
    names = {f.name for f in cls.DESCRIPTOR.fields}
    data = {a.key: json.loads(a.value) for a in event.attributes if a.key in names}
    return json_format.ParseDict(data, cls())


class EventManager:
    """Collects events in emission order."""

    def __init__(self) -> None:
        self.events: list[abci.Event] = []

    def emit(self, msg: Message) -> None:
        self.events.append(typed_event(msg))

    def emit_raw(self, event: abci.Event) -> None:
        self.events.append(event)
