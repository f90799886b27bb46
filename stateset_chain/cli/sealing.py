"""The CLI's transparent sealing and opening of personal data (docs/privacy.md).

    statesetd tx orders create-order FROM --shipping-address '{"name": ..., "line1": ..., ...}'
        [--email E --phone P --billing-address JSON --private-metadata JSON --note N]
    statesetd tx orders batch-create-orders FROM --orders '[{... the same keys per order ...}]'
        the address is split: country and region stay public, the rest is sealed to the
        merchant's registered key (and the customer's, when it has one) before signing
    statesetd tx orders ship-order FROM --order-id ID --carrier C --tracking-number T
        the tracking number is sealed to the order's merchant and customer (never sent in clear)
    statesetd query orders get|list [--as KEY]
        ``personal_data`` and ``shipping.tracking`` shown opened with the keyring's encryption
        keys (all of them, or only KEY's) when one of them is a recipient, else
        ``{"sealed_to", "commitment", "redacted"}``
    statesetd tx privacy register-key FROM [--rotate]
        publishes FROM's newest X25519 key (creating one first, or a new one with --rotate)
    statesetd keys destroy-retired-encryption-keys NAME
        deletes every X25519 key of NAME but the newest (the erasure step of the customer)
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from stateset_chain.cli import protocmd
from stateset_chain.cli.keyring import Keyring
from stateset_chain.client import ClientError, NodeClient, msg_register_encryption_key
from stateset_chain.privacy.client import (
    PersonalDataError,
    reveal,
    seal_order,
    seal_tracking,
    split_order,
)

from stateset.orders.v1 import tx_pb2 as orders_tx

_TEXT_FLAGS = ("email", "phone", "note")
_JSON_FLAGS = ("billing_address", "private_metadata")

Broadcast = Callable[[argparse.Namespace, Callable[[str], list]], int]


def add_create_flags(group, broadcast: Broadcast) -> None:
    """Hooks the generated ``create-order`` / ``batch-create-orders`` commands."""
    p = group.choices["create-order"]
    for name in _TEXT_FLAGS:
        p.add_argument("--" + name.replace("_", "-"), dest="p_" + name, metavar=name.upper(),
                       help="personal data: sealed to the merchant (and the customer)")
    for name in _JSON_FLAGS:
        p.add_argument("--" + name.replace("_", "-"), dest="p_" + name, metavar="JSON",
                       help="personal data: sealed to the merchant (and the customer)")
    p.set_defaults(func=lambda args: _create_order(args, broadcast))
    group.choices["batch-create-orders"].set_defaults(
        func=lambda args: _batch_create(args, broadcast)
    )


def add_ship_flags(group, broadcast: Broadcast) -> None:
    """Hooks the generated ``ship-order`` command: ``--tracking-number`` is sealed."""
    p = group.choices["ship-order"]
    p.add_argument("--tracking-number", dest="p_tracking_number", metavar="TRACKING",
                   help="sealed to the order's merchant (and customer) before signing")
    p.set_defaults(func=lambda args: _ship_order(args, broadcast))


def _ship_order(args: argparse.Namespace, broadcast: Broadcast) -> int:
    data = protocmd.message_data(orders_tx.MsgShipOrder, args, skip="signer")
    number = getattr(args, "p_tracking_number", None)
    client = NodeClient(args.node)

    def build(sender: str) -> list:
        msg = protocmd.parse_message(orders_tx.MsgShipOrder, data)
        msg.signer = sender
        if number:
            order = client.order(msg.order_id)
            try:
                seal_tracking(msg, number, order, chain_id=args.chain_id or client.chain_id(),
                              lookup=client.encryption_key)
            except PersonalDataError as e:
                raise ClientError(str(e)) from None
        return [msg]

    return broadcast(args, build)


def _personal_flags(args: argparse.Namespace) -> dict[str, Any]:
    import json

    out: dict[str, Any] = {}
    for name in _TEXT_FLAGS:
        value = getattr(args, "p_" + name, None)
        if value:
            out[name] = value
    for name in _JSON_FLAGS:
        value = getattr(args, "p_" + name, None)
        if value:
            try:
                out[name] = json.loads(value)
            except json.JSONDecodeError as e:
                raise ClientError(f"--{name.replace('_', '-')} takes JSON: {e}") from None
    return out


def _sealed(
    client: NodeClient, chain_id: str | None, order: dict[str, Any], creator: str
) -> orders_tx.MsgCreateOrder:
    try:
        public, data = split_order(order)
    except PersonalDataError as e:
        raise ClientError(str(e)) from None
    msg = protocmd.parse_message(orders_tx.MsgCreateOrder, public)
    if creator:
        msg.creator = creator
    if data is not None:
        try:
            seal_order(msg, data, chain_id=chain_id or client.chain_id(),
                       lookup=client.encryption_key)
        except PersonalDataError as e:
            raise ClientError(str(e)) from None
    return msg


def _resolver(args: argparse.Namespace) -> protocmd.AddressResolver:
    from stateset_chain.cli.main import resolver  # (main imports this module)

    return resolver(args)


def _create_order(args: argparse.Namespace, broadcast: Broadcast) -> int:
    order = protocmd.message_data(
        orders_tx.MsgCreateOrder, args, skip="creator", resolve=_resolver(args)
    )
    order.update(_personal_flags(args))
    client = NodeClient(args.node)
    return broadcast(args, lambda sender: [_sealed(client, args.chain_id, order, sender)])


def _batch_create(args: argparse.Namespace, broadcast: Broadcast) -> int:
    data = protocmd.message_data(
        orders_tx.MsgBatchCreateOrders, args, skip="creator", resolve=_resolver(args)
    )
    client = NodeClient(args.node)

    def build(sender: str) -> list:
        orders = [_sealed(client, args.chain_id, o, "") for o in data.get("orders", [])]
        return [orders_tx.MsgBatchCreateOrders(creator=sender, orders=orders)]

    return broadcast(args, build)


def add_reveal_flags(group) -> None:
    for name in ("order", "orders"):
        group.choices[name].add_argument(
            "--as", dest="as_key", metavar="KEY",
            help="open personal data with this key's encryption keys only (default: every key "
                 "in the keyring)",
        )


def local_keys(keyring: Keyring, only: str | None) -> dict[str, list]:
    """Recipient address -> its X25519 private keys, from the keyring."""
    names = [only] if only else [k.name for k in keyring.list()]
    out: dict[str, list] = {}
    for name in names:
        keys = keyring.encryption_keys(name)
        if keys:
            out[keyring.show(name).address] = keys
    return out


def revealed(args: argparse.Namespace, client: NodeClient, response, out: dict) -> dict:
    """The query's JSON with every order's personal data opened or redacted."""
    keys = local_keys(Keyring(args.keyring_dir), getattr(args, "as_key", None))
    chain_id = getattr(args, "chain_id", None) or client.chain_id()
    if "order" in out:
        out["order"] = reveal(out["order"], response.order, chain_id=chain_id, keys=keys)
    if "orders" in out:
        out["orders"] = [
            reveal(d, o, chain_id=chain_id, keys=keys)
            for d, o in zip(out["orders"], response.orders, strict=True)
        ]
    return out


def add_privacy_tx(sub, parents, broadcast: Broadcast) -> None:
    p = sub.add_parser("register-key", parents=parents,
                       help="publish FROM's X25519 encryption key (orders seal addresses to it)")
    p.add_argument("sender", metavar="FROM", help="key name in the keyring")
    p.add_argument("--rotate", action="store_true",
                   help="make a new key first (older ones stay until destroyed)")
    p.set_defaults(func=lambda args: _register_key(args, broadcast))


def _register_key(args: argparse.Namespace, broadcast: Broadcast) -> int:
    keyring = Keyring(args.keyring_dir)
    keys = keyring.encryption_keys(args.sender)
    key = keyring.new_encryption_key(args.sender) if args.rotate or not keys else keys[-1]
    public = key.public_key().public_bytes_raw()
    return broadcast(args, lambda sender: [msg_register_encryption_key(sender, public)])
