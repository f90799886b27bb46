"""State sync end to end on real CometBFT v0.38 nodes on loopback (no mocks).

Four validators take a snapshot every 10 heights while wallets send coins and create orders; a
fifth node configured with ``[statesync]`` (two validators' RPC servers, the trust height and
hash of the latest ``/commit``) joins by restoring a snapshot instead of replaying the chain,
then follows it: the same app hashes as the validators at every later height, and the same
answers to queries (balances, and the orders list, whose node-local indexes it rebuilt).
"""

from __future__ import annotations

import random
import time

import pytest

from localnet import Localnet
from stateset_chain.coins import USDC
from tests.e2e.test_network import Sender, demo_wallets

from stateset.orders.v1 import orders_pb2
from stateset.orders.v1 import query_pb2 as oq
from stateset.orders.v1 import tx_pb2 as orders_tx

pytestmark = pytest.mark.e2e

INTERVAL = 10
ORDERS = "/stateset.orders.v1.Query/Orders"


@pytest.fixture(scope="module")
def net(tmp_path_factory):
    net = Localnet(tmp_path_factory.mktemp("statesync") / "run", validators=4, base_port=0,
                   snapshot_interval=INTERVAL, snapshot_keep=2)
    net.start()
    yield net
    net.stop()


def load(net: Localnet, senders: list[Sender], merchant: str, until: int, rng) -> int:
    """Sends and orders from the demo wallets until node 0 reaches height ``until``."""
    accepted = 0
    n = 0
    while net.height(0) < until:
        for s in rng.sample(senders, 2):
            n += 1
            if n % 2:
                res = s.send(rng.choice(senders).address, rng.randint(1, 10_000))
            else:
                msg = orders_tx.MsgCreateOrder(
                    creator=s.address, customer=s.address, merchant=merchant, name=f"o{n}",
                    items=[orders_pb2.LineItem(sku=f"SKU-{n}", name="thing", quantity=1,
                                               unit_price="3.25")],
                )
                res = s.client.broadcast(s.sign([msg]))
                if res.code == 0:
                    s.sequence += 1
            accepted += res.code == 0
        time.sleep(0.2)
    return accepted


def snapshot_heights(net: Localnet, i: int) -> list[int]:
    root = net.dir / f"node{i}" / "app" / "data" / "snapshots"
    return sorted(int(p.name) for p in root.iterdir() if p.name.isdigit()) if root.exists() else []


def manifest(net: Localnet, i: int, height: int) -> bytes:
    """Node i's manifest of the snapshot at ``height`` (waiting for its worker to write it)."""
    path = net.dir / f"node{i}" / "app" / "data" / "snapshots" / str(height) / "manifest"
    deadline = time.monotonic() + 20
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    return path.read_bytes()


def orders_of(net: Localnet, i: int, merchant: str) -> int:
    request = oq.QueryOrdersRequest(merchant=merchant, limit=5)
    return net.client(i).query(ORDERS, request, oq.QueryOrdersResponse).total_count


def test_a_fifth_node_joins_by_snapshot_and_follows_the_chain(net):
    join_and_follow(net, load_until=2 * INTERVAL + 3, follow=4)


@pytest.mark.slow
def test_soak_a_node_joins_a_long_busy_chain_and_survives_a_restart(long_net):
    """--run-slow: longer load before and after the join, then the joined node (app and
    CometBFT) is SIGKILLed and restarted: it resumes from its restored state and keeps the
    validators' app hashes."""
    joined, senders, merchant, rng = join_and_follow(long_net, load_until=8 * INTERVAL,
                                                     follow=30)
    long_net.kill_node(joined)
    long_net.kill_app(joined)
    load(long_net, senders, merchant, long_net.height(0) + 5, rng)
    long_net.start_app(joined)
    long_net.start_node(joined)
    load(long_net, senders, merchant, long_net.height(0) + 10, rng)
    top = long_net.height(0)
    long_net.wait_for_height(joined, top + 1, timeout=120)
    for h in range(top - 15, top + 1):
        assert long_net.app_hash(joined, h) == long_net.app_hash(0, h), f"height {h}"


@pytest.fixture(scope="module")
def long_net(tmp_path_factory):
    net = Localnet(tmp_path_factory.mktemp("statesync-long") / "run", validators=4,
                   base_port=0, snapshot_interval=INTERVAL, snapshot_keep=3)
    net.start()
    yield net
    net.stop()


def join_and_follow(net: Localnet, load_until: int, follow: int):
    """Load until ``load_until``, join a node by state sync under load, check it restored a
    snapshot, has the validators' app hashes for ``follow`` more loaded heights and answers
    queries as they do."""
    rng = random.Random(15)
    wallets = demo_wallets()
    senders = [Sender(net.client(0), w) for w in wallets[:-1]]
    merchant = Sender(net.client(0), wallets[-1]).address
    # heights from now: on a loaded machine the net may be well past height 1 already
    assert load(net, senders, merchant, net.height(0) + load_until, rng) > 20
    deadline = time.monotonic() + 60
    while len(snapshot_heights(net, 0)) < 2 and time.monotonic() < deadline:
        time.sleep(0.5)
    taken = snapshot_heights(net, 0)
    assert 2 <= len(taken) <= net.snapshot_keep, taken
    assert all(h % INTERVAL == 0 for h in taken), taken
    # every validator lists the same snapshot (a function of the state alone), so a joining
    # node may fetch its chunks from any of them
    assert len({manifest(net, i, taken[-1]) for i in range(4)}) == 1

    joined = net.add_statesync_node(rpc_nodes=(0, 1))
    start = net.height(0)
    load(net, senders, merchant, start + 8, rng)  # the chain keeps moving while it joins
    net.wait_for_height(joined, start + 8, timeout=180)

    status = net.rpc(joined, "status")["sync_info"]
    restored = int(status["earliest_block_height"])
    assert restored > 1, "the node replayed the chain instead of restoring a snapshot"
    log = net.log_path(joined, "app").read_text()
    assert f"restored the snapshot of height {restored - 1}" in log
    assert (restored - 1) % INTERVAL == 0

    # it follows the chain: the validators' app hash at every height since it joined
    load(net, senders, merchant, net.height(0) + follow, rng)
    top = net.height(0)
    net.wait_for_height(joined, top + 1, timeout=60)
    for h in range(restored, top + 1):
        assert net.app_hash(joined, h) == net.app_hash(0, h), f"height {h}"

    # and answers queries like them (the chain idle, so both are at the same state)
    height = net.height(0) + 2
    for i in (0, joined):
        net.wait_for_height(i, height, timeout=60)
    for s in senders:
        assert net.client(joined).balance(s.address, USDC) == \
            net.client(0).balance(s.address, USDC)
    assert orders_of(net, joined, merchant) == orders_of(net, 0, merchant) > 0
    return joined, senders, merchant, rng
