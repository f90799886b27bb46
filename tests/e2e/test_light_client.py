"""A light client end to end on a real 4-validator CometBFT localnet (no mocks): it trusts the
genesis validator set only, fetches header H + 1 and its commit from CometBFT's RPC, checks the
header hash and the validators' ed25519 signatures over it (> 2/3 of the power), then verifies a
balance and an order at height H against that header's app hash with the ics23 crate's verifier
(the app hash of H's state is in header H + 1). Also: the same past height through the gateway's
gRPC and REST faces (``x-cosmos-block-height``)."""

from __future__ import annotations

import base64
import time

import grpc
import pytest
import requests

from localnet import Localnet
from stateset_chain.client import address_of, msg_send, wallet_from_mnemonic
from stateset_chain.coins import USDC, Coin
from stateset_chain.crypto.address import decode as decode_address
from stateset_chain.localnet import load_demo_accounts
from tests import ics23_verifier
from tests.e2e import lightclient

from cosmos.bank.v1beta1 import query_pb2 as bank_query
from cosmos.base.abci.v1beta1 import abci_pb2 as sdk_abci
from stateset.orders.v1 import orders_pb2
from stateset.orders.v1 import tx_pb2 as orders_tx

pytestmark = pytest.mark.e2e

BALANCE_PATH = "/cosmos.bank.v1beta1.Query/Balance"


def balance_key(addr: str, denom: str) -> bytes:
    """bank/SPEC.md: ``bank/ 0x01 | len(addr) addr | len(denom) denom``."""
    raw = decode_address(addr)
    return b"bank/\x01" + bytes([len(raw)]) + raw + bytes([len(denom)]) + denom.encode()


def order_key(order_id: str) -> bytes:
    """orders/SPEC.md: ``orders/ 0x02 | len(id) id``."""
    return b"orders/\x02" + bytes([len(order_id)]) + order_id.encode()


@pytest.fixture(scope="module")
def net(tmp_path_factory):
    net = Localnet(tmp_path_factory.mktemp("light") / "run", validators=4, base_port=0)
    net.start()
    yield net
    net.stop()


def wait_height(net: Localnet, height: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while net.height(0) < height:
        assert time.monotonic() < deadline, f"height {height} not reached"
        time.sleep(0.2)


def proved(net: Localnet, key: bytes, height: int) -> tuple[bytes, bytes]:
    """(value, ICS23 proof bytes) of ``key`` at ``height`` from /abci_query with prove."""
    res = net.rpc(0, "abci_query", path="/store/key", data=key.hex(), height=str(height),
                  prove=True)["response"]
    assert int(res.get("code", 0)) == 0, res
    assert int(res["height"]) == height
    [op] = res["proofOps"]["ops"]
    assert op["type"] == "ics23:smt" and base64.b64decode(op["key"]) == key
    return base64.b64decode(res.get("value") or ""), base64.b64decode(op["data"])


def test_a_light_client_verifies_a_balance_and_an_order_against_a_signed_header(net):
    client = net.client(0)
    wallets = [wallet_from_mnemonic(a["mnemonic"]) for a in load_demo_accounts()]
    alice, bob, carol = wallets[0], wallets[1], wallets[2]
    a, b, c = address_of(alice), address_of(bob), address_of(carol)
    res = client.send(alice, [msg_send(a, b, [Coin(USDC, 4_321)])])
    assert res.code == 0, res.log
    assert client.wait_for_tx(res.txhash).code == 0
    create = orders_tx.MsgCreateOrder(
        creator=c, customer=b, merchant=c, client_order_id="light-1", name="Lamp",
        items=[orders_pb2.LineItem(sku="LAMP", name="Desk lamp", quantity=1, unit_price="19.99")],
    )
    res = client.send(carol, [create])
    assert res.code == 0, res.log
    done = client.wait_for_tx(res.txhash)
    assert done.code == 0, done.log
    height = done.height  # the state after block H holds the order and the transfer
    [packed] = sdk_abci.TxMsgData.FromString(done.data).msg_responses
    order_id = orders_tx.MsgCreateOrderResponse.FromString(packed.value).order_id
    wait_height(net, height + 2)  # header H + 1 with a canonical commit

    rpc = lambda method, **params: net.rpc(0, method, **params)  # noqa: E731
    trusted = lightclient.genesis_validators(rpc)
    assert len(trusted) == 4
    header = lightclient.verify_commit(rpc, height + 1, trusted)
    app_hash = bytes.fromhex(header["app_hash"])

    value, proof = proved(net, balance_key(b, USDC), height)
    assert int.from_bytes(value, "big") == client.balance(b, USDC)  # nothing moved since
    value_o, proof_o = proved(net, order_key(order_id), height)
    order = orders_pb2.Order.FromString(value_o)
    assert (order.id, order.merchant, order.status) == (
        order_id, c, orders_pb2.OrderStatus.ORDER_STATUS_CREATED
    )
    absent_key = order_key("0" * len(order_id))
    absent, proof_absent = proved(net, absent_key, height)
    assert absent == b""
    lines = [
        ics23_verifier.member_line(app_hash, balance_key(b, USDC), value, proof),
        ics23_verifier.member_line(app_hash, order_key(order_id), value_o, proof_o),
        ics23_verifier.nonmember_line(app_hash, absent_key, proof_absent),
        # what a lying node could claim instead fails
        ics23_verifier.member_line(app_hash, balance_key(b, USDC), (10**30).to_bytes(13, "big"),
                                   proof),
    ]
    assert ics23_verifier.run(lines) == ["ok", "ok", "ok", "fail"]

    # the header of another height is not this one's: its app hash does not verify the proof
    other = lightclient.verify_commit(rpc, height, trusted)
    assert other["app_hash"] != header["app_hash"]
    assert ics23_verifier.run([
        ics23_verifier.member_line(bytes.fromhex(other["app_hash"]), order_key(order_id),
                                   value_o, proof_o)
    ]) == ["fail"]
    # what the light client refuses: a header whose app hash was changed, a changed signature,
    # a validator set other than the trusted one
    def lying(change):
        def rpc_(method, **params):
            answer = rpc(method, **params)
            if method == "commit":
                change(answer["signed_header"])
            return answer
        return rpc_

    def forge_app_hash(signed):
        signed["header"]["app_hash"] = "00" * 32

    def forge_signature(signed):
        sig = signed["commit"]["signatures"][0]
        raw = bytearray(base64.b64decode(sig["signature"]))
        raw[0] ^= 1
        sig["signature"] = base64.b64encode(bytes(raw)).decode()

    with pytest.raises(lightclient.LightClientError, match="does not hash to the commit"):
        lightclient.verify_commit(lying(forge_app_hash), height + 1, trusted)
    with pytest.raises(lightclient.LightClientError, match="bad signature"):
        lightclient.verify_commit(lying(forge_signature), height + 1, trusted)
    other_set = [lightclient.Validator(v.address, v.pub_key, v.power + 1) for v in trusted]
    with pytest.raises(lightclient.LightClientError, match="not the trusted set"):
        lightclient.verify_commit(rpc, height + 1, other_set)


def test_past_heights_through_grpc_and_rest(net):
    client = net.client(0)
    wallets = [wallet_from_mnemonic(a["mnemonic"]) for a in load_demo_accounts()]
    alice, dave = wallets[0], wallets[3]
    a, d = address_of(alice), address_of(dave)
    res = client.send(alice, [msg_send(a, d, [Coin(USDC, 777)])])
    assert client.wait_for_tx(res.txhash).code == 0
    then_height = net.height(0)
    then = client.balance(d, USDC)
    res = client.send(alice, [msg_send(a, d, [Coin(USDC, 1_000)])])
    assert client.wait_for_tx(res.txhash).code == 0
    assert client.balance(d, USDC) == then + 1_000

    request = bank_query.QueryBalanceRequest(address=d, denom=USDC)
    node = net.nodes[0]
    channel = grpc.insecure_channel(f"127.0.0.1:{node.grpc}")
    call = channel.unary_unary(BALANCE_PATH, request_serializer=lambda m: m.SerializeToString(),
                               response_deserializer=bank_query.QueryBalanceResponse.FromString)
    answer, info = call.with_call(request, metadata=[("x-cosmos-block-height", str(then_height))],
                                  timeout=10)
    assert int(answer.balance.amount) == then
    assert dict(info.initial_metadata())["x-cosmos-block-height"] == str(then_height)
    latest, info = call.with_call(request, timeout=10)
    assert int(latest.balance.amount) == then + 1_000
    assert int(dict(info.initial_metadata())["x-cosmos-block-height"]) > then_height
    for bad, status in (("abc", grpc.StatusCode.INVALID_ARGUMENT),
                        ("999999999", grpc.StatusCode.INVALID_ARGUMENT)):
        with pytest.raises(grpc.RpcError) as refused:
            call(request, metadata=[("x-cosmos-block-height", bad)], timeout=10)
        assert refused.value.code() == status
    assert "not committed yet" in refused.value.details()
    channel.close()

    url = f"{node.rest_url}/cosmos/bank/v1beta1/balances/{d}/by_denom"
    got = requests.get(url, params={"denom": USDC},
                       headers={"x-cosmos-block-height": str(then_height)}, timeout=10)
    assert got.status_code == 200, got.text
    assert int(got.json()["balance"]["amount"]) == then
    assert got.headers["x-cosmos-block-height"] == str(then_height)
    future = requests.get(url, params={"denom": USDC},
                          headers={"x-cosmos-block-height": "999999999"}, timeout=10)
    assert future.status_code == 400 and "not committed yet" in future.json()["message"]
    listed = requests.get(f"{node.rest_url}/stateset/orders/v1/orders",
                          headers={"x-cosmos-block-height": str(then_height)}, timeout=10)
    assert listed.status_code == 400 and "latest height only" in listed.json()["message"]
