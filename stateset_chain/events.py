"""Typed events, encoded the way the Cosmos SDK's ``EmitTypedEvent`` does.

An event's type is the message's full protobuf name (``stateset.bank.v1.CoinsTransferred``); each
attribute key is a proto field name and its value is that field's JSON (strings quoted, 64-bit
integers as quoted strings, defaults included), keys sorted. The app appends ``msg_index`` to the
events of message i. Standard Cosmos tooling (``ParseTypedEvent``) reads them back.
"""

from __future__ import annotations

import json

from google.protobuf import json_format
from google.protobuf.message import Message

import stateset_chain.pb  # noqa: F401
from stateset_chain.protowire import encode_varint

from tendermint.abci import types_pb2 as abci

_ENCODER = json.JSONEncoder(separators=(",", ":"), sort_keys=True)
_quote = json.encoder.encode_basestring_ascii  # what json.dumps does to a str, in C
json_string = _quote  # a str as JSON text, as json.dumps writes it (ASCII, escaped)


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
    return _to_event((msg.DESCRIPTOR.full_name, typed_attributes(msg)))


def typed_attributes(msg: Message) -> list[tuple[str, str]]:
    """The event attributes of ``msg``: (field name, JSON of its value), sorted by name; the
    value is what ``json.dumps`` writes for ``json_format``'s dict of the message (proto field
    names, fields without presence included at their defaults, nested keys sorted)."""
    values = to_json_dict(msg)
    return [(k, _json(values[k])) for k in sorted(values)]


def to_json_dict(msg: Message) -> dict:
    """``json_format``'s dict of ``msg`` (proto field names, defaults included)."""
    return json_format.MessageToDict(
        msg, preserving_proto_field_name=True, always_print_fields_with_no_presence=True
    )




def parse_typed_event(event: abci.Event, cls: type[Message]) -> Message:
    """The inverse of ``typed_event`` (ignores ``msg_index`` and unknown attributes)."""
    if event.type != cls.DESCRIPTOR.full_name:
        raise ValueError(f"event {event.type} is not {cls.DESCRIPTOR.full_name}")
    names = {f.name for f in cls.DESCRIPTOR.fields}
    data = {a.key: json.loads(a.value) for a in event.attributes if a.key in names}
    return json_format.ParseDict(data, cls())


# An event not yet turned into protobuf: (type, [(key, value), ...]), every attribute indexed.
PendingEvent = tuple[str, list[tuple[str, str]]]


class EventManager:
    """Collects events in emission order.

    Building ``abci.Event`` objects is costly (each attribute is a protobuf message, copied again
    into the tx result), so typed events are kept as plain (type, attributes) pairs that the app
    serializes straight into its tx result (``encode_into``; ``write_to`` adds them to a protobuf
    repeated field instead). Reading ``events`` turns them into ``abci.Event`` objects in place,
    and from then on every emitted event is stored as one, so a caller holding that list sees the
    same events either way.
    """

    def __init__(self) -> None:
        self._events: list[abci.Event | PendingEvent] = []
        self._as_protos = False  # True once ``events`` was read

    @property
    def events(self) -> list[abci.Event]:
        if not self._as_protos:
            self._events[:] = [_to_event(e) for e in self._events]
            self._as_protos = True
        return self._events  # type: ignore[return-value]

    def emit(self, msg: Message) -> None:
        self.emit_pending(msg.DESCRIPTOR.full_name, typed_attributes(msg))

    def emit_pending(self, type_: str, attributes: list[tuple[str, str]]) -> None:
        """An event of ``type_`` whose attributes (key, value) are all indexed (the list is kept
        as given, not copied)."""
        event = (type_, attributes)
        self._events.append(_to_event(event) if self._as_protos else event)

    def emit_raw(self, event: abci.Event) -> None:
        self._events.append(event)

    def write_to(self, out, extra: tuple[tuple[str, str], ...] = ()) -> None:
        """Appends every event to ``out`` (a repeated ``abci.Event`` field), each followed by the
        indexed ``extra`` attributes (the app's ``msg_index``)."""
        for event in self._events:
            if isinstance(event, tuple):
                type_, attributes = event
                add = out.add(type=type_).attributes.add
            else:
                copy = out.add()
                copy.CopyFrom(event)
                add = copy.attributes.add
                attributes = ()
            for key, value in attributes:
                add(key=key, value=value, index=True)
            for key, value in extra:
                add(key=key, value=value, index=True)

    def encode_into(
        self, out: list[bytes], tag: bytes, extra: tuple[tuple[str, str], ...] = ()
    ) -> None:
        """Appends to ``out`` every event as a length-delimited field ``tag`` (e.g.
        ``ExecTxResult.events``), each followed by the indexed ``extra`` attributes: what
        ``write_to`` would add, serialized."""
        for event in self._events:
            if isinstance(event, tuple):
                encode_event_into(out, tag, event[0], event[1], extra)
            else:  # attributes are field 2, after the type: appending more attributes is valid
                data = event.SerializeToString(deterministic=True) + encode_event("", (), extra)
                out.append(tag + encode_varint(len(data)))
                out.append(data)


def _to_event(event: abci.Event | PendingEvent) -> abci.Event:
    if not isinstance(event, tuple):
        return event
    type_, attributes = event
    return abci.Event(
        type=type_,
        attributes=[abci.EventAttribute(key=k, value=v, index=True) for k, v in attributes],
    )


# -- wire encoding -------------------------------------------------------------------------------
# A block's results hold thousands of event attributes, so the app writes its tx results' bytes
# itself instead of building protobuf messages (``EventManager.encode_into``).


def encode_event(type_: str, attributes, extra=()) -> bytes:
    """The wire bytes of ``abci.Event(type=type_, attributes=[EventAttribute(key, value,
    index=True) for each (key, value) of attributes, then extra])``."""
    return _to_event((type_, [*attributes, *extra])).SerializeToString(deterministic=True)


def encode_event_into(out: list[bytes], tag: bytes, type_: str, attributes, extra=()) -> None:
    """Appends to ``out`` the pieces of ``encode_event(...)`` as a length-delimited field
    ``tag`` (e.g. ``ExecTxResult.events``); the caller joins them once."""
    data = _to_event((type_, [*attributes, *extra])).SerializeToString(deterministic=True)
    out.append(tag + encode_varint(len(data)))
    out.append(data)


# -- fast paths ----------------------------------------------------------------------------------
# The same names, faster (stateset_chain/fast/events.py); the definitions above are the reference.
from stateset_chain import fast as _fast  # noqa: E402
from stateset_chain.fast import events as _fast_events  # noqa: E402

_fast.install(globals(), _fast_events)
