"""Subcommands generated from a module's protobuf services, so every message and query has one.

    statesetd tx <module> <rpc-name> FROM [--field VALUE ...]
    statesetd query <module> <rpc-name> [--field VALUE ...]

For ``service Msg`` each rpc becomes ``tx <module> <kebab-name>``; FROM (a key name) signs and
fills the message's first field, which is its signer by convention in our protos. For
``service Query`` each rpc becomes ``query <module> <kebab-name>``. Every other field is a flag
named after it (``--order-id``, ``--tracking-number``): scalars as plain text, messages and
repeated fields as JSON (``--items '[{"sku": "A1", "quantity": 2, "unit_price": "9.99"}]'``).
Values are checked by protobuf's own JSON parser, so a wrong field is a clear error.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Callable, Sequence
from typing import Any

from google.protobuf import json_format
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message
from google.protobuf.message_factory import GetMessageClass

from stateset_chain.client import ClientError

_INTS = {
    FieldDescriptor.TYPE_INT32, FieldDescriptor.TYPE_UINT32, FieldDescriptor.TYPE_SINT32,
    FieldDescriptor.TYPE_FIXED32, FieldDescriptor.TYPE_SFIXED32,
}


def kebab(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def _flag(field: FieldDescriptor) -> str:
    return "--" + field.name.replace("_", "-")


def _parse_value(field: FieldDescriptor, text: str) -> Any:
    if field.type == FieldDescriptor.TYPE_MESSAGE or field.label == FieldDescriptor.LABEL_REPEATED:
        try:
            return json.loads(text)
        except json.JSONDecodeError as e:
            raise ClientError(f"{_flag(field)} takes JSON: {e}") from None
    if field.type == FieldDescriptor.TYPE_BOOL:
        if text not in ("true", "false"):
            raise ClientError(f"{_flag(field)} takes true or false, got {text!r}")
        return text == "true"
    if field.type in _INTS:
        try:
            return int(text)
        except ValueError:
            raise ClientError(f"{_flag(field)} takes an integer, got {text!r}") from None
    return text  # strings, 64-bit integers (JSON strings), enums by name, bytes as base64


def message_data(
    cls: type[Message], args: argparse.Namespace, skip: str | None = None
) -> dict[str, Any]:
    """The flags given for ``cls``'s fields, as protobuf JSON (not yet checked against it)."""
    data: dict[str, Any] = {}
    for field in cls.DESCRIPTOR.fields:
        if field.name == skip:
            continue
        text = getattr(args, "f_" + field.name, None)
        if text is not None:
            data[field.name] = _parse_value(field, text)
    return data


def parse_message(cls: type[Message], data: dict[str, Any]) -> Message:
    try:
        return json_format.ParseDict(data, cls())
    except json_format.ParseError as e:
        raise ClientError(f"invalid {cls.DESCRIPTOR.name}: {e}") from None


def build_message(
    cls: type[Message], args: argparse.Namespace, skip: str | None = None
) -> Message:
    data = message_data(cls, args, skip)
    try:
        return json_format.ParseDict(data, cls())
    except json_format.ParseError as e:
        raise ClientError(f"invalid {cls.DESCRIPTOR.name}: {e}") from None


def _add_field_flags(p: argparse.ArgumentParser, cls: type[Message], skip: str | None) -> None:
    for field in cls.DESCRIPTOR.fields:
        if field.name == skip:
            continue
        kind = "JSON" if (
            field.type == FieldDescriptor.TYPE_MESSAGE
            or field.label == FieldDescriptor.LABEL_REPEATED
        ) else field.name.upper()
        p.add_argument(_flag(field), dest="f_" + field.name, metavar=kind)


def add_tx_commands(
    group, tx_module, parents: Sequence[argparse.ArgumentParser],
    broadcast: Callable[[argparse.Namespace, Callable[[str], list]], int],
) -> None:
    service = tx_module.DESCRIPTOR.services_by_name["Msg"]
    for method in service.methods:
        cls = GetMessageClass(method.input_type)
        signer = cls.DESCRIPTOR.fields[0].name
        p = group.add_parser(
            kebab(method.name), parents=parents, help=f"sign and send {cls.DESCRIPTOR.name}"
        )
        p.add_argument("sender", metavar="FROM", help=f"key name in the keyring (sets {signer})")
        _add_field_flags(p, cls, signer)

        def run(args, cls=cls, signer=signer):
            msg = build_message(cls, args, skip=signer)
            return broadcast(args, lambda sender: [_with_signer(msg, signer, sender)])

        p.set_defaults(func=run)


def _with_signer(msg: Message, field: str, sender: str) -> Message:
    setattr(msg, field, sender)
    return msg


def add_query_commands(
    group, query_module, parents: Sequence[argparse.ArgumentParser],
    run_query: Callable[[argparse.Namespace, str, Message, type[Message]], int],
    aliases: dict[str, str] | None = None,
) -> None:
    service = query_module.DESCRIPTOR.services_by_name["Query"]
    aliases = aliases or {}
    for method in service.methods:
        request_cls = GetMessageClass(method.input_type)
        response_cls = GetMessageClass(method.output_type)
        name = kebab(method.name)
        p = group.add_parser(
            name, parents=parents, aliases=[a for a, m in aliases.items() if m == name],
            help=f"{service.full_name}/{method.name}",
        )
        _add_field_flags(p, request_cls, None)
        path = f"/{service.full_name}/{method.name}"

        def run(args, path=path, request_cls=request_cls, response_cls=response_cls):
            return run_query(args, path, build_message(request_cls, args), response_cls)

        p.set_defaults(func=run)
