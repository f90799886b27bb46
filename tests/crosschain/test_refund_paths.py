"""Every way an order's money goes back (cancel, refund, return, dispute resolution) burns a
cross-chain payment back to its original sender, and the order moves as any refund moves it."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.cctp.codec import BurnMessage, Message, keccak256
from stateset_chain.client import msg_register_encryption_key
from stateset_chain.crosschain.deposit import deposit_address
from stateset_chain.privacy import seal
from stateset_chain.privacy.client import seal_tracking
from tests.chain import CHAIN_ID, address
from tests.crosschain.helpers import ALICE_ETH, ESCROW, ETHEREUM, UNIT, Net, events
from tests.privacy.sealed import lookup

from stateset.cctp.v1 import events_pb2 as cctp_events
from stateset.crosschain.v1 import events_pb2 as x_events
from stateset.orders.v1 import events_pb2 as order_events
from stateset.orders.v1 import orders_pb2 as o
from stateset.orders.v1 import tx_pb2 as otx


def burns(result) -> list[tuple[int, bytes, int]]:
    out = []
    for sent in events(result, cctp_events.MessageSent):
        message = Message.decode(sent.message)
        burn = BurnMessage.decode(message.body)
        out.append((message.destination_domain, burn.mint_recipient, burn.amount))
    return out


def refund_initiated(result) -> list[tuple[str, int]]:
    return [(e.order_id, int(e.amount))
            for e in events(result, x_events.CrossChainRefundInitiated)]


def deliver(net: Net, order_id: str) -> None:
    m = address(net.merchant)
    net.ok(net.merchant, [otx.MsgFulfillOrder(signer=m, order_id=order_id)])
    if lookup(net.chain)(m) is None:
        key = seal.generate_private_key()
        net.ok(net.merchant, [msg_register_encryption_key(m, seal.public_bytes(key))])
    ship = otx.MsgShipOrder(signer=m, order_id=order_id, carrier="UPS")
    seal_tracking(ship, "1Z", net.order(order_id), chain_id=CHAIN_ID, lookup=lookup(net.chain))
    net.ok(net.merchant, [ship])
    net.ok(net.merchant, [otx.MsgDeliverOrder(signer=m, order_id=order_id)])


@pytest.fixture
def net() -> Net:
    return Net.start()


def test_customer_cancels_a_partly_paid_order(net):
    order_id = net.create_order("100")
    net.pay_from_ethereum(order_id, 25 * UNIT)
    c = address(net.customer)
    result = net.ok(net.customer, [otx.MsgCancelOrder(signer=c, order_id=order_id, reason="x")])
    assert burns(result) == [(ETHEREUM, ALICE_ETH, 25 * UNIT)]
    assert refund_initiated(result) == [(order_id, 25 * UNIT)]
    (cancelled,) = events(result, order_events.OrderCancelled)
    assert cancelled.refund.payouts[0].cross_chain.mint_recipient == ALICE_ETH.hex()
    assert net.order(order_id).status == o.ORDER_STATUS_CANCELLED
    assert net.balance(ESCROW) == 0


def test_merchant_cancels_a_fulfilled_order(net):
    order_id = net.create_order("100")
    net.pay_from_ethereum(order_id, 100 * UNIT)
    m = address(net.merchant)
    net.ok(net.merchant, [otx.MsgFulfillOrder(signer=m, order_id=order_id)])
    result = net.ok(net.merchant, [otx.MsgCancelOrder(signer=m, order_id=order_id, reason="x")])
    assert burns(result) == [(ETHEREUM, ALICE_ETH, 100 * UNIT)]
    assert net.order(order_id).status == o.ORDER_STATUS_CANCELLED


def test_partial_then_full_refund_order(net):
    order_id = net.create_order("100")
    net.pay_from_ethereum(order_id, 100 * UNIT)
    partial = net.refund(order_id, 15 * UNIT)
    assert burns(partial) == [(ETHEREUM, ALICE_ETH, 15 * UNIT)]
    order = net.order(order_id)
    assert order.status == o.ORDER_STATUS_PAID
    assert order.payment_status == o.PAYMENT_STATUS_PARTIALLY_REFUNDED
    full = net.refund(order_id)
    assert burns(full) == [(ETHEREUM, ALICE_ETH, 85 * UNIT)]
    assert net.order(order_id).status == o.ORDER_STATUS_REFUNDED
    nonces = [e.nonce for r in (partial, full) for e in events(r, cctp_events.DepositForBurn)]
    assert nonces == [0, 1]


def test_returned_order_refund_burns_back_and_settles_the_rest(net):
    order_id = net.create_order("100")
    net.pay_from_ethereum(order_id, 100 * UNIT)
    deliver(net, order_id)
    c = address(net.customer)
    net.ok(net.customer, [otx.MsgReturnOrder(signer=c, order_id=order_id, reason="broken")])
    merchant_before = net.balance(address(net.merchant))

    result = net.refund(order_id, 80 * UNIT)  # 20 restocking fee settles to the merchant side

    assert burns(result) == [(ETHEREUM, ALICE_ETH, 80 * UNIT)]
    order = net.order(order_id)
    assert order.status == o.ORDER_STATUS_REFUNDED
    assert order.settled and order.amount_settled == 20 * UNIT
    assert net.balance(address(net.merchant)) > merchant_before
    assert net.balance(ESCROW) == 0


@pytest.mark.parametrize(
    ("outcome", "refund_amount", "burned", "settled"),
    [
        (o.DISPUTE_OUTCOME_REFUND_FULL, "", 100, 0),
        (o.DISPUTE_OUTCOME_REFUND_PARTIAL, str(30 * UNIT), 30, 70),
        (o.DISPUTE_OUTCOME_RELEASE_TO_MERCHANT, "", 0, 100),
    ],
)
def test_dispute_resolution_burns_the_refunded_part(net, outcome, refund_amount, burned, settled):
    order_id = net.create_order("100")
    net.pay_from_ethereum(order_id, 100 * UNIT)
    c = address(net.customer)
    net.ok(net.customer, [otx.MsgDisputeOrder(signer=c, order_id=order_id, reason="late")])
    arbiter = address(net.admin)
    result = net.ok(net.admin, [otx.MsgResolveDispute(
        arbiter=arbiter, order_id=order_id, outcome=outcome, refund_amount=refund_amount,
        note="decided")])
    assert burns(result) == ([(ETHEREUM, ALICE_ETH, burned * UNIT)] if burned else [])
    (resolved,) = events(result, order_events.OrderResolved)
    assert (resolved.refunded, resolved.settled) == (burned * UNIT, settled * UNIT)
    order = net.order(order_id)
    assert order.status == o.ORDER_STATUS_RESOLVED
    assert order.amount_refunded == burned * UNIT
    assert net.balance(ESCROW) == 0


def test_the_payment_record_survives_until_the_refund(net):
    """The refund reads the origin from the stored payment, not from any cache."""
    order_id = net.create_order("10")
    _, inbound = net.pay_from_ethereum(order_id, 10 * UNIT)
    for _ in range(3):
        net.chain.block([])
    result = net.refund(order_id)
    (initiated,) = events(result, x_events.CrossChainRefundInitiated)
    assert initiated.payment_id == net.order(order_id).payments[0].id
    assert net.order(order_id).payments[0].cross_chain.message_hash == keccak256(inbound).hex()
    assert net.balance(deposit_address(order_id, CHAIN_ID)) == 0
