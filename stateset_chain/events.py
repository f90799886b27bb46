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

from tendermint.abci import types_pb2 as abci


def typed_event(msg: Message) -> abci.Event:
    fields = json_format.MessageToDict(
        msg, preserving_proto_field_name=True, always_print_fields_with_no_presence=True
    )
    attrs = [
        abci.EventAttribute(
            key=k, value=json.dumps(fields[k], separators=(",", ":"), sort_keys=True), index=True
        )
        for k in sorted(fields)
    ]
    return abci.Event(type=msg.DESCRIPTOR.full_name, attributes=attrs)


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
