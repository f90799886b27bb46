"""End to end on a real CometBFT node: the CLI seals an address given in clear and shows it to
the order's merchant and customer, redacted to anyone else; the chain (RPC: the tx, its events,
the stored order) never shows it in clear."""

from __future__ import annotations

import base64
import json
import subprocess
import sys

import pytest

from localnet import Localnet
from stateset_chain.localnet import load_demo_accounts

pytestmark = pytest.mark.e2e

NAME = "Ingrid Verysecret-Holloway"
STREET = "4471 Unlisted Cul-de-sac"
EMAIL = "ingrid.holloway@private-mail.test"
TRACKING = "1ZSECRETTRACK4471"


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    net = Localnet(tmp_path_factory.mktemp("privacy") / "run", validators=1, base_port=0)
    net.start()
    yield net
    net.stop()


def test_cli_seals_on_create_and_opens_on_get(node, tmp_path):
    keyring = str(tmp_path / "keyring")

    def cli(*args, stdin: str | None = None, ok: bool = True) -> dict:
        out = subprocess.run(
            [sys.executable, "-m", "stateset_chain.cli.main", *args, "--keyring-dir", keyring],
            capture_output=True, text=True, timeout=90, input=stdin,
        )
        if ok:
            assert out.returncode == 0, out.stderr
        return json.loads(out.stdout) if out.stdout.strip() else {"stderr": out.stderr}

    accounts = load_demo_accounts()
    names = ["alice", "bob", "carol"]
    for name, account in zip(names, accounts, strict=False):
        cli("keys", "add", name, "--recover", stdin=account["mnemonic"])
    rpc = ["--node", node.rpc_url(0)]
    bob = cli("keys", "show", "bob")["address"]
    carol = cli("keys", "show", "carol")["address"]

    address = {"name": NAME, "line1": STREET, "city": "Quietville", "postal_code": "55555",
               "region": "CA", "country": "US"}
    items = json.dumps([{"sku": "LAMP-1", "name": "Lamp", "quantity": 1, "unit_price": "25"}])
    # carol (the merchant) creates it: only a merchant creator may set a client order id
    create = ["tx", "orders", "create-order", "carol", "--customer", bob, "--merchant", carol,
              "--client-order-id", "priv-e2e-1", "--items", items,
              "--shipping-address", json.dumps(address), "--email", EMAIL, "--wait", *rpc]

    # the merchant has no key yet: the CLI refuses rather than send the address anywhere
    refused = subprocess.run(
        [sys.executable, "-m", "stateset_chain.cli.main", *create, "--keyring-dir", keyring],
        capture_output=True, text=True, timeout=90,
    )
    assert refused.returncode == 1 and "registered no encryption key" in refused.stderr

    for who in ("carol", "bob"):
        assert cli("tx", "privacy", "register-key", who, "--wait", *rpc)["code"] == 0
    key = cli("query", "privacy", "encryption-key", "--address", carol, *rpc)["key"]
    assert key["version"] == "1"

    sent = cli(*create)
    assert sent["code"] == 0, sent

    for who in ("carol", "bob"):
        got = cli("query", "orders", "get", "--client-order-id", "priv-e2e-1", "--merchant", carol,
                  "--as", who, *rpc)
        personal = got["order"]["personal_data"]
        assert personal["opened_by"] == (carol if who == "carol" else bob)
        assert personal["data"]["shipping_address"]["name"] == NAME
        assert personal["data"]["email"] == EMAIL
        assert got["order"]["shipping_address"] == {"region": "CA", "country": "US"}
    other = cli("query", "orders", "get", "--client-order-id", "priv-e2e-1", "--merchant", carol,
                "--as", "alice", *rpc)["order"]["personal_data"]
    assert other["redacted"] is True and "data" not in other
    assert sorted(other["sealed_to"]) == sorted([bob, carol])

    # what anyone sees through the node's RPC: the tx, its events, the stored order
    client = node.client(0)
    tx = client.rpc("tx", hash=base64.b64encode(bytes.fromhex(sent["txhash"])).decode())
    seen = json.dumps(tx) + base64.b64decode(tx["tx"]).decode("latin-1")
    seen += json.dumps(client.rpc("block_results", height=str(tx["height"])))
    for secret in (NAME, STREET, EMAIL, "Quietville"):
        assert secret not in seen
        for event in tx["tx_result"]["events"]:
            for attr in event["attributes"]:
                assert secret not in str(attr.get("value", ""))

    # listing opens too, with every key of the keyring
    listed = cli("query", "orders", "list", "--customer", bob, *rpc)
    assert listed["orders"][0]["personal_data"]["data"]["shipping_address"]["line1"] == STREET

    # shipped: the tracking number is sealed by the CLI and opens for merchant and customer only
    stored = cli("query", "orders", "get", "--client-order-id", "priv-e2e-1",
                 "--merchant", carol, *rpc)["order"]
    order_id = stored["id"]
    amount = json.dumps({"denom": stored["denom"], "amount": stored["total"]})
    assert cli("tx", "orders", "pay-order", "bob", "--order-id", order_id, "--amount", amount,
               "--wait", *rpc)["code"] == 0
    assert cli("tx", "orders", "fulfill-order", "carol", "--order-id", order_id, "--wait",
               *rpc)["code"] == 0
    shipped = cli("tx", "orders", "ship-order", "carol", "--order-id", order_id, "--carrier",
                  "UPS", "--tracking-number", TRACKING, "--wait", *rpc)
    assert shipped["code"] == 0, shipped
    for who in ("carol", "bob"):
        got = cli("query", "orders", "get", "--order-id", order_id, "--as", who, *rpc)
        assert got["order"]["shipping"]["tracking"]["tracking_number"] == TRACKING
        assert got["order"]["shipping"]["carrier"] == "UPS"
    other = cli("query", "orders", "get", "--order-id", order_id, "--as", "alice", *rpc)
    assert other["order"]["shipping"]["tracking"]["redacted"] is True
    tx = client.rpc("tx", hash=base64.b64encode(bytes.fromhex(shipped["txhash"])).decode())
    seen = json.dumps(tx) + base64.b64decode(tx["tx"]).decode("latin-1")
    seen += json.dumps(client.rpc("block_results", height=str(tx["height"])))
    assert TRACKING not in seen


def test_python_client_seals_create_and_batch_and_reads_back(node):
    """NodeClient.create_order / batch_create_orders seal; read_order opens for the merchant."""
    from stateset_chain.client import msg_register_encryption_key, wallet_from_mnemonic
    from stateset_chain.privacy import seal

    client = node.client(0)
    accounts = load_demo_accounts()
    alice, dave = (wallet_from_mnemonic(accounts[i]["mnemonic"]) for i in (0, 3))
    a, d = str(alice.address()), str(dave.address())
    dave_key = seal.generate_private_key()
    res = client.send(dave, [msg_register_encryption_key(d, seal.public_bytes(dave_key))])
    assert client.wait_for_tx(res.txhash).code == 0

    def order(i: int) -> dict:
        return {"customer": a, "merchant": d, "client_order_id": f"py-priv-{i}",
                "items": [{"sku": "S", "name": "Soap", "quantity": 1, "unit_price": "3"}],
                "shipping_address": {**{"name": f"{NAME} {i}", "line1": STREET}, "country": "US"},
                "email": EMAIL}

    # dave (the merchant) creates them: only a merchant creator may set a client order id
    first = client.create_order(dave, order(0))
    assert first.code == 0, first.log
    assert client.wait_for_tx(first.txhash).code == 0
    batch = client.batch_create_orders(dave, [order(1), order(2)])
    assert batch.code == 0, batch.log
    done = client.wait_for_tx(batch.txhash)
    assert done.code == 0, done.log

    from stateset.orders.v1 import query_pb2 as q

    for i in range(3):
        response = client.query("/stateset.orders.v1.Query/Order",
                                q.QueryOrderRequest(client_order_id=f"py-priv-{i}", merchant=d),
                                q.QueryOrderResponse)
        mine = client.read_order(response.order.id, {d: [dave_key]})
        assert mine["personal_data"]["data"]["shipping_address"]["name"] == f"{NAME} {i}"
        theirs = client.read_order(response.order.id, {a: [seal.generate_private_key()]})
        assert theirs["personal_data"]["redacted"] is True
    for txhash in (first.txhash, batch.txhash):
        tx = client.rpc("tx", hash=base64.b64encode(bytes.fromhex(txhash)).decode())
        assert NAME not in json.dumps(tx) + base64.b64decode(tx["tx"]).decode("latin-1")
