"""The client helpers behind the CLI (privacy/client.py) and the keyring's encryption keys."""

from __future__ import annotations

import stat

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.cli.keyring import Keyring
from stateset_chain.cli.sealing import local_keys
from stateset_chain.privacy import seal
from stateset_chain.privacy.client import PersonalDataError, reveal, seal_order, split_order

from stateset.orders.v1 import tx_pb2 as orders_tx
from stateset.orders.v1.orders_pb2 import Order
from stateset.privacy.v1.privacy_pb2 import EncryptionKey

ADDRESS = {"name": "Mo Hidden", "line1": "9 Secret Row", "city": "Hush", "postal_code": "123",
           "region": "ny", "country": "US"}


def test_split_keeps_only_country_and_region_public():
    public, data = split_order({"customer": "c", "merchant": "m", "shipping_address": ADDRESS,
                                "email": "mo@hidden.test", "metadata": {"channel": "web"},
                                "private_metadata": {"vip": "1"}})
    assert public["shipping_address"] == {"region": "ny", "country": "US"}
    assert "email" not in public and "private_metadata" not in public
    assert public["metadata"] == {"channel": "web"}
    assert data.shipping_address.name == "Mo Hidden" and data.email == "mo@hidden.test"
    assert dict(data.metadata) == {"vip": "1"}


def test_an_order_without_personal_fields_is_left_alone():
    public, data = split_order({"customer": "c", "shipping_address": {"country": "DE"}})
    assert data is None and public == {"customer": "c", "shipping_address": {"country": "DE"}}


def test_a_malformed_personal_field_is_a_clear_error():
    with pytest.raises(PersonalDataError):
        split_order({"shipping_address": {**ADDRESS, "planet": "Mars"}})


def test_seal_then_reveal_for_recipients_redacted_for_others():
    mkey, ckey, other = (seal.generate_private_key() for _ in range(3))
    keys = {"m": EncryptionKey(owner="m", public_key=seal.public_bytes(mkey), version=1),
            "c": EncryptionKey(owner="c", public_key=seal.public_bytes(ckey), version=2)}
    msg = orders_tx.MsgCreateOrder(customer="c", merchant="m", client_order_id="x")
    _, data = split_order({"shipping_address": ADDRESS})
    seal_order(msg, data, chain_id="t", lookup=keys.get)
    assert [(r.recipient, r.key_version) for r in msg.personal_data.recipients] == [
        ("m", 1), ("c", 2)]
    order = Order(customer="c", merchant="m", client_order_id="x")
    order.personal_data.CopyFrom(msg.personal_data)
    shown = reveal({"id": "o"}, order, chain_id="t", keys={"c": [ckey]})
    assert shown["personal_data"]["opened_by"] == "c"
    assert shown["personal_data"]["data"]["shipping_address"]["line1"] == "9 Secret Row"
    hidden = reveal({"id": "o"}, order, chain_id="t", keys={"z": [other], "m": [other]})
    assert hidden["personal_data"]["redacted"] is True and "data" not in hidden["personal_data"]
    assert hidden["personal_data"]["sealed_to"] == ["m", "c"]


def test_no_merchant_key_no_sealing():
    msg = orders_tx.MsgCreateOrder(customer="c", merchant="m")
    _, data = split_order({"shipping_address": ADDRESS})
    with pytest.raises(PersonalDataError):
        seal_order(msg, data, chain_id="t", lookup=lambda a: None)
    assert not msg.HasField("personal_data")


def test_keyring_encryption_keys_rotate_and_are_destroyed(tmp_path):
    keyring = Keyring(tmp_path)
    keyring.add("alice")
    assert keyring.encryption_keys("alice") == []
    first = keyring.new_encryption_key("alice")
    second = keyring.new_encryption_key("alice")
    got = [seal.public_bytes(k) for k in keyring.encryption_keys("alice")]
    assert got == [seal.public_bytes(first), seal.public_bytes(second)]
    path = tmp_path / "alice.x25519"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [k.name for k in keyring.list()] == ["alice"]  # the key file is not an account
    assert list(local_keys(keyring, None)) == [keyring.show("alice").address]
    assert keyring.destroy_retired_encryption_keys("alice") == 1
    assert [seal.public_bytes(k) for k in keyring.encryption_keys("alice")] == [
        seal.public_bytes(second)]
    assert seal.public_bytes(first).hex() not in path.read_text()
