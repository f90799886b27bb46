"""The fast ``typed_attributes`` of ``stateset_chain/events.py`` (the reference: what the name
means). tests/fast/test_events.py holds both to the same attributes on every event type and on
generated events. (The fast event bytes are the wire's: ``fast/event_bytes.py``.)
"""

from __future__ import annotations

import base64

from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message

from stateset_chain import events as reference
from stateset_chain.fast import REFERENCES
from stateset_chain.timefmt import timestamp_json

REPLACES = ("typed_attributes",)
_quote = reference.json_string


def typed_attributes(msg: Message) -> list[tuple[str, str]]:
    fields = _compiled(msg.DESCRIPTOR)
    if fields is None:  # a field kind not compiled here
        return REFERENCES["stateset_chain.events.typed_attributes"](msg)  # type: ignore[no-any-return]
    return [
        (name, encode(getattr(msg, name)))
        for name, _, presence, encode in fields
        if not presence or msg.HasField(name)
    ]


# -- typed_attributes: proto3 JSON, compiled per message type -----------------------------------
# json_format.MessageToDict is generic and slow (~30 µs per event, ~100 µs for a whole order);
# events are small messages, so the field kinds they use are encoded here with exactly
# json_format's output, and anything unusual (floats, non-string map keys, well-known types other
# than Timestamp and Duration) is left to the reference.

_T = FieldDescriptor
_QUOTED_INTS = {_T.TYPE_INT64, _T.TYPE_UINT64, _T.TYPE_SINT64, _T.TYPE_FIXED64, _T.TYPE_SFIXED64}
_PLAIN = {_T.TYPE_INT32, _T.TYPE_UINT32, _T.TYPE_SINT32, _T.TYPE_FIXED32, _T.TYPE_SFIXED32,
          _T.TYPE_BOOL, _T.TYPE_STRING}
# Well-known types json_format writes as the string of their own ``ToJsonString()``.
_TIME_TYPES = ("google.protobuf.Timestamp", "google.protobuf.Duration")
_plans: dict[str, list | None] = {}


def _plan(descriptor) -> list | None:
    """Per message type: (name, kind, repeated, has_presence, field) or None when a field kind
    is not handled here (json_format then writes the JSON)."""
    full = descriptor.full_name
    if full not in _plans:
        _plans[full] = None  # while planning: a type that contains itself is left to json_format
        _plans[full] = None if full.startswith("google.protobuf.") else _plan_fields(descriptor)
    return _plans[full]


def _plan_fields(descriptor) -> list | None:
    plan = []
    for f in descriptor.fields:
        kind = _kind(f)
        if kind is None:
            return None
        repeated = f.label == _T.LABEL_REPEATED and kind != "map"
        presence = (not repeated) and f.has_presence  # a map field has no presence
        plan.append((f.name, kind, repeated, presence, f))
    return plan


def _kind(f) -> str | None:
    """How one value of field ``f`` is written, or None when json_format must write it."""
    if f.type in _QUOTED_INTS:
        return "qint"
    if f.type in _PLAIN:
        return "plain"
    if f.type == _T.TYPE_BYTES:
        return "bytes"
    if f.type == _T.TYPE_ENUM:
        return "enum"
    if f.type != _T.TYPE_MESSAGE:
        return None  # float, double
    sub = f.message_type
    if sub.full_name in _TIME_TYPES:
        return "time"
    if sub.GetOptions().map_entry:  # string keys only (json_format writes other keys as text)
        key, value = sub.fields_by_name["key"], sub.fields_by_name["value"]
        return "map" if key.type == _T.TYPE_STRING and _kind(value) is not None else None
    return "msg" if _plan(sub) is not None else None


# For the message types ``_plan`` accepts, each field is compiled once into a function that
# writes exactly what ``json.dumps(to_json_dict(msg)[name], separators=(",", ":"),
# sort_keys=True)`` would (nested keys sorted, strings ASCII-escaped).

_compiled_fields: dict[str, list | None] = {}


def _compiled(descriptor) -> list | None:
    """Per message type: (name, '"name":', has_presence, encode) sorted by name, where ``encode``
    takes the field's value (a list for a repeated field), or None when ``_plan`` leaves the type
    to the reference."""
    full = descriptor.full_name
    if full in _compiled_fields:
        return _compiled_fields[full]
    plan = _plan(descriptor)
    fields = None
    if plan is not None:
        fields = [
            (name, _quote(name) + ":", presence, _field_json(kind, f, repeated))
            for name, kind, repeated, presence, f in sorted(plan, key=lambda p: p[0])
        ]
    _compiled_fields[full] = fields
    return fields


def _field_json(kind: str, f, repeated: bool):
    """A function from the value of field ``f`` to its JSON text."""
    encode = _scalar_json(kind, f)
    if repeated:
        return lambda values: "[" + ",".join([encode(v) for v in values]) + "]"
    return encode


def _scalar_json(kind: str, f):
    """A function from one value of field ``f`` to its JSON text."""
    if kind == "plain":
        if f.type == _T.TYPE_STRING:
            return _quote
        if f.type == _T.TYPE_BOOL:
            return _json_bool
        return str  # 32-bit integers are JSON numbers
    if kind == "qint":
        return _quoted_int
    if kind == "bytes":
        return _json_bytes
    if kind == "enum":
        return _enum_json(f)
    if kind == "time":
        return _time_json(f.message_type.full_name)
    if kind == "map":
        value = f.message_type.fields_by_name["value"]
        value_kind = _kind(value)
        assert value_kind is not None  # (see _kind)
        return _map_json(_scalar_json(value_kind, value))
    fields = _compiled(f.message_type)
    assert fields is not None  # a parent compiles only if every nested type does (see _plan)
    return lambda v: _message_json(fields, v)


def _json_bool(v: bool) -> str:
    return "true" if v else "false"


def _quoted_int(v: int) -> str:
    return '"' + str(v) + '"'  # 64-bit integers are JSON strings in proto3 JSON


def _json_bytes(v: bytes) -> str:
    return '"' + base64.b64encode(v).decode() + '"'  # the base64 alphabet needs no escaping


def _enum_json(f):
    """A function from a number of ``f``'s enum to its JSON: the value's name, or the number when
    it names none (an open enum). The names are looked up once (descriptor lookups are slow)."""
    names = {n: _quote(ev.name) for n, ev in f.enum_type.values_by_number.items()}
    return lambda v: names.get(v) or str(v)


def _map_json(encode_value):
    """A function from a map with string keys to its JSON object, keys sorted (``sort_keys``)."""

    def encode(m) -> str:
        if not m:
            return "{}"  # (sorting an empty protobuf map costs ~1 µs)
        return "{" + ",".join([_quote(k) + ":" + encode_value(m[k]) for k in sorted(m)]) + "}"

    return encode


def _time_json(type_name: str):
    """A function from a Timestamp (or Duration) to its JSON: the quoted ``ToJsonString()``,
    which is what json_format writes (a Timestamp: ``timefmt.timestamp_json``)."""
    if type_name == "google.protobuf.Timestamp":
        return lambda v: '"' + timestamp_json(v.seconds, v.nanos) + '"'  # ASCII: nothing to escape
    return lambda v: _quote(v.ToJsonString())


def _message_json(fields: list, msg: Message) -> str:
    return "{" + ",".join([
        key + encode(getattr(msg, name))
        for name, key, presence, encode in fields
        if not presence or msg.HasField(name)
    ]) + "}"
