"""The README's shop walk-through with the ``statesetd`` CLI against a real CometBFT localnet (no
mocks): the genesis tax rates and shipping methods price an order without editing params; tx
commands simulate for gas, wait for inclusion and say what they did; key names, display amounts
and short enum names work; a 10-order batch with default settings does not run out of gas; the
list gives its next cursor and filters on the external customer id; update-params is partial."""

from __future__ import annotations

import json

import pytest

from localnet import Localnet
from stateset_chain.cli.main import main
from stateset_chain.localnet import load_demo_accounts

pytestmark = pytest.mark.e2e

ALICE, BOB, CAROL = (a["address"] for a in load_demo_accounts()[:3])


@pytest.fixture(scope="module")
def net(tmp_path_factory):
    net = Localnet(tmp_path_factory.mktemp("cli") / "run", validators=1, base_port=0)
    net.start()
    yield net
    net.stop()


@pytest.fixture(scope="module")
def cli(net, tmp_path_factory):
    keyring = str(tmp_path_factory.mktemp("keys"))
    common = ["--keyring-dir", keyring, "--node", net.rpc_url(0)]
    assert main(["keys", "add-demo", "--keyring-dir", keyring]) == 0

    def run(*argv: str, code: int = 0) -> dict:
        import contextlib
        import io

        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            got = main([*argv, *common])
        assert got == code, out.getvalue()
        return json.loads(out.getvalue())

    run.common = common  # type: ignore[attr-defined]
    # the merchant publishes its encryption key: the shipping address is sealed to it
    run("tx", "privacy", "register-key", "carol")
    return run


DESK = '[{"sku": "DESK-1", "name": "Standing desk", "quantity": 1, "unit_price": "499.50"}]'
TO_SF = '{"name": "Bob", "line1": "1 Main St", "city": "San Francisco", "region": "CA", ' \
    '"postal_code": "94105", "country": "US"}'


def test_create_pay_fulfil_ship_deliver_with_the_genesis_tax_and_shipping(cli):
    created = cli("tx", "orders", "create-order", "bob", "--customer", "bob", "--merchant",
                  "carol", "--items", DESK, "--shipping-address", TO_SF,
                  "--shipping-method", "express")
    assert created["included"] is True and created["height"] > 0 and created["code"] == 0
    [response] = created["responses"]
    order_id = response["order_id"]
    # 499.50 + 7.25% California sales tax (36.21375) + 15.00 express shipping
    assert (response["total"], response["denom"]) == ("550713750", "ussusd")
    assert created["summary"] == [
        f"created order {order_id}: total 550.71375ssUSD (550713750ussusd)"
    ]
    assert created["gas_wanted"] >= created["gas_used"] > 0
    assert created["gas_simulated"] > 0

    paid = cli("tx", "orders", "pay-order", "bob", "--order-id", order_id,
               "--amount", "550.71375ssUSD")
    payment_id = paid["responses"][0]["payment_id"]
    assert payment_id.startswith("pay_")
    assert paid["summary"] == [
        f"paid 550.71375ssUSD (550713750ussusd) on order {order_id}: payment {payment_id}, "
        "order PAID"
    ]
    for command, status in (("fulfill-order", "FULFILLED"), ("ship-order", "SHIPPED"),
                            ("deliver-order", "DELIVERED")):
        ship = command == "ship-order"
        extra = ["--carrier", "UPS", "--tracking-number", "1Z999"] if ship else []
        done = cli("tx", "orders", command, "carol", "--order-id", order_id, *extra)
        assert done["summary"] == [f"order {order_id} is now {status}"]

    refund = cli("tx", "orders", "refund-order", "carol", "--order-id", order_id,
                 "--amount", "5.00ssUSD", "--reason", "scratched")
    refund_id = refund["responses"][0]["refund_id"]
    assert refund["summary"] == [
        f"refunded 5.00ssUSD (5000000ussusd) on order {order_id}: refund {refund_id}, "
        "order DELIVERED"
    ]

    listed = cli("query", "orders", "list", "--customer", "bob", "--status", "delivered")
    assert [o["id"] for o in listed["orders"]] == [order_id]
    again = cli("query", "tx", paid["txhash"])
    assert again["summary"] == paid["summary"]


def test_a_ten_order_batch_with_default_settings_gets_the_gas_it_needs(cli):
    orders = [
        {"customer": ALICE, "merchant": CAROL, "name": f"Mug {i}",
         "items": [{"sku": "MUG", "name": "Mug", "quantity": i + 1, "unit_price": "12.00"}],
         "metadata": {"customer_id": "cus_42" if i % 2 else "cus_7"}}
        for i in range(10)
    ]
    done = cli("tx", "orders", "batch-create-orders", "alice", "--orders", json.dumps(orders))
    assert done["code"] == 0, done["log"]
    assert done["gas_used"] > 200_000  # the SDK's fixed default would have run out
    assert len(done["summary"]) == 10
    assert done["summary"][1].endswith("total 24.00ssUSD (24000000ussusd)")

    # the external customer id filter, and the cursor of the next page
    page = cli("query", "orders", "list", "--customer-id", "cus_42", "--limit", "3")
    assert (page["total_count"], page["has_more"], len(page["orders"])) == ("5", True, 3)
    assert all(o["metadata"]["customer_id"] == "cus_42" for o in page["orders"])
    rest = cli("query", "orders", "list", "--customer-id", "cus_42", "--limit", "3",
               "--starting-after", page["next_starting_after"])
    assert len(rest["orders"]) == 2 and "next_starting_after" not in rest
    seen = {o["id"] for o in page["orders"] + rest["orders"]}
    assert len(seen) == 5


def test_a_fixed_gas_limit_too_low_fails_and_says_so(cli):
    """Too little for the ante: CheckTx refuses it; enough for the ante only: it fails in a
    block (and pays its fee), and the output says which."""
    refused = cli("tx", "orders", "create-order", "bob", "--customer", "bob", "--merchant",
                  "carol", "--items", DESK, "--gas", "20000", code=1)
    assert (refused["code"], refused["included"]) == (11, False)
    assert refused["note"] == "refused by CheckTx" and "out of gas" in refused["log"]
    failed = cli("tx", "orders", "create-order", "bob", "--customer", "bob", "--merchant",
                 "carol", "--items", DESK, "--gas", "40000", code=1)
    assert (failed["code"], failed["included"]) == (11, True) and failed["height"] > 0
    assert failed["summary"][0].startswith(f"failed in block {failed['height']}: ")
    assert "out of gas" in failed["summary"][0]


def test_no_wait_says_the_tx_was_not_waited_for(cli):
    # (dave: no later test signs as dave, so none races this tx's sequence in the mempool)
    done = cli("tx", "bank", "send", "dave", "alice", "1.00USDC", "--no-wait")
    assert done["included"] is False and done["height"] == 0
    assert "not waited for inclusion" in done["note"] and done["txhash"] in done["note"]


def test_update_params_changes_one_field_and_keeps_the_rest(cli):
    before = cli("query", "orders", "params")["params"]
    done = cli("tx", "orders", "update-params", "alice", "--params", '{"platform_fee_bps": 150}')
    assert done["code"] == 0, done["log"]
    after = cli("query", "orders", "params")["params"]
    assert after["platform_fee_bps"] == 150
    assert {**after, "platform_fee_bps": before["platform_fee_bps"]} == before


def test_a_tx_that_would_fail_is_refused_by_the_simulation_and_not_sent(cli, capsys):
    code = main(["tx", "orders", "pay-order", "bob", "--order-id", "ord_0000000000",
                 "--amount", "1.00ssUSD", *cli.common])
    out, err = capsys.readouterr()
    assert (code, out) == (1, "")
    assert err.startswith("error: the tx would fail (simulated, nothing sent): ")
    assert "not found" in err.lower()


def test_a_feeder_moves_the_localnet_rates_and_a_non_feeder_cannot(cli):
    """The localnet genesis prices EUR from the first block; ``submit-rates`` with
    CURRENCY=RATE pairs (written canonically by the CLI) moves it at that block's end."""
    before = cli("query", "oracle", "rate", "--currency", "EUR")
    assert before["rate"]["rate"] == "1.0842"
    assert before["rate"]["source"] == "RATE_SOURCE_GENESIS"
    sent = cli("tx", "oracle", "submit-rates", "alice", "EUR=1.0900", "gbp=1.28")
    assert sent["code"] == 0 and sent["included"] is True
    assert sent["summary"] == [
        "submitted EUR/USD 1.09, GBP/USD 1.28 (aggregated at the end of the block)"]
    after = cli("query", "oracle", "rate", "--currency", "EUR")
    assert (after["rate"]["rate"], after["rate"]["source"]) == ("1.09", "RATE_SOURCE_MEDIAN")
    assert int(after["rate"]["height"]) == sent["height"]
    subs = cli("query", "oracle", "submissions", "--currency", "GBP")["submissions"]
    assert [(s["feeder"], s["rate"]) for s in subs] == [(ALICE, "1.28")]
    refused = cli("tx", "oracle", "submit-rates", "carol", "EUR=2", "--gas", "200000", code=1)
    assert (refused["code"], refused["codespace"]) == (7, "oracle")  # NotFeeder
    assert cli("query", "oracle", "rate", "--currency", "EUR")["rate"]["rate"] == "1.09"
