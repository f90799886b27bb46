"""Typed events, encoded the way the Cosmos SDK's ``EmitTypedEvent`` does.

An event's type is the message's full protobuf name (``stateset.bank.v1.CoinsTransferred``); each
attribute key is a proto field name and its value is that field's JSON (strings quoted, 64-bit
integers as quoted strings, defaults included), keys sorted. The app appends ``msg_index`` to the
events of message i. Standard Cosmos tooling (``ParseTypedEvent``) reads them back.

The core's events are its own plain values (``Event``: a type and (key, value) attributes, every
attribute indexed); ``stateset_chain.abci.events`` turns them into ``tendermint.abci.Event``
protobufs and bytes at the wire.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from google.protobuf import json_format
from google.protobuf.message import Message

_ENCODER = json.JSONEncoder(separators=(",", ":"), sort_keys=True)
_quote = json.encoder.encode_basestring_ascii  # what json.dumps does to a str, in C
json_string = _quote  # a str as JSON text, as json.dumps writes it (ASCII, escaped)


@dataclass(frozen=True, slots=True)
class Attribute:
    """One event attribute, indexed (CometBFT's ``tx_search`` matches it); it unpacks as the
    (key, value) pair it was emitted as."""

    key: str
    value: str

    @property
    def index(self) -> bool:
        return True

    def __iter__(self) -> Iterator[str]:
        yield self.key
        yield self.value


class Event(NamedTuple):
    """An event: its type and its attributes in order, each a (key, value) pair (an
    ``Attribute`` once read through ``EventManager.events``)."""

    type: str
    attributes: Iterable[tuple[str, str] | Attribute]


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


def typed_event(msg: Message) -> Event:
    return _readable(Event(msg.DESCRIPTOR.full_name, typed_attributes(msg)))


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


def parse_typed_event(event, cls: type[Message]) -> Message:
    """The inverse of ``typed_event`` (ignores ``msg_index`` and unknown attributes); ``event``
    is an ``Event`` or anything with its ``type`` and keyed ``attributes`` (an ABCI event)."""
    if event.type != cls.DESCRIPTOR.full_name:
        raise ValueError(f"event {event.type} is not {cls.DESCRIPTOR.full_name}")
    names = {f.name for f in cls.DESCRIPTOR.fields}
    data = {a.key: json.loads(a.value) for a in event.attributes if a.key in names}
    return json_format.ParseDict(data, cls())


class EventManager:
    """Collects events in emission order.

    Events are kept as given (an ``Event`` whose attributes are the list the emitter built), so
    the hot path builds no object per attribute; ``stateset_chain.abci`` writes them straight
    into its tx results (``emitted()``). Reading ``events`` turns every attribute into an
    ``Attribute`` in place, and from then on every emitted event is stored so, so a caller
    holding that list sees the same events either way.
    """

    def __init__(self) -> None:
        self._events: list[Event] = []
        self._readable = False  # True once ``events`` was read

    @property
    def events(self) -> list[Event]:
        """The events, each attribute an ``Attribute`` (with ``key``, ``value``, ``index``)."""
        if not self._readable:
            self._events[:] = [_readable(e) for e in self._events]
            self._readable = True
        return self._events

    def emitted(self) -> list[Event]:
        """The events as stored, in order (attributes (key, value) pairs or ``Attribute``s):
        for the wire encoders, which read both alike."""
        return self._events

    def emit(self, msg: Message) -> None:
        self.emit_pending(msg.DESCRIPTOR.full_name, typed_attributes(msg))

    def emit_pending(self, type_: str, attributes: list[tuple[str, str]]) -> None:
        """An event of ``type_`` whose attributes (key, value) are all indexed (the list is kept
        as given, not copied)."""
        event = Event(type_, attributes)
        self._events.append(_readable(event) if self._readable else event)

    def emit_raw(self, event: Event) -> None:
        """An event already built (re-emitting another manager's ``events``)."""
        self._events.append(_readable(event) if self._readable else event)


def _readable(event: Event) -> Event:
    return Event(event.type, [Attribute(k, v) for k, v in event.attributes])


# -- fast paths ----------------------------------------------------------------------------------
# The same names, faster (stateset_chain/fast/events.py); the definitions above are the reference.
from stateset_chain import fast as _fast  # noqa: E402
from stateset_chain.fast import events as _fast_events  # noqa: E402

_fast.install(globals(), _fast_events)
