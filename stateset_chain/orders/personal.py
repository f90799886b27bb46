"""What of an order may be public, and the checks that keep personal data out of clear text.

An order names its customer by address only. The person behind it (name, street address, city,
postal code, email, phone, billing address, private metadata) travels in
``MsgCreateOrder.personal_data``, a ``SealedPersonalData`` the client encrypted to the merchant
and, optionally, the customer (docs/privacy.md, ``stateset_chain/privacy``). The chain keeps in
clear only what its rules need: the destination's country and region (tax), the shipping method
(fee). ``ShippingAddress`` has no other field any more, and a tx that still sets one is refused
as carrying unknown fields.

Free text remains where the Orders API has it (order name and number, source, item texts, public
metadata), so MsgCreateOrder refuses the two leaks seen in practice (``PersonalDataInClear``):

- public metadata under a personal key: a key whose words include one of ``PERSONAL_WORDS``
  (``email``, ``phone``, ``address``, ``street``, ``city``, ``zip``, ``postal``, ...) or ``name``
  with a word about a person (``customer_name``, ``firstName``, ``billing-name``; but not
  ``product_name``), or a key that is exactly ``name``;
- an email address in any of those texts (``local@domain.tld``).

Private metadata goes in ``PersonalData.metadata``, inside the envelope. A rule list cannot catch
every way to write a name; it stops the usual ones, and docs/privacy.md says the rest is the
client's duty.
"""

from __future__ import annotations

import re

import stateset_chain.pb  # noqa: F401
from stateset_chain.cache import BoundedCache
from stateset_chain.orders.errors import PersonalDataInClear
from stateset_chain.privacy.envelope import validate_envelope
from stateset_chain.privacy.errors import UnknownEncryptionKey
from stateset_chain.store.kv import KVStore

from stateset.orders.v1 import tx_pb2 as tx
from stateset.orders.v1.orders_pb2 import Order
from stateset.privacy.v1.privacy_pb2 import SealedPersonalData

PERSONAL_WORDS = frozenset({
    "email", "mail", "phone", "mobile", "telephone", "tel", "fax", "address", "addr", "street",
    "line1", "line2", "city", "zip", "zipcode", "postal", "postcode", "firstname", "lastname",
    "fullname", "surname", "birthday", "birthdate", "dob", "ssn", "passport", "ip",
})
PERSON_WORDS = frozenset({
    "customer", "first", "last", "full", "given", "family", "middle", "billing", "shipping",
    "recipient", "buyer", "contact", "user", "person", "holder",
})
_WORD = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[A-Za-z]{2,}")
_TEXT_FIELDS = ("name", "number", "source", "preferred_payment_method")
# metadata keys repeat from order to order: each is classified once (a pure function of the key)
_personal_keys: BoundedCache[str, bool] = BoundedCache(4096)


def words_of(key: str) -> list[str]:
    """``"billingAddress_line1"`` -> ``["billing", "address", "line1"]``."""
    return [w.lower() for w in _WORD.findall(key)]


def is_personal_key(key: str) -> bool:
    found = _personal_keys.get(key)
    if found is None:
        found = _personal_keys.put(key, _is_personal_key(key))
    return found


def _is_personal_key(key: str) -> bool:
    words = words_of(key)
    if not words:
        return False
    if words == ["name"] or PERSONAL_WORDS.intersection(words):
        return True
    if "".join(words) in PERSONAL_WORDS:  # "e_mail", "post-code"
        return True
    return "name" in words and bool(PERSON_WORDS.intersection(words))


def require_no_email(value: str, field: str) -> None:
    if "@" in value and _EMAIL.search(value):
        raise PersonalDataInClear(f"{field} holds an email address: seal it in personal_data")


def validate(msg: tx.MsgCreateOrder) -> None:
    """Stateless: no personal data in clear text, and a well-formed envelope if there is one.
    The usual order (no ``@`` anywhere, ordinary keys) costs one pass; the field that failed is
    then found in a fixed order (metadata by key), so the log is deterministic."""
    metadata = msg.metadata
    texts = [msg.name, msg.number, msg.source, msg.preferred_payment_method]  # _TEXT_FIELDS
    texts += [text for item in msg.items for text in (item.name, item.description)]
    if metadata:
        texts += metadata.values()
    if "@" in "".join(texts) or any(is_personal_key(k) for k in metadata):
        _find_personal_text(msg)
    if msg.HasField("personal_data"):
        validate_envelope(msg.personal_data, merchant=msg.merchant, customer=msg.customer)


def _find_personal_text(msg: tx.MsgCreateOrder) -> None:
    for key in sorted(msg.metadata):
        if is_personal_key(key):
            raise PersonalDataInClear(
                f"metadata key {key!r} is personal data: put it in personal_data.metadata"
            )
        require_no_email(msg.metadata[key], f"metadata[{key!r}]")
    for field in _TEXT_FIELDS:
        require_no_email(getattr(msg, field), field)
    for i, item in enumerate(msg.items):
        require_no_email(item.name, f"items[{i}].name")
        require_no_email(item.description, f"items[{i}].description")


def check_recipient_keys(encryption_keys, store: KVStore, env: SealedPersonalData) -> None:
    """Every recipient holds the registered key the envelope was sealed to."""
    if encryption_keys is None:
        raise UnknownEncryptionKey("this chain has no encryption key registry")
    encryption_keys.require_current_keys(store, env)


def public_view(order: Order) -> Order:
    """The order without its sealed personal data (for OrderCreated: the ciphertext is in state
    and in the tx already, repeating it in the event would only make every create bigger)."""
    if not order.HasField("personal_data"):
        return order
    view = Order()
    view.CopyFrom(order)
    view.ClearField("personal_data")
    return view
