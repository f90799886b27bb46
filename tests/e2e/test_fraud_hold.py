"""End to end on a real CometBFT v0.38 node: the chain authority turns on a velocity rule
(at most 1 order per customer a day, weight above the hold threshold); a customer's second
order is held at payment (HELD, reason fraud_review, its score and fired rule on the order and
in FraudAssessed), the funds stay in escrow, the customer cannot release it, the merchant does."""

from __future__ import annotations

import base64
import json

import pytest

from localnet import Localnet
from stateset_chain.client import address_of, wallet_from_mnemonic
from stateset_chain.coins import SSUSD, Coin
from stateset_chain.crypto.address import module_address
from stateset_chain.localnet import load_demo_accounts

from stateset.compliance.v1 import query_pb2 as cq
from stateset.compliance.v1 import tx_pb2 as ctx_tx
from stateset.compliance.v1.compliance_pb2 import FraudRules, VelocityRule
from stateset.orders.v1 import orders_pb2
from stateset.orders.v1 import tx_pb2 as orders_tx

pytestmark = pytest.mark.e2e
ESCROW = module_address("orders_escrow")


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    net = Localnet(tmp_path_factory.mktemp("fraud") / "run", validators=1, base_port=0)
    net.start()
    yield net
    net.stop()


def committed(client, wallet, msgs):
    res = client.send(wallet, msgs)
    assert res.code == 0, res.log
    done = client.wait_for_tx(res.txhash)
    return done


def plain_events(client, txhash: str, type_: str) -> list[dict]:
    r = client.rpc("tx", hash=base64.b64encode(bytes.fromhex(txhash)).decode())
    return [
        {a["key"]: a["value"] for a in e["attributes"]}
        for e in r["tx_result"]["events"] if e["type"] == type_
    ]


def typed_events(client, txhash: str, type_: str) -> list[dict]:
    r = client.rpc("tx", hash=base64.b64encode(bytes.fromhex(txhash)).decode())
    return [
        {a["key"]: json.loads(a["value"]) for a in e["attributes"] if a["key"] != "msg_index"}
        for e in r["tx_result"]["events"] if e["type"] == type_
    ]


def test_a_velocity_rule_holds_the_second_order_and_the_merchant_releases_it(node):
    client = node.client(0)
    alice, bob, carol = (wallet_from_mnemonic(a["mnemonic"]) for a in load_demo_accounts()[:3])
    a, b, c = address_of(alice), address_of(bob), address_of(carol)

    params = client.query("/stateset.compliance.v1.Query/Params", cq.QueryParamsRequest(),
                          cq.QueryParamsResponse).params
    params.fraud.CopyFrom(FraudRules(
        velocity=VelocityRule(max_orders=1, window_seconds=86_400, bucket_seconds=3_600,
                              orders_weight_bps=6_000),
        hold_threshold_bps=5_000,
    ))
    done = committed(client, alice, [ctx_tx.MsgUpdateParams(authority=a, params=params)])
    assert done.code == 0, done.log

    def order_and_pay() -> tuple[str, object]:
        create = orders_tx.MsgCreateOrder(
            creator=b, customer=b, merchant=c, name="Lamp",
            items=[orders_pb2.LineItem(sku="LAMP-1", name="Lamp", quantity=1, unit_price="12")],
        )
        created = committed(client, bob, [create])
        assert created.code == 0, created.log
        [order_id] = [e["order_id"] for e in plain_events(client, created.txhash, "order")]
        order = client.order(order_id)
        pay = orders_tx.MsgPayOrder(payer=b, order_id=order_id,
                                    amount=Coin(SSUSD, order.total).to_proto())
        paid = committed(client, bob, [pay])
        assert paid.code == 0, paid.log
        return order_id, paid

    first, _ = order_and_pay()
    assert client.order(first).status == orders_pb2.ORDER_STATUS_PAID
    assert client.order(first).fraud.score_bps == 0

    escrow_before = client.balance(ESCROW, SSUSD)
    second, paid = order_and_pay()
    held = client.order(second)
    assert held.status == orders_pb2.ORDER_STATUS_HELD
    assert held.hold_reason == "fraud_review"
    assert held.fraud.score_bps == 6_000 and held.fraud.held
    assert [r.rule for r in held.fraud.fired] == ["velocity_orders"]
    assert client.balance(ESCROW, SSUSD) == escrow_before + held.total  # funds stay in escrow
    [assessed] = [e for e in typed_events(client, paid.txhash,
                                          "stateset.compliance.v1.FraudAssessed")
                  if e["assessment"].get("stage") == "FRAUD_STAGE_PAY"]
    assert assessed["order_id"] == second and assessed["assessment"]["held"] is True
    [order_held] = typed_events(client, paid.txhash, "stateset.orders.v1.OrderHeld")
    assert order_held["reason"].startswith("fraud_review")

    release = orders_tx.MsgReleaseOrder(signer=b, order_id=second, reason="let me")
    refused = committed(client, bob, [release])
    assert refused.code != 0 and "may not release" in refused.log

    release = orders_tx.MsgReleaseOrder(signer=c, order_id=second, reason="known customer")
    released = committed(client, carol, [release])
    assert released.code == 0, released.log
    order = client.order(second)
    assert order.status == orders_pb2.ORDER_STATUS_PAID and order.hold_reason == ""
    assert order.fraud.score_bps == 6_000  # the decision stays explainable on the order
