"""The encryption key registry (privacy module) through signed txs on the in-process App, plus
its genesis."""

from __future__ import annotations

import json

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.client import msg_register_encryption_key
from stateset_chain.context import BlockInfo, Context
from stateset_chain.errors import InvalidAddress
from stateset_chain.privacy import genesis
from stateset_chain.privacy.errors import EncryptionKeyNotFound, InvalidGenesis, InvalidPublicKey
from stateset_chain.privacy.state import PrivacyKeeper
from stateset_chain.store.kv import MemoryKV
from tests.chain import BLOCK_SECONDS, GENESIS_TIME, Chain, address

from stateset.privacy.v1 import query_pb2 as q


@pytest.fixture
def chain():
    return Chain.start(n_wallets=2)


def register(chain, w, key: bytes):
    res = chain.block([chain.sign(w, [msg_register_encryption_key(address(w), key)])])
    return res.tx_results[0]


def query_key(chain, addr: str):
    return chain.query("/stateset.privacy.v1.Query/EncryptionKey",
                       q.QueryEncryptionKeyRequest(address=addr))


def test_register_then_rotate(chain):
    w = chain.wallets[0]
    r = register(chain, w, b"\x01" * 32)
    assert r.code == 0, r.log
    events = [e for e in r.events if e.type == "stateset.privacy.v1.EncryptionKeyRegistered"]
    attrs = {a.key: a.value for a in events[0].attributes}
    assert json.loads(attrs["owner"]) == address(w) and json.loads(attrs["version"]) == "1"
    res = query_key(chain, address(w))
    key = q.QueryEncryptionKeyResponse.FromString(res.value).key
    assert (key.public_key, key.version, key.height) == (b"\x01" * 32, 1, chain.height)
    assert key.registered_at.seconds == GENESIS_TIME + BLOCK_SECONDS * chain.height

    r = register(chain, w, b"\x02" * 32)
    assert r.code == 0, r.log
    key = q.QueryEncryptionKeyResponse.FromString(query_key(chain, address(w)).value).key
    assert (key.public_key, key.version) == (b"\x02" * 32, 2)


@pytest.mark.parametrize("key", [b"", b"\x01" * 31, b"\x01" * 33, bytes(32)])
def test_malformed_keys_are_refused(chain, key):
    r = register(chain, chain.wallets[0], key)
    assert (r.codespace, r.code) == (InvalidPublicKey.codespace, InvalidPublicKey.code), r.log
    res = query_key(chain, address(chain.wallets[0]))
    assert (res.codespace, res.code) == ("privacy", EncryptionKeyNotFound.code)


def test_only_the_owner_signs_for_its_key(chain):
    """The signer is the owner field: a tx signed by another wallet does not verify."""
    a, b = chain.wallets
    msg = msg_register_encryption_key(address(b), b"\x03" * 32)
    r = chain.block([chain.sign(a, [msg])]).tx_results[0]
    assert r.code != 0
    assert query_key(chain, address(b)).code == EncryptionKeyNotFound.code


def test_a_bad_address_is_an_invalid_address(chain):
    res = query_key(chain, "not-an-address")
    assert (res.codespace, res.code) == (InvalidAddress.codespace, InvalidAddress.code)
    assert (res.codespace, res.code) == ("sdk", 7)


def _ctx():
    return Context(store=MemoryKV(), block=BlockInfo(1, 0, "t"))


def test_genesis_round_trip_and_refusals():
    owner = address(Chain.start(n_wallets=1).wallets[0])
    keeper, ctx = PrivacyKeeper(), _ctx()
    data = {"keys": [{"owner": owner, "public_key": "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=",
                      "version": "4", "height": "9"}]}
    genesis.init_genesis(keeper, ctx, data)
    assert keeper.key(ctx.store, owner).version == 4
    exported = genesis.export_genesis(keeper, ctx)
    again = _ctx()
    genesis.init_genesis(PrivacyKeeper(), again, exported)
    assert list(again.store.iterate()) == list(ctx.store.iterate())
    for bad in (
        {"keys": [data["keys"][0], data["keys"][0]]},
        {"keys": [{**data["keys"][0], "version": "0"}]},
        {"keys": [{**data["keys"][0], "public_key": ""}]},
        {"keys": [{**data["keys"][0], "owner": "nope"}]},
        {"unknown": 1},
    ):
        with pytest.raises(InvalidGenesis):
            genesis.init_genesis(PrivacyKeeper(), _ctx(), bad)
