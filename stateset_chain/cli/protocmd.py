"""Subcommands generated from a module's protobuf services, so every message and query has one.

    statesetd tx <module> <rpc-name> FROM [--field VALUE ...]
    statesetd query <module> <rpc-name> [--field VALUE ...]

For ``service Msg`` each rpc becomes ``tx <module> <kebab-name>``; FROM (a key name) signs and
fills the message's first field, which is its signer by convention in our protos. For
``service Query`` each rpc becomes ``query <module> <kebab-name>``. Every other field is a flag
named after it (``--order-id``, ``--tracking-number``): scalars as plain text, messages and
repeated fields as JSON (``--items '[{"sku": "A1", "quantity": 2, "unit_price": "9.99"}]'``).
Values are checked by protobuf's own JSON parser, so a wrong field is a clear error.

Flags take what a user has at hand, the same way in every command:

- **enums** by their short name in any case (``--status paid``, ``--outcome REFUND_PARTIAL``); the
  full name (``ORDER_STATUS_PAID``) works too, and ``--help`` lists the values;
- **addresses** (``--customer``, ``--merchant``, ``--signer``, ...) as a bech32 address or the
  name of a key in the keyring (``--customer bob``);
- **amounts**: a coin field (``--amount`` of pay-order) and a base-unit amount field
  (``--amount`` of refund-order, ``--refund-amount``, ``--amount-min``/``--amount-max``) take a
  coin in base units (``40000000ussusd``) or a display amount (``40.00ssUSD``); base-unit fields
  also take a bare integer (base units); JSON still works for a coin;
- **inside JSON** (``--orders`` of a batch, ``--payments``, ``--revenue-split``) the same
  conventions hold for the nested fields: ``{"customer": "bob", "amount": "40.00ssUSD"}``;
- **partial params**: ``--params`` of update-params is merged over the chain's current params
  (top-level keys), so ``--params '{"platform_fee_bps": 300}'`` changes that field alone.
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

from stateset_chain.client import AMOUNT_HELP, ClientError, parse_coin
from stateset_chain.coins import parse_amount

_INTS = {
    FieldDescriptor.TYPE_INT32, FieldDescriptor.TYPE_UINT32, FieldDescriptor.TYPE_SINT32,
    FieldDescriptor.TYPE_FIXED32, FieldDescriptor.TYPE_SFIXED32,
}


def kebab(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def _flag(field: FieldDescriptor) -> str:
    return "--" + field.name.replace("_", "-")


# String fields that hold a bech32 address: a key name is resolved to its address.
ADDRESS_FIELDS = frozenset({
    "signer", "sender", "payer", "creator", "customer", "merchant", "recipient", "authority",
    "arbiter", "owner", "new_owner", "pending_owner", "pauser", "new_pauser", "token_controller",
    "new_token_controller", "attester_manager", "new_attester_manager", "address",
    "reserve_address", "supplier", "platform_address",
})
# String fields that hold an amount in base units (the denom is implied by the order or token).
BASE_UNIT_FIELDS = frozenset({"amount", "refund_amount", "amount_min", "amount_max"})
COIN_TYPE = "cosmos.base.v1beta1.Coin"


def enum_prefix(enum) -> str:
    """``ORDER_STATUS_`` for OrderStatus: the common prefix of the value names, up to a ``_``."""
    names = [v.name for v in enum.values]
    prefix = names[0]
    for name in names[1:]:
        while not name.startswith(prefix):
            prefix = prefix[:-1]
    return prefix[: prefix.rfind("_") + 1]


def enum_short_names(enum) -> list[str]:
    prefix = enum_prefix(enum)
    return [v.name.removeprefix(prefix) for v in enum.values if v.number != 0]


def _parse_enum(field: FieldDescriptor, text: str) -> str:
    enum = field.enum_type
    prefix = enum_prefix(enum)
    wanted = text.strip().upper()
    for v in enum.values:
        if wanted in (v.name, v.name.removeprefix(prefix)):
            return v.name
    raise ClientError(
        f"{_flag(field)}: {text!r} is not one of {', '.join(enum_short_names(enum))}"
    )


def base_units(text: str, flag: str = "amount") -> str:
    """A base-unit amount from ``1000``, ``1000ussusd`` or ``0.001ssUSD``: ``"1000"``."""
    text = text.strip()
    if text.isdigit():  # the chain's grammar of base units (canonical, at most 78 digits)
        try:
            return str(parse_amount(text, ValueError, field=flag, allow_zero=True))
        except ValueError as e:
            raise ClientError(str(e)) from None
    try:
        return str(parse_coin(text).amount)
    except ClientError as e:
        raise ClientError(f"{flag}: {e}") from None


def _coin_json(field: FieldDescriptor, text: str) -> Any:
    if text.lstrip().startswith("{"):
        return _json(field, text)
    coin = parse_coin(text)
    return {"denom": coin.denom, "amount": str(coin.amount)}


def _json(field: FieldDescriptor, text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise ClientError(f"{_flag(field)} takes JSON: {e}") from None


def _parse_value(field: FieldDescriptor, text: str) -> Any:
    is_repeated = field.label == FieldDescriptor.LABEL_REPEATED
    if field.type == FieldDescriptor.TYPE_MESSAGE and not is_repeated and (
        field.message_type.full_name == COIN_TYPE
    ):
        return _coin_json(field, text)
    if field.type == FieldDescriptor.TYPE_ENUM and not is_repeated:
        return _parse_enum(field, text)
    if field.type == FieldDescriptor.TYPE_STRING and field.name in BASE_UNIT_FIELDS:
        return base_units(text, _flag(field))
    if field.type == FieldDescriptor.TYPE_MESSAGE or is_repeated:
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


# How a command resolves a key name to an address (None: addresses only).
AddressResolver = Callable[[str], str]
# Per field name, the field's current value on chain as JSON (for partial updates).
CurrentValues = dict[str, Callable[[argparse.Namespace], dict]]


def message_data(
    cls: type[Message], args: argparse.Namespace, skip: str | None = None,
    resolve: AddressResolver | None = None, current: CurrentValues | None = None,
) -> dict[str, Any]:
    """The flags given for ``cls``'s fields, as protobuf JSON (not yet checked against it)."""
    data: dict[str, Any] = {}
    for field in cls.DESCRIPTOR.fields:
        if field.name == skip:
            continue
        text = getattr(args, "f_" + field.name, None)
        if text is None:
            continue
        if resolve is not None and field.name in ADDRESS_FIELDS and (
            field.type == FieldDescriptor.TYPE_STRING
        ):
            data[field.name] = resolve(text)
            continue
        value = _parse_value(field, text)
        if isinstance(value, (dict, list)) and field.type == FieldDescriptor.TYPE_MESSAGE:
            value = _normalized(field, value, resolve)
        if current and field.name in current:
            if not isinstance(value, dict):
                raise ClientError(f"{_flag(field)} takes a JSON object (the fields to change)")
            value = {**current[field.name](args), **value}
        data[field.name] = value
    return data


def parse_message(cls: type[Message], data: dict[str, Any]) -> Message:
    try:
        return json_format.ParseDict(data, cls())
    except json_format.ParseError as e:
        raise ClientError(f"invalid {cls.DESCRIPTOR.name}: {e}") from None


def build_message(
    cls: type[Message], args: argparse.Namespace, skip: str | None = None,
    resolve: AddressResolver | None = None, current: CurrentValues | None = None,
) -> Message:
    return parse_message(cls, message_data(cls, args, skip, resolve, current))


def _normalized(field: FieldDescriptor, value: Any, resolve: AddressResolver | None) -> Any:
    """JSON given for a message field, with the flags' conventions applied inside it too: in
    ``--orders`` of a batch, ``"customer": "bob"``, ``"amount": "40.00ssUSD"`` (a coin or a
    base-unit amount) and ``"status": "paid"`` mean what they mean as flags."""
    if field.label == FieldDescriptor.LABEL_REPEATED and isinstance(value, list):
        return [_normalized_one(field, v, resolve) for v in value]
    return _normalized_one(field, value, resolve)


def _normalized_one(field: FieldDescriptor, value: Any, resolve: AddressResolver | None) -> Any:
    if field.type != FieldDescriptor.TYPE_MESSAGE or field.message_type.GetOptions().map_entry:
        return value
    if field.message_type.full_name == COIN_TYPE:
        return _coin_json(field, value) if isinstance(value, str) else value
    if not isinstance(value, dict):
        return value  # protobuf's parser gives the error
    fields = field.message_type.fields_by_name
    out = {}
    for key, item in value.items():
        sub = fields.get(key)
        if sub is None or not isinstance(item, (str, dict, list)):
            out[key] = item
        elif isinstance(item, str) and sub.label != FieldDescriptor.LABEL_REPEATED:
            out[key] = _normalized_text(sub, item, resolve)
        else:
            out[key] = _normalized(sub, item, resolve)
    return out


def _normalized_text(field: FieldDescriptor, text: str, resolve: AddressResolver | None) -> Any:
    if field.type == FieldDescriptor.TYPE_STRING and field.name in ADDRESS_FIELDS:
        return resolve(text) if resolve is not None else text
    if field.type == FieldDescriptor.TYPE_STRING and field.name in BASE_UNIT_FIELDS:
        return base_units(text, field.name)
    if field.type == FieldDescriptor.TYPE_ENUM:
        return _parse_enum(field, text)
    if field.type == FieldDescriptor.TYPE_MESSAGE and field.message_type.full_name == COIN_TYPE:
        return _coin_json(field, text)
    return text


def _add_field_flags(
    p: argparse.ArgumentParser, cls: type[Message], skip: str | None,
    current: CurrentValues | None = None,
) -> None:
    for field in cls.DESCRIPTOR.fields:
        if field.name == skip:
            continue
        kind, help = _flag_help(field, current or {})
        p.add_argument(_flag(field), dest="f_" + field.name, metavar=kind, help=help)


def _flag_help(field: FieldDescriptor, current: CurrentValues) -> tuple[str, str | None]:
    repeated = field.label == FieldDescriptor.LABEL_REPEATED
    if field.type == FieldDescriptor.TYPE_ENUM and not repeated:
        return "VALUE", f"one of {', '.join(enum_short_names(field.enum_type))} (any case)"
    if field.type == FieldDescriptor.TYPE_MESSAGE and not repeated and (
        field.message_type.full_name == COIN_TYPE
    ):
        return "AMOUNT", AMOUNT_HELP
    if field.type == FieldDescriptor.TYPE_STRING and field.name in BASE_UNIT_FIELDS:
        return "AMOUNT", "base units (1000), or " + AMOUNT_HELP
    if field.type == FieldDescriptor.TYPE_STRING and field.name in ADDRESS_FIELDS:
        return "ADDRESS", "a bech32 address or a key name"
    if field.name in current:
        return "JSON", "the fields to change, merged over the current value on chain"
    if field.type == FieldDescriptor.TYPE_MESSAGE or repeated:
        return "JSON", _json_help(field)
    return field.name.upper(), None


def _json_help(field: FieldDescriptor) -> str:
    """What a JSON flag takes, from its message's own fields: ``a JSON list of LineItem
    {sku, name, quantity, unit_price, ...}``; a map field: ``a JSON object {key: value}``."""
    if field.type != FieldDescriptor.TYPE_MESSAGE:
        return "a JSON list of values"
    message = field.message_type
    if message.GetOptions().map_entry:
        return "a JSON object {key: value}"
    names = ", ".join(f.name for f in message.fields)
    shape = f"{message.name} {{{names}}}"
    if field.label == FieldDescriptor.LABEL_REPEATED:
        return f"a JSON list of {shape}"
    return f"a JSON {shape}"


def add_tx_commands(
    group, tx_module, parents: Sequence[argparse.ArgumentParser],
    broadcast: Callable[[argparse.Namespace, Callable[[str], list]], int],
    resolver: Callable[[argparse.Namespace], AddressResolver] | None = None,
    current: CurrentValues | None = None,
) -> None:
    """``resolver(args)``: how key names become addresses; ``current``: fields merged over their
    value on chain (update-params' ``params``)."""
    service = tx_module.DESCRIPTOR.services_by_name["Msg"]
    for method in service.methods:
        cls = GetMessageClass(method.input_type)
        signer = cls.DESCRIPTOR.fields[0].name
        p = group.add_parser(
            kebab(method.name), parents=parents, help=f"sign and send {cls.DESCRIPTOR.name}"
        )
        p.add_argument("sender", metavar="FROM", help=f"key name in the keyring (sets {signer})")
        merged = {k: v for k, v in (current or {}).items() if k in cls.DESCRIPTOR.fields_by_name}
        _add_field_flags(p, cls, signer, merged)

        def run(args, cls=cls, signer=signer, merged=merged):
            resolve = resolver(args) if resolver is not None else None
            msg = build_message(cls, args, skip=signer, resolve=resolve, current=merged)
            return broadcast(args, lambda sender: [_with_signer(msg, signer, sender)])

        p.set_defaults(func=run)


def _with_signer(msg: Message, field: str, sender: str) -> Message:
    setattr(msg, field, sender)
    return msg


def add_query_commands(
    group, query_module, parents: Sequence[argparse.ArgumentParser],
    run_query: Callable[[argparse.Namespace, str, Message, type[Message]], int],
    aliases: dict[str, str] | None = None,
    resolver: Callable[[argparse.Namespace], AddressResolver] | None = None,
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
            resolve = resolver(args) if resolver is not None else None
            request = build_message(request_cls, args, resolve=resolve)
            return run_query(args, path, request, response_cls)

        p.set_defaults(func=run)
