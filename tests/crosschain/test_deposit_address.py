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
from stateset_chain.orders.ids import ALPHABET, make_order_id
from tests.chain import CHAIN_ID, address
from tests.crosschain.helpers import Net

from stateset.crosschain.v1 import query_pb2 as xq

order_ids = st.text(alphabet=ALPHABET, min_size=10, max_size=10).map(lambda s: "ord_" + s)


def test_derivation_vector():
    order_id = "ord_Fudckhr3X7"
    chain = CHAIN_ID.encode()
    preimage = (
        b"stateset/orders/deposit/" + len(chain).to_bytes(2, "big") + chain + b"ord_Fudckhr3X7"
    )
    checksum = hashlib.sha256(preimage).digest()[:6]
    assert deposit_address_bytes(order_id, CHAIN_ID) == b"ord_Fudckhr3X7" + checksum
    assert deposit_mint_recipient(order_id, CHAIN_ID) == bytes(12) + b"ord_Fudckhr3X7" + checksum
    assert deposit_address(order_id, CHAIN_ID) == addr.encode(b"ord_Fudckhr3X7" + checksum)


@given(st.integers(1, 2**40))
def test_ids_and_deposit_addresses_differ_for_the_same_sequence_on_two_chains(seq):
    """Order #seq of a testnet and of mainnet: different ids, different deposit addresses, and
    neither chain takes the other's deposit address for one of its own orders."""
    main_id, test_id = make_order_id("stateset-1", seq), make_order_id("stateset-testnet-1", seq)
    assert main_id != test_id
    main_addr = deposit_address_bytes(main_id, "stateset-1")
    test_addr = deposit_address_bytes(test_id, "stateset-testnet-1")
    assert main_addr != test_addr
    assert order_id_of(main_addr, "stateset-testnet-1") is None
    assert order_id_of(test_addr, "stateset-1") is None
    # even the same id string has a different deposit address on each chain
    assert deposit_address_bytes(main_id, "stateset-testnet-1") != main_addr


@given(order_ids)
def test_every_order_id_round_trips(order_id):
    assert order_id_of(deposit_address_bytes(order_id, CHAIN_ID), CHAIN_ID) == order_id


@given(order_ids, st.integers(0, 159))
def test_any_flipped_bit_is_not_a_deposit_address(order_id, bit):
    raw = bytearray(deposit_address_bytes(order_id, CHAIN_ID))
    raw[bit // 8] ^= 1 << (bit % 8)
    assert order_id_of(bytes(raw), CHAIN_ID) is None


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
    assert order_id_of(account, CHAIN_ID) is None


def test_wallet_addresses_are_not_deposit_addresses():
    net = Net.start()
    for w in net.chain.wallets:
        assert order_id_of(addr.decode(address(w)), CHAIN_ID) is None


@pytest.mark.parametrize("bad", ["", "ord_", "ord_123456789", "ord_12345678901", "pay_1234567890"])
def test_malformed_order_ids_have_no_deposit_address(bad):
    with pytest.raises(ValueError):
        deposit_address_bytes(bad, CHAIN_ID)


def test_query_returns_the_deposit_address_before_and_after_the_order_exists():
    net = Net.start()

    def ask(order_id: str):
        return net.chain.query("/stateset.crosschain.v1.Query/DepositAddress",
                               xq.QueryDepositAddressRequest(order_id=order_id))

    predicted = "ord_Fudckhr3X7"  # the id of the first order (sequence 1)
    before = xq.QueryDepositAddressResponse.FromString(ask(predicted).value)
    assert before.address == deposit_address(predicted, CHAIN_ID)
    assert before.mint_recipient == deposit_mint_recipient(predicted, CHAIN_ID)
    assert before.mint_recipient_hex == "0x" + deposit_mint_recipient(predicted, CHAIN_ID).hex()
    assert not before.order_exists
    assert net.create_order() == predicted
    after = xq.QueryDepositAddressResponse.FromString(ask(predicted).value)
    assert after.order_exists and after.address == before.address
    bad = ask("ord_nope")
    assert (bad.codespace, bad.code) == ("crosschain", 15)  # InvalidOrderId
    short = net.chain.query("/stateset.crosschain.v1.Query/Unclaimed",
                            xq.QueryUnclaimedRequest(message_hash=b"\x01" * 31))
    assert (short.codespace, short.code) == ("crosschain", 4)  # InvalidMessageHash, as a claim
