"""End to end on real CometBFT v0.38 nodes on loopback (no mocks): the localnet of the README.

(a) a cosmpy-signed MsgSend through CometBFT's RPC is committed and moves balances (1 validator);
(b) 4 validators whose apps run with different PYTHONHASHSEED commit >= 50 blocks of random
    transfers with identical app hashes;
(c) one validator's app is SIGKILLed under load, restarted, catches up through the handshake and
    agrees on the app hash;
(d) malformed and invalid transactions each get a non-zero code and a clear log, and the network
    keeps producing blocks.
"""

from __future__ import annotations

import random
import time

import pytest

from localnet import Localnet
from stateset_chain.client import (
    NodeClient,
    address_of,
    default_fee,
    msg_send,
    sign_tx,
    wallet_from_mnemonic,
)
from stateset_chain.coins import USDC, Coin
from stateset_chain.localnet import CHAIN_ID, load_demo_accounts

from cosmos.tx.v1beta1 import tx_pb2

pytestmark = pytest.mark.e2e

SEEDS = ["0", "1", "4242", "random"]


def demo_wallets():
    return [wallet_from_mnemonic(a["mnemonic"]) for a in load_demo_accounts()]


class Sender:
    """A wallet that signs with locally tracked sequences (several txs per block)."""

    def __init__(self, client: NodeClient, wallet) -> None:
        self.client = client
        self.wallet = wallet
        self.address = address_of(wallet)
        account = client.account(self.address)
        self.number, self.sequence = account.account_number, account.sequence

    def sign(self, msgs, **kw) -> bytes:
        kw.setdefault("fees", [default_fee(200_000)])
        tx = sign_tx(self.wallet, msgs, chain_id=kw.pop("chain_id", CHAIN_ID),
                     account_number=self.number, sequence=kw.pop("sequence", self.sequence), **kw)
        return tx

    def send(self, to: str, amount: int):
        tx = self.sign([msg_send(self.address, to, [Coin(USDC, amount)])])
        res = self.client.broadcast(tx)
        if res.code == 0:
            self.sequence += 1
        return res


@pytest.fixture(scope="module")
def single(tmp_path_factory):
    net = Localnet(tmp_path_factory.mktemp("single") / "run", validators=1, base_port=0)
    net.start()
    yield net
    net.stop()


def test_a_cosmpy_signed_send_is_committed(single):
    client = single.client(0)
    alice, bob = demo_wallets()[:2]
    a, b = address_of(alice), address_of(bob)
    before_a, before_b = client.balance(a, USDC), client.balance(b, USDC)
    res = client.send(alice, [msg_send(a, b, [Coin(USDC, 1_234_567)])])
    assert res.code == 0, res.log
    done = client.wait_for_tx(res.txhash)
    assert done.code == 0 and done.height > 0, done.log
    fee = default_fee(200_000).amount
    assert client.balance(b, USDC) == before_b + 1_234_567
    assert client.balance(a, USDC) == before_a - 1_234_567 - fee
    assert client.account(a).sequence == 1


@pytest.fixture(scope="module")
def four(tmp_path_factory):
    net = Localnet(
        tmp_path_factory.mktemp("four") / "run", validators=4, base_port=0,
        env_per_app=lambda i: {"PYTHONHASHSEED": SEEDS[i]},
    )
    net.start()
    yield net
    net.stop()


def same_app_hash(net: Localnet, height: int, nodes=range(4)) -> set[str]:
    for i in nodes:
        net.wait_for_height(i, height + 1, timeout=120)
    return {net.app_hash(i, height) for i in nodes}


def random_transfers(net: Localnet, blocks: int, rng: random.Random, node: int = 0) -> int:
    client = net.client(node)
    senders = [Sender(client, w) for w in demo_wallets()]
    start = net.height(node)
    sent = 0
    while net.height(node) < start + blocks:
        for s in rng.sample(senders, 2):
            to = rng.choice(senders).address
            if s.send(to, rng.randint(1, 10_000)).code == 0:
                sent += 1
        time.sleep(0.15)
    return sent


def test_b_four_validators_agree_over_50_blocks(four):
    rng = random.Random(2026)
    sent = random_transfers(four, 50, rng)
    assert sent > 50
    top = min(four.height(i) for i in range(4)) - 1
    for h in [2, top // 2, top]:
        hashes = same_app_hash(four, h)
        assert len(hashes) == 1, f"app hashes differ at height {h}: {hashes}"
    assert top >= 50


def test_c_killed_app_restarts_and_catches_up(four):
    rng = random.Random(7)
    random_transfers(four, 3, rng)
    four.kill_app(3)  # SIGKILL under load; CometBFT node 3 then stops too
    four.kill_node(3)
    random_transfers(four, 5, rng)
    four.start_app(3)
    four.start_node(3)
    target = four.height(0) + 2
    four.wait_for_height(3, target, timeout=180)
    hashes = same_app_hash(four, target - 1)
    assert len(hashes) == 1, hashes


def test_d_bad_transactions_get_clear_errors_and_blocks_continue(four):
    client = four.client(0)
    alice = Sender(client, demo_wallets()[0])
    bob = address_of(demo_wallets()[1])
    good = alice.sign([msg_send(alice.address, bob, [Coin(USDC, 1)])])
    raw = tx_pb2.TxRaw.FromString(good)
    bad_sig = tx_pb2.TxRaw(body_bytes=raw.body_bytes, auth_info_bytes=raw.auth_info_bytes,
                           signatures=[bytes([raw.signatures[0][0] ^ 1]) + raw.signatures[0][1:]])
    from cosmos.gov.v1beta1 import tx_pb2 as gov_tx

    cases = {
        "random bytes": (b"\x13\x37" * 40, "sdk", 2),
        "truncated protobuf": (good[: len(good) // 2], "sdk", 2),
        "wrong chain-id": (alice.sign([msg_send(alice.address, bob, [Coin(USDC, 1)])],
                                      chain_id="other-chain"), "sdk", 4),
        "bad signature": (bad_sig.SerializeToString(), "sdk", 4),
        "wrong sequence": (alice.sign([msg_send(alice.address, bob, [Coin(USDC, 1)])],
                                      sequence=alice.sequence + 50), "sdk", 32),
        "insufficient fee": (alice.sign([msg_send(alice.address, bob, [Coin(USDC, 1)])],
                                        fees=[Coin(USDC, 1)]), "sdk", 13),
        "unknown message": (alice.sign([gov_tx.MsgVote(proposal_id=1, voter=alice.address,
                                                       option=1)]), None, None),
        "oversize memo": (alice.sign([msg_send(alice.address, bob, [Coin(USDC, 1)])],
                                     memo="x" * 1000), "sdk", 12),
    }
    start = four.height(0)
    for name, (tx, codespace, code) in cases.items():
        res = client.broadcast(tx)
        assert res.code != 0, f"{name} was accepted"
        assert res.log, f"{name}: empty log"
        if code is not None:
            assert (res.codespace, res.code) == (codespace, code), f"{name}: {res}"
    # nothing was lost: the account's real next transaction still goes through
    ok = client.broadcast(good)
    assert ok.code == 0, ok.log
    assert client.wait_for_tx(ok.txhash).code == 0
    four.wait_for_height(0, start + 3, timeout=60)
    assert len(same_app_hash(four, start + 2)) == 1


def test_idle_chain_stays_idle_without_empty_blocks(single):
    """The app hash depends on state only, so with create_empty_blocks = false CometBFT makes no
    blocks while nothing happens (a height-dependent hash would force one block after another)."""
    import signal as sig
    from pathlib import Path

    from stateset_chain.localnet import set_config

    single.kill_node(0, sig.SIGTERM)
    config = Path(single.nodes[0].home) / "config" / "config.toml"
    set_config(config, {"consensus.create_empty_blocks": False})
    single.start_node(0)
    client = single.client(0)

    def settled_height() -> int:
        last, stable_since = -1, time.monotonic()
        while time.monotonic() - stable_since < 3.0:
            try:
                h = single.height(0)
            except Exception:  # RPC not up yet
                h = -1
            if h != last:
                last, stable_since = h, time.monotonic()
            time.sleep(0.2)
        return last

    idle = settled_height()
    time.sleep(3)
    assert single.height(0) == idle, "an idle chain kept producing blocks"
    alice, bob = demo_wallets()[:2]
    res = client.send(alice, [msg_send(address_of(alice), address_of(bob), [Coin(USDC, 1)])])
    assert res.code == 0, res.log
    assert client.wait_for_tx(res.txhash).code == 0
    after = settled_height()
    assert idle < after <= idle + 2  # the tx's block, then at most one to record the new hash


def test_cctp_message_signed_by_genesis_attesters_is_relayed(single):
    """A burn on Ethereum (domain 0), attested by the localnet's TEST-ONLY attesters, relayed by
    any account through CometBFT: the recipient gets uusdc and a replay is refused."""
    from coincurve import PrivateKey

    from stateset_chain.localnet import (
        ETHEREUM_TOKEN_MESSENGER,
        ETHEREUM_USDC,
        LOCALNET_CCTP_DOMAIN,
        localnet_attester_keys,
    )
    from tests.cctp.helpers import inbound_message, sign

    from stateset.cctp.v1 import tx_pb2 as cctp_tx

    client = single.client(0)
    relayer, bob = demo_wallets()[2], address_of(demo_wallets()[1])
    before = client.balance(bob, USDC)
    message = inbound_message(
        amount=2_500_000, recipient=bob, nonce=777, destination=LOCALNET_CCTP_DOMAIN,
        sender=bytes.fromhex(ETHEREUM_TOKEN_MESSENGER[2:]),
        burn_token=bytes.fromhex(ETHEREUM_USDC[2:]),
    )
    attestation = sign(message, [PrivateKey(k) for k in localnet_attester_keys()])
    msg = cctp_tx.MsgReceiveMessage(
        signer=address_of(relayer), message=message, attestation=attestation
    )
    res = client.send(relayer, [msg])
    assert res.code == 0, res.log
    done = client.wait_for_tx(res.txhash)
    assert done.code == 0, done.log
    assert client.balance(bob, USDC) == before + 2_500_000
    replay = client.send(relayer, [msg])
    if replay.code == 0:
        replay = client.wait_for_tx(replay.txhash)
    assert replay.code != 0 and "nonce" in replay.log.lower()
    assert client.balance(bob, USDC) == before + 2_500_000


def test_order_created_and_paid_with_cosmpy_signed_txs(single, tmp_path):
    """Issue 3's end-to-end: carol (the merchant) creates bob's order with her invoice number,
    bob pays it in ssUSD from his balance
    into escrow, carol fulfils it; `statesetd query orders` sees each step."""
    import json
    import subprocess
    import sys

    from stateset_chain.coins import SSUSD
    from stateset_chain.crypto.address import module_address

    from stateset.orders.v1 import orders_pb2
    from stateset.orders.v1 import tx_pb2 as orders_tx

    client = single.client(0)
    wallets = demo_wallets()
    bob, carol = wallets[1], wallets[2]
    b, c = address_of(bob), address_of(carol)
    escrow = module_address("orders_escrow")

    def cli(*args) -> dict:
        out = subprocess.run(
            [sys.executable, "-m", "stateset_chain.cli.main", *args,
             "--node", single.rpc_url(0)],
            capture_output=True, text=True, timeout=60,
        )
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout)

    create = orders_tx.MsgCreateOrder(
        creator=c, customer=b, merchant=c, client_order_id="e2e-order-1", name="Desk",
        items=[orders_pb2.LineItem(sku="DESK-1", name="Standing desk", quantity=2,
                                   unit_price="499.50")],
    )
    res = client.send(carol, [create])
    assert res.code == 0, res.log
    assert client.wait_for_tx(res.txhash).code == 0

    got = cli(
        "query", "orders", "get", "--client-order-id", "e2e-order-1", "--merchant", c
    )["order"]
    assert got["status"] == "ORDER_STATUS_CREATED" and got["customer"] == b
    order_id, total = got["id"], int(got["total"])
    assert total >= 999_000_000  # 2 x 499.50 ssUSD, plus any tax/shipping

    before_escrow = client.balance(escrow, SSUSD)
    pay = orders_tx.MsgPayOrder(payer=b, order_id=order_id,
                                amount=Coin(SSUSD, total).to_proto())
    res = client.send(bob, [pay])
    assert res.code == 0, res.log
    done = client.wait_for_tx(res.txhash)
    assert done.code == 0, done.log
    assert client.balance(escrow, SSUSD) == before_escrow + total

    res = client.send(carol, [orders_tx.MsgFulfillOrder(signer=c, order_id=order_id)])
    assert res.code == 0, res.log
    assert client.wait_for_tx(res.txhash).code == 0

    listed = cli("query", "orders", "list", "--customer", b, "--status", "ORDER_STATUS_FULFILLED")
    assert [o["id"] for o in listed["orders"]] == [order_id]
    assert listed["total_count"] == "1"
    statuses = [e["status"] for e in cli("query", "orders", "get", "--order-id", order_id)
                ["order"]["timeline"]]
    assert statuses == ["ORDER_STATUS_CREATED", "ORDER_STATUS_PAID", "ORDER_STATUS_FULFILLED"]


@pytest.fixture(scope="module")
def gateway(single):
    """The localnet's own gRPC gateway process of node 0 (statesetd gateway)."""
    import socket

    port = single.nodes[0].grpc
    deadline = time.monotonic() + 20
    while True:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        assert time.monotonic() < deadline, "gateway not listening"
        time.sleep(0.2)
    return f"grpc+http://127.0.0.1:{port}"


def test_cosmpy_ledger_client_sends_through_the_grpc_gateway(single, gateway):
    """A wallet using cosmpy's high-level LedgerClient (gRPC) works unchanged."""
    from cosmpy.aerial.client import LedgerClient, NetworkConfig
    from cosmpy.aerial.client.bank import create_bank_send_msg
    from cosmpy.aerial.client.utils import prepare_and_broadcast_basic_transaction
    from cosmpy.aerial.tx import Transaction, TxFee

    cfg = NetworkConfig(
        chain_id=CHAIN_ID, url=gateway, fee_minimum_gas_price=0.025,
        fee_denomination=USDC, staking_denomination=USDC,
    )
    ledger = LedgerClient(cfg)
    alice, dave = demo_wallets()[0], demo_wallets()[3]
    d = address_of(dave)
    before = ledger.query_bank_balance(d, USDC)
    tx = Transaction()
    tx.add_message(create_bank_send_msg(alice.address(), d, 4321, USDC))
    fee = TxFee(amount="5000uusdc", gas_limit=200_000)
    submitted = prepare_and_broadcast_basic_transaction(ledger, tx, alice, fee=fee)
    submitted.wait_to_complete(poll_period=0.5)
    assert submitted.response.code == 0
    assert ledger.query_bank_balance(d, USDC) == before + 4321
    # the one-call path: LedgerClient simulates the gas first (Simulate through the gateway)
    sent = ledger.send_tokens(d, 1000, USDC, alice)
    sent.wait_to_complete(poll_period=0.5)
    assert sent.response.code == 0
    assert ledger.query_bank_balance(d, USDC) == before + 4321 + 1000
    assert ledger.query_height() > 0


def test_grpc_gateway_errors_are_grpc_status_codes(gateway):
    import grpc

    from cosmos.auth.v1beta1 import query_pb2 as auth_query
    from cosmos.auth.v1beta1 import query_pb2_grpc as auth_grpc
    from cosmos.tx.v1beta1 import service_pb2, service_pb2_grpc

    channel = grpc.insecure_channel(gateway.removeprefix("grpc+http://"))
    tx_service = service_pb2_grpc.ServiceStub(channel)
    with pytest.raises(grpc.RpcError) as e:
        tx_service.GetTx(service_pb2.GetTxRequest(hash="AB" * 32))
    assert e.value.code() == grpc.StatusCode.NOT_FOUND and "not found" in e.value.details()
    with pytest.raises(grpc.RpcError) as e:
        auth_grpc.QueryStub(channel).Account(
            auth_query.QueryAccountRequest(address="stateset1notanaddress")
        )
    assert e.value.code() == grpc.StatusCode.INVALID_ARGUMENT and e.value.details()
    unknown = channel.unary_unary("/cosmos.gov.v1.Query/Proposal")
    with pytest.raises(grpc.RpcError) as e:
        unknown(b"")
    assert e.value.code() == grpc.StatusCode.UNIMPLEMENTED
    channel.close()
