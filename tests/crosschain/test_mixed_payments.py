"""Orders paid partly from another chain and partly here: each payment is refunded the way it
came, oldest payment first (the orders module's rule)."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.cctp.codec import BurnMessage, Message
from stateset_chain.crypto import address as addr
from tests.chain import address
from tests.crosschain.helpers import ALICE_ETH, ESCROW, UNIT, Net, events

from stateset.cctp.v1 import events_pb2 as cctp_events
from stateset.orders.v1.orders_pb2 import (
    ORDER_STATUS_PAID,
    ORDER_STATUS_REFUNDED,
    PAYMENT_STATUS_PARTIALLY_REFUNDED,
)


@pytest.fixture
def net() -> Net:
    return Net.start()


def burns(result) -> list[tuple[bytes, int]]:
    out = []
    for sent in events(result, cctp_events.MessageSent):
        burn = BurnMessage.decode(Message.decode(sent.message).body)
        out.append((burn.mint_recipient, burn.amount))
    return out


def test_partial_cross_chain_plus_local_payment_then_full_refund_goes_each_way(net):
    customer = address(net.customer)
    supply_before = net.supply()
    order_id = net.create_order("100")
    net.pay_from_ethereum(order_id, 40 * UNIT)
    before_local = net.balance(customer)
    net.pay_locally(order_id, 60 * UNIT)
    assert net.balance(customer) == before_local - 60 * UNIT
    order = net.order(order_id)
    assert order.status == ORDER_STATUS_PAID
    assert [p.HasField("cross_chain") for p in order.payments] == [True, False]

    result = net.refund(order_id)

    assert burns(result) == [(ALICE_ETH, 40 * UNIT)]
    assert net.balance(customer) == before_local  # the local 60 came back here
    assert net.balance(ESCROW) == 0
    assert net.supply() == supply_before
    order = net.order(order_id)
    assert order.status == ORDER_STATUS_REFUNDED
    (refund,) = order.refunds
    assert [(p.recipient, p.amount, p.HasField("cross_chain")) for p in refund.payouts] == [
        (addr.module_address("cctp"), 40 * UNIT, True),
        (customer, 60 * UNIT, False),
    ]


def test_local_payment_first_is_refunded_first_then_the_cross_chain_one(net):
    customer = address(net.customer)
    order_id = net.create_order("100")
    net.pay_locally(order_id, 30 * UNIT)
    net.pay_from_ethereum(order_id, 70 * UNIT)
    before = net.balance(customer)

    first = net.refund(order_id, 50 * UNIT)  # 30 local (all of it), then 20 of the burn

    assert net.balance(customer) == before + 30 * UNIT
    assert burns(first) == [(ALICE_ETH, 20 * UNIT)]
    order = net.order(order_id)
    assert order.status == ORDER_STATUS_PAID
    assert order.payment_status == PAYMENT_STATUS_PARTIALLY_REFUNDED
    assert [p.refunded for p in order.payments] == [30 * UNIT, 20 * UNIT]

    second = net.refund(order_id)
    assert burns(second) == [(ALICE_ETH, 50 * UNIT)]
    assert net.balance(customer) == before + 30 * UNIT
    assert net.order(order_id).status == ORDER_STATUS_REFUNDED
    assert [p.refunded for p in net.order(order_id).payments] == [30 * UNIT, 70 * UNIT]
