"""The chain refuses personal data in clear and envelopes it could not route, as signed txs on
the in-process App: each refusal has its own (codespace, code) and changes no state."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.errors import registered_errors
from stateset_chain.orders.errors import PersonalDataInClear
from stateset_chain.privacy.errors import (
    InvalidRecipients,
    StaleEncryptionKey,
    UnknownEncryptionKey,
)
from tests.chain import Chain, address
from tests.privacy.sealed import (
    KeyBook,
    created_ids,
    order_json,
    plain_item,
    register,
    sealed_msg,
)

from stateset.orders.v1 import tx_pb2 as orders_tx
from stateset.orders.v1.orders_pb2 import ShippingAddress


@pytest.fixture
def chain():
    chain = Chain.start(n_wallets=4)
    chain.book = KeyBook()
    register(chain, chain.book, chain.wallets[1])  # the merchant has a key
    return chain


def parties(chain):
    return address(chain.wallets[0]), address(chain.wallets[1])


def run(chain, msg, w=None):
    return chain.block([chain.sign(w or chain.wallets[0], [msg])]).tx_results[0]


def assert_refused(chain, msg, error, w=None):
    r = run(chain, msg, w)
    assert (r.codespace, r.code) == (error.codespace, error.code), r.log
    assert registered_errors()[(r.codespace, r.code)] is error
    return r


def plain(chain, **fields) -> orders_tx.MsgCreateOrder:
    c, m = parties(chain)
    return orders_tx.MsgCreateOrder(creator=c, customer=c, merchant=m, items=[plain_item()],
                                    **fields)


@pytest.mark.parametrize("key", [
    "email", "customer_email", "customerEmail", "E-Mail", "phone", "billing_address",
    "shippingAddress", "street", "city", "zip", "postal_code", "first_name", "lastName",
    "customer_name", "name", "recipient-name", "dob",
])
def test_personal_metadata_keys_are_refused(chain, key):
    r = assert_refused(chain, plain(chain, metadata={key: "x"}), PersonalDataInClear)
    assert "personal_data.metadata" in r.log


@pytest.mark.parametrize("key", ["channel", "campaign", "product_name", "gift_wrap", "utm_source"])
def test_ordinary_metadata_keys_pass(chain, key):
    r = run(chain, plain(chain, metadata={key: "x"}))
    assert r.code == 0, r.log


@pytest.mark.parametrize("where", ["metadata", "name", "source", "item"])
def test_an_email_address_in_clear_text_is_refused(chain, where):
    email = "someone.real@example.org"
    msg = plain(chain)
    if where == "metadata":
        msg.metadata["ref"] = f"contact {email}"
    elif where == "item":
        msg.items[0].description = email
    else:
        setattr(msg, where, email)
    assert_refused(chain, msg, PersonalDataInClear)


def test_a_clear_name_in_the_shipping_address_does_not_decode(chain):
    """The old clear-text fields are reserved: a client that still sends one (field 1, name) is
    refused as carrying unknown fields, so the name reaches no state."""
    msg = plain(chain)
    msg.shipping_address.CopyFrom(
        ShippingAddress.FromString(b"\x0a\x0bJane Public" + b"\x3a\x02US")
    )
    assert msg.shipping_address.country == "US"
    r = run(chain, msg)
    assert r.code != 0 and r.codespace == "sdk"
    assert "unknown" in r.log.lower()


def test_sealing_to_a_merchant_without_a_key_is_refused_by_the_client_and_chain(chain):
    from stateset_chain.privacy.client import PersonalDataError

    c = address(chain.wallets[0])
    keyless = address(chain.wallets[2])
    with pytest.raises(PersonalDataError):
        sealed_msg(chain, order_json(c, keyless))
    # a client that seals anyway, to a key the merchant never registered
    msg = sealed_msg(chain, order_json(c, address(chain.wallets[1])))
    msg.merchant = keyless
    msg.personal_data.recipients[0].recipient = keyless
    assert_refused(chain, msg, UnknownEncryptionKey)


def test_an_envelope_sealed_to_a_rotated_key_is_refused(chain):
    c, m = parties(chain)
    msg = sealed_msg(chain, order_json(c, m))
    register(chain, chain.book, chain.wallets[1])  # the merchant rotates before it lands
    r = assert_refused(chain, msg, StaleEncryptionKey)
    assert "current one is 2" in r.log


def test_an_envelope_must_name_the_merchant_first(chain):
    c, m = parties(chain)
    register(chain, chain.book, chain.wallets[0])
    msg = sealed_msg(chain, order_json(c, m))
    from stateset.privacy.v1.privacy_pb2 import WrappedDataKey

    entries = [WrappedDataKey.FromString(r.SerializeToString())
               for r in msg.personal_data.recipients]
    del msg.personal_data.recipients[:]
    msg.personal_data.recipients.extend(entries[::-1])
    r = assert_refused(chain, msg, InvalidRecipients)
    assert "first recipient must be the merchant" in r.log


EMAIL_IN_TEXT = "write to jane.doe@example.org"


@pytest.mark.parametrize("build", [
    lambda s, o: orders_tx.MsgCancelOrder(signer=s, order_id=o, reason=EMAIL_IN_TEXT),
    lambda s, o: orders_tx.MsgHoldOrder(signer=s, order_id=o, reason=EMAIL_IN_TEXT),
    lambda s, o: orders_tx.MsgReleaseOrder(signer=s, order_id=o, reason=EMAIL_IN_TEXT),
    lambda s, o: orders_tx.MsgReturnOrder(signer=s, order_id=o, reason=EMAIL_IN_TEXT),
    lambda s, o: orders_tx.MsgRefundOrder(signer=s, order_id=o, reason=EMAIL_IN_TEXT),
    lambda s, o: orders_tx.MsgDisputeOrder(signer=s, order_id=o, reason=EMAIL_IN_TEXT),
    lambda s, o: orders_tx.MsgDisputeOrder(signer=s, order_id=o, reason="late",
                                           evidence=["photo.jpg", EMAIL_IN_TEXT]),
    lambda s, o: orders_tx.MsgResolveDispute(arbiter=s, order_id=o, note=EMAIL_IN_TEXT,
                                             outcome=1),
])
def test_an_email_address_in_a_reason_is_refused(chain, build):
    """Reasons, notes and evidence are public forever: no email address in them either."""
    c, _ = parties(chain)
    r = run(chain, plain(chain))
    assert r.code == 0, r.log
    assert_refused(chain, build(c, created_ids(r)[0]), PersonalDataInClear)
