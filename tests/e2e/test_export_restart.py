"""Export on real CometBFT: a chain stopped at height N, exported with ``statesetd export``, and a
new chain started from the document continue the same state.

Chain A (one validator) runs txs of several modules and is stopped; ``statesetd export`` (the CLI,
its own process) writes the genesis; chain B starts from it with A's validator key. Proved: B's
first block is N+1 and its header carries A's app hash at N; every query route, asked with values
from the exported state over CometBFT's ``/abci_query``, answers the same on B as it did on A.
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import stateset_chain.pb  # noqa: F401
from localnet import Localnet
from stateset_chain.client import address_of, msg_send, wallet_from_mnemonic
from stateset_chain.coins import USDC, Coin
from stateset_chain.localnet import load_demo_accounts
from stateset_chain.store.commit import CommitStore
from stateset_chain.wiring import standard_app
from tests.app.export_helpers import every_query

from stateset.inventory.v1 import tx_pb2 as inv_tx
from stateset.orders.v1 import orders_pb2
from stateset.orders.v1 import tx_pb2 as otx

pytestmark = pytest.mark.e2e


def rpc_answers(client, asked) -> list[tuple]:
    out = []
    for path, data in asked:
        res = client.rpc("abci_query", path=path, data=data.hex(), height="0")["response"]
        out.append((path, data, int(res.get("code", 0)), res.get("codespace", ""),
                    res.get("log", ""), base64.b64decode(res.get("value") or "")))
    return out


def live_state(client) -> dict:
    """The values every_query asks with, read from the running chain: its accounts, denoms,
    orders and SKUs (what the export will hold)."""
    from stateset.orders.v1 import query_pb2 as oq

    accounts = [{"address": address_of(wallet_from_mnemonic(x["mnemonic"]))}
                for x in load_demo_accounts()]
    orders = client.query("/stateset.orders.v1.Query/Orders", oq.QueryOrdersRequest(limit=100),
                          oq.QueryOrdersResponse).orders
    return {
        "auth": {"accounts": accounts},
        "orders": {"orders": [{"id": o.id, "client_order_id": o.client_order_id}
                              for o in orders]},
        "subscriptions": {}, "conditional": {}, "crosschain": {},
        "bank": {"denoms": ["ussusd", "uusdc"]},
        "inventory": {"stocks": [{"sku": "MUG"}]},
    }


def test_a_chain_started_from_an_export_continues_the_state(tmp_path):
    a = Localnet(tmp_path / "a", validators=1, base_port=0)
    a.generate()
    a.start()
    try:
        client = a.client(0)
        alice, bob = (wallet_from_mnemonic(x["mnemonic"]) for x in load_demo_accounts()[:2])
        al, bo = address_of(alice), address_of(bob)
        txs = [
            client.send(alice, [msg_send(al, bo, [Coin(USDC, 4321)])]),
            client.send(bob, [inv_tx.MsgSetInventory(merchant=bo, sku="MUG", quantity=9)]),
        ]
        for sent in txs:
            assert sent.code == 0, sent.log
            assert client.wait_for_tx(sent.txhash).code == 0
        order = otx.MsgCreateOrder(
            creator=al, customer=al, merchant=bo, name="mugs", currency="usdc",
            items=[orders_pb2.LineItem(sku="MUG", name="Mug", quantity=2, unit_price="8")],
        )
        sent = client.send(alice, [order])
        assert sent.code == 0 and client.wait_for_tx(sent.txhash).code == 0, sent.log
        # the answers before the stop (the empty blocks that follow change no state)
        listed = every_query(standard_app(CommitStore.in_memory()), live_state(client))
        before = rpc_answers(client, listed)
    finally:
        a.stop()

    node_a = a.nodes[0]
    store = CommitStore.open(str(Path(node_a.app_home) / "data" / "state"))
    height, app_hash = store.last_height, store.last_app_hash
    store.close()
    out = tmp_path / "exported.json"
    subprocess.run(
        [sys.executable, "-m", "stateset_chain.cli.main", "export", "--home", node_a.app_home,
         "--output", str(out)],
        check=True, capture_output=True, timeout=120,
    )
    exported = json.loads(out.read_text())
    assert exported["initial_height"] == str(height + 1)
    assert sum(1 for x in before if x[2] == 0 and x[5]) > 50

    b = Localnet(tmp_path / "b", validators=1, base_port=0)
    b.generate()
    node_b = b.nodes[0]
    (Path(node_b.home) / "config" / "genesis.json").write_text(json.dumps(exported, indent=2))
    shutil.copy(Path(node_a.home) / "config" / "priv_validator_key.json",
                Path(node_b.home) / "config" / "priv_validator_key.json")
    b.start()
    try:
        b.wait_for_height(0, height + 2)
        first = b.rpc(0, "block", height=str(height + 1))["block"]["header"]
        assert first["app_hash"] == app_hash.hex().upper()
        assert rpc_answers(b.client(0), listed) == before
    finally:
        b.stop()
