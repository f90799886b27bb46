"""Deposit addresses: derived from the order id alone, recognised from the address alone, and
returned by the DepositAddress query for any well-formed order id."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

import stateset_chain.pb  # noqa: F401
from stateset_chain.crosschain.deposit import (
    deposit_address,
    deposit_address_bytes,
    deposit_mint_recipient,
    order_id_of,
)
from stateset_chain.crypto import address as addr
from stateset_chain.orders.ids import ALPHABET
from tests.chain import address
from tests.crosschain.helpers import Net

from stateset.crosschain.v1 import query_pb2 as xq

order_ids = st.text(alphabet=ALPHABET, min_size=10, max_size=10).map(lambda s: "ord_" + s)


def test_derivation_vector():
    order_id = "ord_6otHYjKJTP"
    checksum = hashlib.sha256(b"stateset/orders/deposit/ord_6otHYjKJTP").digest()[:6]
    assert deposit_address_bytes(order_id) == b"ord_6otHYjKJTP" + checksum
    assert deposit_mint_recipient(order_id) == bytes(12) + b"ord_6otHYjKJTP" + checksum
    assert deposit_address(order_id) == addr.encode(b"ord_6otHYjKJTP" + checksum)


@given(order_ids)
def test_every_order_id_round_trips(order_id):
    assert order_id_of(deposit_address_bytes(order_id)) == order_id


@given(order_ids, st.integers(0, 159))
def test_any_flipped_bit_is_not_a_deposit_address(order_id, bit):
    raw = bytearray(deposit_address_bytes(order_id))
    raw[bit // 8] ^= 1 << (bit % 8)
    assert order_id_of(bytes(raw)) is None


@pytest.mark.parametrize(
    "account",
    [
        bytes(20),
        bytes(32),
        b"ord_6otHYjKJTP" + bytes(6),  # right shape, wrong checksum
        b"ord_6otHYjKJ\xffP" + bytes(6),  # not ASCII
        b"ord_6otHYjKJ-P" + bytes(6),  # not base62
        addr.module_address_bytes("orders_escrow"),
        addr.module_address_bytes("cctp"),
    ],
)
def test_other_accounts_are_not_deposit_addresses(account):
    assert order_id_of(account) is None


def test_wallet_addresses_are_not_deposit_addresses():
    net = Net.start()
    for w in net.chain.wallets:
        assert order_id_of(addr.decode(address(w))) is None


@pytest.mark.parametrize("bad", ["", "ord_", "ord_123456789", "ord_12345678901", "pay_1234567890"])
def test_malformed_order_ids_have_no_deposit_address(bad):
    with pytest.raises(ValueError):
        deposit_address_bytes(bad)


def test_query_returns_the_deposit_address_before_and_after_the_order_exists():
    net = Net.start()

    def ask(order_id: str):
        return net.chain.query("/stateset.crosschain.v1.Query/DepositAddress",
                               xq.QueryDepositAddressRequest(order_id=order_id))

    predicted = "ord_6otHYjKJTP"  # the id of the first order (sequence 1)
    before = xq.QueryDepositAddressResponse.FromString(ask(predicted).value)
    assert before.address == deposit_address(predicted)
    assert before.mint_recipient == deposit_mint_recipient(predicted)
    assert before.mint_recipient_hex == "0x" + deposit_mint_recipient(predicted).hex()
    assert not before.order_exists
    assert net.create_order() == predicted
    after = xq.QueryDepositAddressResponse.FromString(ask(predicted).value)
    assert after.order_exists and after.address == before.address
    bad = ask("ord_nope")
    assert (bad.codespace, bad.code) == ("sdk", 18)
