"""User sends to an order's deposit address are refused (nobody holds its key, so the coins
would be stuck there), through the real app: signed txs, ante, message routing. cctp mints to
the same address still pay the order: the bank blocks user sends, not its own movements."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.client import msg_send
from stateset_chain.coins import USDC, Coin
from stateset_chain.crosschain.deposit import (
    deposit_address,
    deposit_address_bytes,
    is_deposit_address,
)
from stateset_chain.crypto import address as addr
from tests.chain import CHAIN_ID, address
from tests.crosschain.helpers import ESCROW, UNIT, Net

from cosmos.auth.v1beta1 import query_pb2 as auth_query
from cosmos.bank.v1beta1 import bank_pb2
from cosmos.bank.v1beta1 import tx_pb2 as bank_tx
from stateset.orders.v1.orders_pb2 import ORDER_STATUS_CREATED, ORDER_STATUS_PAID

NEVER_CREATED = "ord_zzzzzzzzzz"


@pytest.fixture
def net() -> Net:
    return Net.start()


def has_account(net: Net, who: str) -> bool:
    res = net.chain.query(
        "/cosmos.auth.v1beta1.Query/Account", auth_query.QueryAccountRequest(address=who)
    )
    return res.code == 0


def usdc_state(net: Net, order_id: str, *holders: str) -> tuple:
    """Everything a stuck send would change: uusdc balances, supply, the order's payments."""
    order = net.order(order_id)
    return (
        [net.balance(h) for h in holders],
        net.supply(),
        (order.status, order.amount_paid, len(order.payments)),
    )


def test_is_deposit_address_recognises_deposit_addresses_from_the_bytes_alone():
    assert is_deposit_address(deposit_address_bytes("ord_6otHYjKJTP", CHAIN_ID))
    assert is_deposit_address(deposit_address_bytes(NEVER_CREATED, CHAIN_ID))
    # any checksum: the bank has no chain id, so another network's deposit address is refused too
    assert is_deposit_address(b"ord_6otHYjKJTP" + bytes(6))
    assert is_deposit_address(deposit_address_bytes(NEVER_CREATED, "stateset-other-1"))
    assert not is_deposit_address(b"ord_6otHYjKJ-P" + bytes(6))  # not base62
    assert not is_deposit_address(bytes(32))
    assert not is_deposit_address(addr.module_address_bytes("orders_escrow"))


@pytest.mark.parametrize("existing", [True, False], ids=["order-exists", "order-not-yet"])
def test_msg_send_to_a_deposit_address_is_refused_and_moves_nothing(net, existing):
    order_id = net.create_order("100")
    target_id = order_id if existing else NEVER_CREATED
    deposit = deposit_address(target_id, CHAIN_ID)
    customer = address(net.customer)
    before = usdc_state(net, order_id, customer, deposit)

    result = net.tx(net.customer, [msg_send(customer, deposit, [Coin(USDC, 5 * UNIT)])])

    assert (result.codespace, result.code) == ("bank", 3)
    assert deposit in result.log and "an order deposit address" in result.log
    assert usdc_state(net, order_id, customer, deposit) == before
    assert not has_account(net, deposit)


def test_refused_send_reverts_the_whole_tx(net):
    """A valid send before the refused one in the same tx is undone too."""
    order_id = net.create_order("100")
    customer, merchant = address(net.customer), address(net.merchant)
    before = usdc_state(net, order_id, customer, merchant)

    result = net.tx(
        net.customer,
        [
            msg_send(customer, merchant, [Coin(USDC, UNIT)]),
            msg_send(customer, deposit_address(order_id, CHAIN_ID), [Coin(USDC, UNIT)]),
        ],
    )

    assert (result.codespace, result.code) == ("bank", 3)
    assert usdc_state(net, order_id, customer, merchant) == before


def test_multi_send_to_a_deposit_address_is_refused_and_moves_nothing(net):
    """The app routes no MsgMultiSend at all: the tx is refused before the ante step (no fee,
    no sequence), so no output can reach a deposit address."""
    order_id = net.create_order("100")
    customer = address(net.customer)
    deposit = deposit_address(order_id, CHAIN_ID)
    sequence = net.chain.query_account(customer).sequence
    before = usdc_state(net, order_id, customer, deposit)
    amount = [Coin(USDC, 5 * UNIT).to_proto()]
    multi = bank_tx.MsgMultiSend(
        inputs=[bank_pb2.Input(address=customer, coins=amount)],
        outputs=[bank_pb2.Output(address=deposit, coins=amount)],
    )

    result = net.tx(net.customer, [multi])

    assert (result.codespace, result.code) == ("sdk", 6)
    assert usdc_state(net, order_id, customer, deposit) == before
    assert net.chain.query_account(customer).sequence == sequence
    assert not has_account(net, deposit)


def test_a_cctp_mint_to_the_deposit_address_still_pays_the_order(net):
    order_id = net.create_order("100")
    deposit = deposit_address(order_id, CHAIN_ID)
    refused = net.tx(
        net.customer, [msg_send(address(net.customer), deposit, [Coin(USDC, UNIT)])]
    )
    assert (refused.codespace, refused.code) == ("bank", 3)
    assert net.order(order_id).status == ORDER_STATUS_CREATED

    net.pay_from_ethereum(order_id, 100 * UNIT)

    order = net.order(order_id)
    assert (order.status, order.amount_paid) == (ORDER_STATUS_PAID, 100 * UNIT)
    assert [p.payer for p in order.payments] == [deposit]
    assert net.balance(deposit) == 0
    assert net.balance(ESCROW) == 100 * UNIT
