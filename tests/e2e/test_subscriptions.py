"""A subscription on a real CometBFT v0.38 node: the customer signs one cosmpy-built tx, and the
chain bills two cycles by itself at end-block (no further tx), each an ordinary PAID order."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

import stateset_chain.pb  # noqa: F401
from localnet import Localnet
from stateset_chain.client import address_of, wallet_from_mnemonic
from stateset_chain.coins import SSUSD
from stateset_chain.localnet import load_demo_accounts

from stateset.orders.v1 import query_pb2 as orders_q
from stateset.orders.v1.orders_pb2 import LineItem, OrderStatus
from stateset.subscriptions.v1 import query_pb2 as q
from stateset.subscriptions.v1 import tx_pb2 as tx
from stateset.subscriptions.v1.subscriptions_pb2 import Interval

pytestmark = pytest.mark.e2e

PERIOD_S = 3


def test_a_subscription_bills_two_cycles_by_itself(tmp_path):
    net = Localnet(tmp_path / "run", validators=1, base_port=0)
    for node in net.generate():
        path = Path(node.home) / "config" / "genesis.json"
        genesis = json.loads(path.read_text())
        genesis["app_state"]["subscriptions"] = {"params": {"min_interval_seconds": str(PERIOD_S)}}
        path.write_text(json.dumps(genesis, indent=2) + "\n")
    net.start()
    try:
        client = net.client(0)
        alice, bob = (wallet_from_mnemonic(a["mnemonic"]) for a in load_demo_accounts()[:2])
        customer, merchant = address_of(alice), address_of(bob)
        before = client.balance(customer, SSUSD)
        msg = tx.MsgCreateSubscription(
            customer=customer,
            merchant=merchant,
            items=[LineItem(sku="COFFEE-1KG", name="Coffee", quantity=1, unit_price="12.5")],
            interval=Interval.INTERVAL_SECONDS,
            interval_seconds=PERIOD_S,
        )
        sent = client.send(alice, [msg])
        assert sent.code == 0, sent.log
        result = client.wait_for_tx(sent.txhash)
        assert result.code == 0, result.log
        [sub] = client.query(
            "/stateset.subscriptions.v1.Query/Subscriptions",
            q.QuerySubscriptionsRequest(customer=customer),
            q.QuerySubscriptionsResponse,
        ).subscriptions
        sub_id = sub.id

        deadline = time.monotonic() + 60
        while True:
            got = client.query(
                "/stateset.subscriptions.v1.Query/Subscription",
                q.QuerySubscriptionRequest(id=sub_id),
                q.QuerySubscriptionResponse,
            )
            if len(got.cycles) >= 2 or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert len(got.cycles) >= 2, got
        assert got.subscription.status == 3  # ACTIVE
        for c in got.cycles[:2]:
            order = client.query(
                "/stateset.orders.v1.Query/Order",
                orders_q.QueryOrderRequest(order_id=c.cycle.order_id),
                orders_q.QueryOrderResponse,
            ).order
            assert order.status == OrderStatus.ORDER_STATUS_PAID
            assert (order.subscription_id, order.subscription_cycle) == (sub_id, c.cycle.number)
            assert order.customer == customer and order.total == c.cycle.amount
        assert [c.cycle.number for c in got.cycles[:2]] == [1, 2]
        # fees are not paid in ssusd: only the billed cycles left the customer's ssusd
        # (balance first: cycles billed after it are in ``final`` but not in ``spent``)
        spent = before - client.balance(customer, SSUSD)
        final = client.query(
            "/stateset.subscriptions.v1.Query/Subscription",
            q.QuerySubscriptionRequest(id=sub_id),
            q.QuerySubscriptionResponse,
        )
        assert spent in {
            sum(c.cycle.amount for c in final.cycles[:n]) for n in range(2, len(final.cycles) + 1)
        }
    finally:
        net.stop()
