"""Client helpers that make sealing transparent: an order written with its address in clear
becomes a MsgCreateOrder whose personal fields are sealed, and a stored order is shown opened to
its merchant and customer, redacted to everyone else.

- ``split_order(order_json)``: an order as a person writes it (MsgCreateOrder JSON, with a full
  ``shipping_address`` and optionally ``email``, ``phone``, ``billing_address``,
  ``private_metadata``, ``note``) -> (the public MsgCreateOrder JSON, the ``PersonalData`` or
  None). The public address keeps only ``country`` and ``region``.
- ``seal_order(msg, data, chain_id=..., lookup=...)``: fills ``msg.personal_data``, sealed to the
  merchant's registered key (required) and the customer's (when it has one). ``lookup(address)``
  returns an ``EncryptionKey`` or None (``NodeClient.encryption_key`` does).
- ``seal_tracking(msg, tracking_number, order, chain_id=..., lookup=...)``: fills
  ``MsgShipOrder.tracking`` with the tracking number sealed to the order's merchant and customer.
- ``reveal(order_json, order, chain_id=..., keys=...)``: the order's JSON with ``personal_data``
  replaced by ``{"sealed_to", "commitment", "opened_by", "data"}`` when one of ``keys`` (address
  -> X25519 private keys) opens it, else ``{"sealed_to", "commitment", "redacted": true}``;
  ``shipping.tracking`` likewise (``tracking_number`` when opened).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from google.protobuf import json_format

import stateset_chain.pb  # noqa: F401
from stateset_chain.privacy import envelope
from stateset_chain.privacy import seal as sealing

from stateset.orders.v1 import tx_pb2 as orders_tx
from stateset.orders.v1.orders_pb2 import Order
from stateset.privacy.v1.privacy_pb2 import EncryptionKey, PersonalData, PostalAddress

PUBLIC_ADDRESS_FIELDS = ("country", "region")
PERSONAL_ORDER_FIELDS = ("email", "phone", "billing_address", "private_metadata", "note")


class PersonalDataError(Exception):
    """Personal data cannot be sealed as asked (no key for the merchant, a malformed field)."""


def split_order(order: Mapping[str, Any]) -> tuple[dict[str, Any], PersonalData | None]:
    public = {k: v for k, v in order.items() if k not in PERSONAL_ORDER_FIELDS}
    address = dict(order.get("shipping_address") or {})
    personal_keys = [k for k in PERSONAL_ORDER_FIELDS if order.get(k)]
    clear_address = {k: v for k, v in address.items() if k not in PUBLIC_ADDRESS_FIELDS and v}
    if address:
        public["shipping_address"] = {
            k: address[k] for k in PUBLIC_ADDRESS_FIELDS if address.get(k)
        }
    if not personal_keys and not clear_address:
        return public, None
    try:
        data = PersonalData(
            email=order.get("email", ""),
            phone=order.get("phone", ""),
            note=order.get("note", ""),
            metadata=dict(order.get("private_metadata") or {}),
        )
        if address:
            data.shipping_address.CopyFrom(json_format.ParseDict(address, PostalAddress()))
        if order.get("billing_address"):
            data.billing_address.CopyFrom(
                json_format.ParseDict(order["billing_address"], PostalAddress())
            )
    except (json_format.ParseError, TypeError, ValueError) as e:
        raise PersonalDataError(f"personal data: {e}") from None
    return public, data


def _recipients(
    merchant: str, customer: str, lookup: Callable[[str], EncryptionKey | None]
) -> list[sealing.Recipient]:
    merchant_key = lookup(merchant)
    if merchant_key is None:
        raise PersonalDataError(
            f"merchant {merchant} has registered no encryption key: it could not read the "
            "data, so it is not sent (the merchant runs `statesetd tx privacy register-key`)"
        )
    recipients = [sealing.Recipient(merchant, merchant_key.version, merchant_key.public_key)]
    customer_key = lookup(customer)
    if customer_key is not None:
        recipients.append(
            sealing.Recipient(customer, customer_key.version, customer_key.public_key)
        )
    return recipients


def seal_tracking(
    msg: orders_tx.MsgShipOrder,
    tracking_number: str,
    order: Order,
    *,
    chain_id: str,
    lookup: Callable[[str], EncryptionKey | None],
) -> None:
    """Fills ``msg.tracking``: ``tracking_number`` sealed to ``order``'s merchant (and customer,
    when it has a key), bound to the order and its shipment."""
    if not tracking_number:
        raise PersonalDataError("a tracking number is required")
    recipients = _recipients(order.merchant, order.customer, lookup)
    try:
        env = sealing.seal(
            PersonalData(tracking_number=tracking_number), chain_id=chain_id,
            merchant=order.merchant, customer=order.customer,
            client_order_id=order.client_order_id, recipients=recipients,
            purpose=envelope.tracking_purpose(order.id),
        )
    except sealing.SealError as e:
        raise PersonalDataError(str(e)) from None
    msg.tracking.CopyFrom(env)


def seal_order(
    msg: orders_tx.MsgCreateOrder,
    data: PersonalData,
    *,
    chain_id: str,
    lookup: Callable[[str], EncryptionKey | None],
) -> None:
    recipients = _recipients(msg.merchant, msg.customer, lookup)
    try:
        env = sealing.seal(
            data, chain_id=chain_id, merchant=msg.merchant, customer=msg.customer,
            client_order_id=msg.client_order_id, recipients=recipients,
        )
    except sealing.SealError as e:
        raise PersonalDataError(str(e)) from None
    msg.personal_data.CopyFrom(env)


def reveal(
    order_json: dict[str, Any],
    order: Order,
    *,
    chain_id: str,
    keys: Mapping[str, Sequence[X25519PrivateKey]],
) -> dict[str, Any]:
    out = dict(order_json)
    _reveal_tracking(out, order, chain_id, keys)
    if not order.HasField("personal_data"):
        out.pop("personal_data", None)
        return out
    env = order.personal_data
    shown: dict[str, Any] = {
        "sealed_to": [r.recipient for r in env.recipients],
        "commitment": env.commitment.hex(),
    }
    for r in env.recipients:
        private = keys.get(r.recipient)
        if not private:
            continue
        try:
            opened = sealing.open_order(
                order, chain_id=chain_id, recipient=r.recipient, private_keys=private
            )
        except sealing.DecryptionFailed:
            continue
        shown["opened_by"] = r.recipient
        shown["data"] = json_format.MessageToDict(opened.data, preserving_proto_field_name=True)
        out["personal_data"] = shown
        return out
    shown["redacted"] = True
    out["personal_data"] = shown
    return out


def _reveal_tracking(
    out: dict[str, Any], order: Order, chain_id: str,
    keys: Mapping[str, Sequence[X25519PrivateKey]],
) -> None:
    """``shipping.tracking`` shown as ``{"sealed_to", "opened_by", "tracking_number"}`` to a
    recipient, ``{"sealed_to", "redacted": true}`` to anyone else."""
    if not order.shipping.HasField("tracking"):
        return
    env = order.shipping.tracking
    shown: dict[str, Any] = {"sealed_to": [r.recipient for r in env.recipients]}
    for r in env.recipients:
        private = keys.get(r.recipient)
        if not private:
            continue
        try:
            number = sealing.open_tracking(
                order, chain_id=chain_id, recipient=r.recipient, private_keys=private
            )
        except sealing.DecryptionFailed:
            continue
        shown["opened_by"] = r.recipient
        shown["tracking_number"] = number
        break
    else:
        shown["redacted"] = True
    shipping = dict(out.get("shipping") or {})
    shipping["tracking"] = shown
    out["shipping"] = shipping
