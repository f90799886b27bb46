"""Helpers for the privacy tests: the in-process App (tests/chain.py) with registered encryption
keys, and orders whose personal data is sealed through the real client code."""

from __future__ import annotations

import json
from collections.abc import Sequence

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

import stateset_chain.pb  # noqa: F401
from stateset_chain.client import msg_register_encryption_key
from stateset_chain.privacy import seal
from stateset_chain.privacy.client import seal_order, split_order
from tests.chain import CHAIN_ID, Chain, address

from stateset.orders.v1 import query_pb2 as orders_query
from stateset.orders.v1 import tx_pb2 as orders_tx
from stateset.orders.v1.orders_pb2 import LineItem, Order
from stateset.privacy.v1 import query_pb2 as privacy_query
from stateset.privacy.v1.privacy_pb2 import EncryptionKey, PersonalData

# Distinctive personal data: none of these strings may appear anywhere on chain in clear.
PERSON = {
    "name": "Zoë Quarterfield-Nakamura",
    "company": "Quarterfield Widgets Ltd",
    "line1": "8812 Obscurity Lane",
    "line2": "Apartment 77Q",
    "city": "Pemberton Falls",
    "region": "OR",
    "postal_code": "97999-4321",
    "country": "US",
    "phone": "+1-555-0199-8812",
}
EMAIL = "zoe.quarterfield@example-mail.test"
BILLING = {"name": "Quarterfield Billing Dept", "line1": "1 Ledger Plaza", "city": "Billington",
           "postal_code": "B1LL-99", "country": "GB"}
PRIVATE_METADATA = {"loyalty_card": "LOYAL-7731-ZQN"}
NOTE = "Leave behind the blue gnome statue"


def secrets(i: int = 0) -> list[str]:
    """The strings order ``i``'s personal data is made of (all distinct from order to order)."""
    return [
        f"{PERSON['name']} {i}", f"{PERSON['line1']} {i}", f"{PERSON['line2']} {i}",
        f"{PERSON['city']} {i}", f"{PERSON['postal_code']}-{i}", f"{PERSON['phone']}-{i}",
        f"{PERSON['company']} {i}", f"{i}.{EMAIL}", f"{BILLING['line1']} {i}",
        f"{PRIVATE_METADATA['loyalty_card']}-{i}", f"{NOTE} {i}",
    ]


def order_json(customer: str, merchant: str, i: int = 0, **extra) -> dict:
    """An order as a person writes it: the address in clear, with email, billing address...
    No client order id unless given in ``extra``: only a merchant creator may set one."""
    s = secrets(i)
    return {
        "customer": customer, "merchant": merchant,
        "name": f"#{1000 + i}",
        "items": [{"sku": f"SKU-{i}", "name": "Widget", "quantity": 1, "unit_price": "10.00"}],
        "shipping_address": {"name": s[0], "line1": s[1], "line2": s[2], "city": s[3],
                             "region": "OR", "postal_code": s[4], "country": "US",
                             "phone": s[5], "company": s[6]},
        "email": s[7],
        "billing_address": {**BILLING, "line1": s[8]},
        "private_metadata": {"loyalty_card": s[9]},
        "note": s[10],
        "metadata": {"channel": "web"},
        **extra,
    }


class KeyBook:
    """Each wallet's X25519 private keys (as the keyring keeps them), oldest first."""

    def __init__(self) -> None:
        self.keys: dict[str, list[X25519PrivateKey]] = {}

    def new(self, owner: str) -> X25519PrivateKey:
        key = seal.generate_private_key()
        self.keys.setdefault(owner, []).append(key)
        return key


def register(chain: Chain, book: KeyBook, w) -> int:
    """A new key for wallet ``w``, registered on chain by a signed tx; returns its version."""
    key = book.new(address(w))
    res = chain.block([chain.sign(w, [msg_register_encryption_key(address(w), seal.public_bytes(
        key))])])
    r = res.tx_results[0]
    assert r.code == 0, r.log
    return registered(chain, address(w)).version


def registered(chain: Chain, addr: str) -> EncryptionKey:
    res = chain.query("/stateset.privacy.v1.Query/EncryptionKey",
                      privacy_query.QueryEncryptionKeyRequest(address=addr))
    assert res.code == 0, res.log
    return privacy_query.QueryEncryptionKeyResponse.FromString(res.value).key


def lookup(chain: Chain):
    def find(addr: str) -> EncryptionKey | None:
        res = chain.query("/stateset.privacy.v1.Query/EncryptionKey",
                          privacy_query.QueryEncryptionKeyRequest(address=addr))
        if res.code != 0:
            return None
        return privacy_query.QueryEncryptionKeyResponse.FromString(res.value).key
    return find


def sealed_msg(chain: Chain, order: dict, chain_id: str = CHAIN_ID) -> orders_tx.MsgCreateOrder:
    """``order`` split by the client: public fields in the msg, personal data sealed."""
    from google.protobuf import json_format

    public, data = split_order(order)
    msg = json_format.ParseDict(public, orders_tx.MsgCreateOrder())
    msg.creator = msg.customer
    assert data is not None
    seal_order(msg, data, chain_id=chain_id, lookup=lookup(chain))
    return msg


def get_order(chain: Chain, order_id: str) -> Order:
    res = chain.query("/stateset.orders.v1.Query/Order",
                      orders_query.QueryOrderRequest(order_id=order_id))
    assert res.code == 0, res.log
    return orders_query.QueryOrderResponse.FromString(res.value).order


def created_ids(result) -> list[str]:
    ids = []
    for ev in result.events:
        if ev.type == "stateset.orders.v1.OrderCreated":
            attrs = {a.key: a.value for a in ev.attributes}
            ids.append(json.loads(attrs["order"])["id"])
    return ids


def open_as(order: Order, addr: str, keys: Sequence[X25519PrivateKey]) -> PersonalData:
    return seal.open_order(order, chain_id=CHAIN_ID, recipient=addr, private_keys=keys).data


def plain_item() -> LineItem:
    return LineItem(sku="SKU-X", name="Widget", quantity=1, unit_price="10.00")
