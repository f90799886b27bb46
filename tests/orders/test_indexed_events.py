"""Every typed orders event is followed by one plain ``order`` event (order id, event name,
status, customer, merchant, total as a coin string) that CometBFT's kv indexer can match on
plain values: ``tx_search "order.order_id='ord_...'"``."""

from __future__ import annotations

import pytest

from stateset_chain.orders import indexed
from tests.event_helpers import plain_attributes
from tests.orders.helpers import CUSTOMER, MERCHANT, Chain

from stateset.orders.v1 import tx_pb2 as tx


def order_events(chain: Chain) -> list[dict[str, str]]:
    return [plain_attributes(e) for e in chain.events if e.type == indexed.ORDER_EVENT]


def typed_orders_events(chain: Chain) -> list[str]:
    return [e.type.rsplit(".", 1)[-1] for e in chain.events if ".orders." in e.type]


def test_create_is_followed_by_the_plain_order_event():
    chain = Chain()
    oid = chain.create()
    order = chain.order(oid)
    assert order_events(chain) == [{
        "order_id": oid, "event": "OrderCreated", "status": "CREATED", "customer": CUSTOMER,
        "merchant": MERCHANT, "amount": f"{order.total}ussusd",
    }]
    types = [e.type for e in chain.events]
    assert types.index("order") == types.index("stateset.orders.v1.OrderCreated") + 1


def test_each_typed_event_of_a_payment_gets_its_own_plain_event():
    chain = Chain()
    oid = chain.create()
    chain.pay(oid)
    got = [(e["event"], e["status"]) for e in order_events(chain)]
    assert got == [("PaymentReceived", "CREATED"), ("OrderPaid", "PAID")]
    assert [e["event"] for e in order_events(chain)] == typed_orders_events(chain)


@pytest.mark.parametrize("status", ["HELD", "FULFILLED", "SHIPPED", "DISPUTED", "RETURNED"])
def test_lifecycle_events_carry_the_status_after_the_change(status):
    chain = Chain()
    oid = chain.to_status(status)
    last = order_events(chain)[-1]
    assert (last["order_id"], last["status"]) == (oid, status)
    assert [e["event"] for e in order_events(chain)] == typed_orders_events(chain)


def test_refund_and_settlement_get_plain_events():
    chain = Chain()
    oid = chain.to_status("HELD")
    chain.deliver(tx.MsgCancelOrder(signer=MERCHANT, order_id=oid, reason="out of stock"))
    assert [(e["event"], e["status"]) for e in order_events(chain)] == [
        ("OrderCancelled", "CANCELLED")
    ]
    oid = chain.to_status("DELIVERED")
    chain.advance(8 * 86_400)
    assert [(e["order_id"], e["event"]) for e in order_events(chain)] == [(oid, "OrderSettled")]
