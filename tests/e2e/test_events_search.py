"""End to end on a real CometBFT v0.38 node (kv tx indexer, no mocks): the standard Cosmos bank
events and the plain ``order`` event are indexed, so ``tx_search`` finds a transfer by its
recipient and an order's transactions by the order id, as wallets and explorers query them."""

from __future__ import annotations

import base64

import pytest

from localnet import Localnet
from stateset_chain.client import address_of, msg_send, wallet_from_mnemonic
from stateset_chain.coins import SSUSD, USDC, Coin
from stateset_chain.localnet import load_demo_accounts

from stateset.orders.v1 import orders_pb2
from stateset.orders.v1 import tx_pb2 as orders_tx

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    net = Localnet(tmp_path_factory.mktemp("events") / "run", validators=1, base_port=0)
    net.start()
    yield net
    net.stop()


def search(client, query: str) -> list[str]:
    """The hashes of the txs ``tx_search`` finds for ``query``."""
    found = client.rpc("tx_search", query=query, per_page="100")
    return sorted(tx["hash"] for tx in found["txs"])


def committed(client, wallet, msgs) -> str:
    res = client.send(wallet, msgs)
    assert res.code == 0, res.log
    done = client.wait_for_tx(res.txhash)
    assert done.code == 0, done.log
    return done.txhash


def event_attributes(client, txhash: str, type_: str) -> list[dict[str, str]]:
    r = client.rpc("tx", hash=base64.b64encode(bytes.fromhex(txhash)).decode())
    return [
        {a["key"]: a["value"] for a in e["attributes"]}
        for e in r["tx_result"]["events"] if e["type"] == type_
    ]


def test_tx_search_finds_a_send_by_transfer_recipient_and_coin_events(node):
    client = node.client(0)
    alice, _, _, dave = (wallet_from_mnemonic(a["mnemonic"]) for a in load_demo_accounts()[:4])
    a, d = address_of(alice), address_of(dave)
    txhash = committed(client, alice, [msg_send(a, d, [Coin(USDC, 777_001)])])

    assert txhash in search(client, f"transfer.recipient='{d}'")
    assert txhash in search(client, f"transfer.sender='{a}' AND transfer.amount='777001uusdc'")
    assert txhash in search(client, f"coin_received.receiver='{d}'")
    assert txhash in search(client, f"coin_spent.spender='{a}'")
    assert txhash in search(client, "message.action='/cosmos.bank.v1beta1.MsgSend'")
    assert txhash in search(client, f"message.sender='{a}' AND message.module='bank'")
    transfers = event_attributes(client, txhash, "transfer")
    assert {"recipient": d, "sender": a, "amount": "777001uusdc", "msg_index": "0"} in transfers


def test_tx_search_finds_an_orders_txs_by_the_plain_order_id(node):
    client = node.client(0)
    _, bob, carol = (wallet_from_mnemonic(a["mnemonic"]) for a in load_demo_accounts()[:3])
    b, c = address_of(bob), address_of(carol)
    create = orders_tx.MsgCreateOrder(
        creator=b, customer=b, merchant=c, name="Lamp",
        items=[orders_pb2.LineItem(sku="LAMP-1", name="Lamp", quantity=1, unit_price="12.00")],
    )
    created = committed(client, bob, [create])
    [order] = event_attributes(client, created, "order")
    order_id, total = order["order_id"], order["amount"]
    assert order["event"] == "OrderCreated" and order["status"] == "CREATED"
    assert (order["customer"], order["merchant"]) == (b, c) and total.endswith(SSUSD)

    pay = orders_tx.MsgPayOrder(
        payer=b, order_id=order_id, amount=Coin(SSUSD, int(total[: -len(SSUSD)])).to_proto()
    )
    paid = committed(client, bob, [pay])

    assert search(client, f"order.order_id='{order_id}'") == sorted([created, paid])
    assert search(client, f"order.order_id='{order_id}' AND order.event='OrderPaid'") == [paid]
    assert paid in search(client, f"order.customer='{b}' AND order.status='PAID'")
    # the escrow move of the payment is a standard transfer too
    assert paid in search(client, f"transfer.sender='{b}' AND transfer.amount='{total}'")
