"""Erasure (docs/privacy.md, "Erasure"): MsgErasePersonalData takes the envelope out of current
state; destroying the private keys it was sealed to makes the copy that block history keeps
unreadable. Keys live in the real keyring (cli/keyring.py), txs are signed on the in-process App.
"""

from __future__ import annotations

import json

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.cli.keyring import Keyring
from stateset_chain.client import msg_register_encryption_key
from stateset_chain.coins import SSUSD, USDC
from stateset_chain.orders.errors import NoPersonalData, NotAuthorized
from stateset_chain.privacy import seal
from stateset_chain.privacy.seal import DecryptionFailed
from stateset_chain.store.commit import CommitStore
from stateset_chain.store.kv import MemoryKV
from tests.chain import CHAIN_ID, Chain, address
from tests.privacy.sealed import created_ids, get_order, order_json, sealed_msg, secrets

from cosmos.tx.v1beta1 import tx_pb2
from stateset.orders.v1 import tx_pb2 as orders_tx


def register(chain: Chain, keyring: Keyring, name: str, rotate: bool = False) -> None:
    """What `statesetd tx privacy register-key NAME [--rotate]` does."""
    keys = keyring.encryption_keys(name)
    key = keyring.new_encryption_key(name) if rotate or not keys else keys[-1]
    w = keyring.wallet(name)
    r = chain.block([chain.sign(w, [msg_register_encryption_key(
        address(w), seal.public_bytes(key))])]).tx_results[0]
    assert r.code == 0, r.log


def envelope_in_tx(tx_bytes: bytes):
    """The sealed personal data as block history keeps it: inside the create tx."""
    raw = tx_pb2.TxRaw.FromString(tx_bytes)
    body = tx_pb2.TxBody.FromString(raw.body_bytes)
    msg = orders_tx.MsgCreateOrder()
    assert body.messages[0].Unpack(msg)
    return msg


def opens(msg: orders_tx.MsgCreateOrder, who: str, keys) -> bool:
    try:
        seal.open_envelope(msg.personal_data, chain_id=CHAIN_ID, merchant=msg.merchant,
                           customer=msg.customer, client_order_id=msg.client_order_id,
                           recipient=who, private_keys=keys)
    except DecryptionFailed:
        return False
    return True


@pytest.fixture
def world(tmp_path):
    raw = MemoryKV()

    def apply(ops):
        for k, v in ops:
            if v is None:
                raw.delete(k)
            else:
                raw.set(k, v)

    chain = Chain.start(n_wallets=1, store=CommitStore(raw, apply))
    keyring = Keyring(tmp_path / "keyring")
    for name in ("customer", "merchant", "stranger"):
        key, _ = keyring.add(name)
        sends = [chain.send(chain.wallets[0], key.address, 10**9, denom)
                 for denom in (USDC, SSUSD)]
        assert [r.code for r in chain.block(sends).tx_results] == [0, 0]
        register(chain, keyring, name)
    c, m = keyring.show("customer").address, keyring.show("merchant").address
    create = chain.sign(keyring.wallet("customer"), [sealed_msg(chain, order_json(c, m, 0))])
    res = chain.block([create])
    assert res.tx_results[0].code == 0, res.tx_results[0].log
    order_id = created_ids(res.tx_results[0])[0]
    return chain, raw, keyring, create, order_id, c, m


def erase(chain, keyring, name, order_id):
    w = keyring.wallet(name)
    msg = orders_tx.MsgErasePersonalData(signer=address(w), order_id=order_id)
    return chain.block([chain.sign(w, [msg])]).tx_results[0]


def test_erasure_procedure(world):
    chain, raw, keyring, create, order_id, c, m = world
    ciphertext = get_order(chain, order_id).personal_data.ciphertext
    history = envelope_in_tx(create)
    assert history.personal_data.ciphertext == ciphertext

    # 1. the customer asks; the envelope leaves current state (history is untouched)
    r = erase(chain, keyring, "customer", order_id)
    assert r.code == 0, r.log
    events = [e for e in r.events if e.type == "stateset.orders.v1.PersonalDataErased"]
    attrs = {a.key: json.loads(a.value) for a in events[0].attributes}
    assert attrs["order_id"] == order_id and attrs["signer"] == c
    order = get_order(chain, order_id)
    assert not order.HasField("personal_data") and order.HasField("personal_data_erased_at")
    assert order.shipping_address.country == "US"  # the public part stays
    chain.block([])
    assert all(ciphertext not in v for _, v in raw.iterate()), "ciphertext still in the store"

    # what erasure cannot undo by itself: the copy in block history opens for anyone holding a
    # key it was sealed to (and whoever decrypted it before keeps what they read)
    assert opens(history, m, keyring.encryption_keys("merchant"))
    assert opens(history, c, keyring.encryption_keys("customer"))

    # 2. the customer rotates and destroys its old key
    register(chain, keyring, "customer", rotate=True)
    assert keyring.destroy_retired_encryption_keys("customer") == 1
    assert not opens(history, c, keyring.encryption_keys("customer"))

    # 3. the merchant deletes its copy (it kept none here) and, when its retention of orders
    # sealed to this key ends, rotates and destroys the retired key
    assert opens(history, m, keyring.encryption_keys("merchant"))
    register(chain, keyring, "merchant", rotate=True)
    assert keyring.destroy_retired_encryption_keys("merchant") == 1
    all_keys = [k for n in ("customer", "merchant", "stranger")
                for k in keyring.encryption_keys(n)]
    for who in (m, c):
        assert not opens(history, who, all_keys)

    # the parties go on with new keys: a new order seals to them and opens
    res = chain.block([chain.sign(keyring.wallet("customer"),
                                  [sealed_msg(chain, order_json(c, m, 1))])])
    assert res.tx_results[0].code == 0, res.tx_results[0].log
    new = get_order(chain, created_ids(res.tx_results[0])[0])
    data = seal.open_order(new, chain_id=CHAIN_ID, recipient=m,
                           private_keys=keyring.encryption_keys("merchant")).data
    assert data.shipping_address.name == secrets(1)[0]


def test_the_merchant_may_erase_too_and_others_may_not(world):
    chain, raw, keyring, create, order_id, c, m = world
    r = erase(chain, keyring, "stranger", order_id)
    assert (r.codespace, r.code) == (NotAuthorized.codespace, NotAuthorized.code), r.log
    assert get_order(chain, order_id).HasField("personal_data")
    assert erase(chain, keyring, "merchant", order_id).code == 0
    r = erase(chain, keyring, "customer", order_id)
    assert (r.codespace, r.code) == (NoPersonalData.codespace, NoPersonalData.code), r.log
