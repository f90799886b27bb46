"""When cctp cannot send a refund now (burning paused, over the per-message burn limit, no
remote token messenger for the domain any more), the order's refund still happens: the amount
moves from escrow to the unclaimed account under the payment's message hash, and goes back
across chains later."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.cctp.codec import BurnMessage, Message, keccak256
from tests.chain import address
from tests.crosschain.helpers import ALICE_ETH, ESCROW, ETHEREUM, UNCLAIMED, UNIT, Net, events

from stateset.cctp.v1 import events_pb2 as cctp_events
from stateset.cctp.v1 import tx_pb2 as cctp_tx
from stateset.crosschain.v1 import events_pb2 as x_events
from stateset.crosschain.v1.crosschain_pb2 import UnclaimedReason as R
from stateset.orders.v1 import orders_pb2 as o


@pytest.fixture
def net() -> Net:
    return Net.start()


def test_refund_while_burning_is_paused_is_parked_then_sent(net):
    order_id = net.create_order("100")
    _, inbound = net.pay_from_ethereum(order_id, 100 * UNIT)
    h = keccak256(inbound)
    admin = address(net.admin)
    net.ok(net.admin, [cctp_tx.MsgPauseBurningAndMinting(signer=admin)])

    result = net.refund(order_id)

    order = net.order(order_id)
    assert order.status == o.ORDER_STATUS_REFUNDED
    assert events(result, cctp_events.MessageSent) == []
    assert events(result, x_events.CrossChainRefundInitiated) == []
    (payout,) = order.refunds[0].payouts
    assert payout.recipient == UNCLAIMED
    assert payout.cross_chain.unclaimed_id == h.hex()
    assert payout.cross_chain.message_hash == ""
    record = net.unclaimed(h)
    assert record.reason == R.UNCLAIMED_REASON_REFUND_NOT_SENT
    assert (record.order_id, record.payment_id) == (order_id, order.payments[0].id)
    assert (record.amount, record.original_sender) == (str(100 * UNIT), ALICE_ETH)
    assert record.detail.startswith("cctp/15:")
    (credited,) = events(result, x_events.UnclaimedFundsCredited)
    assert credited.amount == str(100 * UNIT)
    assert (net.balance(ESCROW), net.balance(UNCLAIMED)) == (0, 100 * UNIT)

    net.ok(net.admin, [cctp_tx.MsgUnpauseBurningAndMinting(signer=admin)])
    sent = net.refund_unclaimed(h)
    assert sent.code == 0, sent.log
    (message,) = events(sent, cctp_events.MessageSent)
    burn = BurnMessage.decode(Message.decode(message.message).body)
    assert (burn.mint_recipient, burn.amount) == (ALICE_ETH, 100 * UNIT)
    assert net.unclaimed(h) is None


def test_refunds_over_the_burn_limit_are_parked_and_sent_in_parts(net):
    order_id = net.create_order("30")
    _, inbound = net.pay_from_ethereum(order_id, 30 * UNIT)
    h = keccak256(inbound)
    admin = address(net.admin)
    net.ok(net.admin, [cctp_tx.MsgSetMaxBurnAmountPerMessage(
        signer=admin, local_token="uusdc", amount=str(10 * UNIT))])

    first = net.refund(order_id, 12 * UNIT)  # over the limit: parked
    assert events(first, cctp_events.MessageSent) == []
    net.refund(order_id, 11 * UNIT)  # parked too: the payment's record adds it up
    third = net.refund(order_id, 7 * UNIT)  # under the limit: burned
    assert len(events(third, cctp_events.MessageSent)) == 1

    assert net.unclaimed(h).amount == str(23 * UNIT)
    assert net.order(order_id).status == o.ORDER_STATUS_REFUNDED
    whole = net.refund_unclaimed(h)
    assert (whole.codespace, whole.code) == ("cctp", 27)  # BurnAmountOverLimit
    for part in (10, 10, 3):
        assert net.refund_unclaimed(h, str(part * UNIT)).code == 0
    assert net.unclaimed(h) is None
    assert net.balance(UNCLAIMED) == 0


def test_refund_to_a_domain_without_a_token_messenger_is_parked(net):
    order_id = net.create_order("5")
    _, inbound = net.pay_from_ethereum(order_id, 5 * UNIT)
    admin = address(net.admin)
    net.ok(net.admin, [cctp_tx.MsgRemoveRemoteTokenMessenger(signer=admin, domain_id=ETHEREUM)])
    net.refund(order_id)
    record = net.unclaimed(keccak256(inbound))
    assert record.detail.startswith("cctp/22:")
    assert net.order(order_id).status == o.ORDER_STATUS_REFUNDED
