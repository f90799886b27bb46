"""An order paid from Ethereum with a plain depositForBurn, later refunded back to Ethereum: the
payment record, the events, and every field of the outbound burn message."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.cctp.codec import BurnMessage, Message, burn_token_for_denom, keccak256
from stateset_chain.cctp.codec import pad_address as pad
from stateset_chain.crosschain.deposit import deposit_address, deposit_mint_recipient
from stateset_chain.crypto import address as addr
from tests.chain import CHAIN_ID
from tests.crosschain.helpers import (
    ALICE_ETH,
    BOB_ETH,
    CCTP_MODULE,
    ESCROW,
    ETHEREUM,
    LOCAL,
    TOKEN_MESSENGER,
    UNIT,
    Net,
    events,
)

from stateset.cctp.v1 import events_pb2 as cctp_events
from stateset.crosschain.v1 import events_pb2 as x_events
from stateset.orders.v1 import events_pb2 as order_events
from stateset.orders.v1.orders_pb2 import (
    ORDER_STATUS_CREATED,
    ORDER_STATUS_PAID,
    ORDER_STATUS_REFUNDED,
    PAYMENT_STATUS_PARTIALLY_PAID,
    PAYMENT_STATUS_REFUNDED,
)


@pytest.fixture
def net() -> Net:
    return Net.start()


def test_order_paid_from_ethereum_then_refunded_to_ethereum_with_a_well_formed_burn(net):
    supply_before = net.supply()
    order_id = net.create_order("100")
    deposit = deposit_address(order_id, CHAIN_ID)

    result, inbound = net.pay_from_ethereum(order_id, 100 * UNIT)

    order = net.order(order_id)
    assert order.status == ORDER_STATUS_PAID
    (payment,) = order.payments
    assert (payment.payer, payment.amount, payment.denom, payment.method) == (
        deposit, 100 * UNIT, "uusdc", "cctp"
    )
    origin = payment.cross_chain
    assert payment.HasField("cross_chain")
    assert origin.source_domain == ETHEREUM
    assert origin.message_hash == keccak256(inbound).hex()
    assert origin.original_sender == ALICE_ETH.hex()
    assert origin.nonce == 1
    (received,) = events(result, x_events.CrossChainPaymentReceived)
    assert received.order_id == order_id
    assert (received.source_domain, received.amount) == (ETHEREUM, str(100 * UNIT))
    assert received.message_hash == keccak256(inbound)
    assert received.original_sender == ALICE_ETH
    assert (received.nonce, received.payment_id) == (1, payment.id)
    assert len(events(result, order_events.OrderPaid)) == 1
    assert net.balance(deposit) == 0
    assert net.balance(ESCROW) == 100 * UNIT
    assert net.supply() == supply_before + 100 * UNIT

    result = net.refund(order_id)

    order = net.order(order_id)
    assert order.status == ORDER_STATUS_REFUNDED
    assert order.payment_status == PAYMENT_STATUS_REFUNDED
    assert [t.status for t in order.timeline] == [
        ORDER_STATUS_CREATED, ORDER_STATUS_PAID, ORDER_STATUS_REFUNDED
    ]
    assert net.balance(ESCROW) == 0
    assert net.supply() == supply_before  # minted on the way in, burned on the way out

    (sent,) = events(result, cctp_events.MessageSent)
    message = Message.decode(sent.message)
    assert message.version == 0
    assert message.source_domain == LOCAL
    assert message.destination_domain == ETHEREUM
    assert message.nonce == 0  # the chain's first outbound message
    assert message.sender == CCTP_MODULE
    assert message.recipient == TOKEN_MESSENGER
    assert message.destination_caller == bytes(32)
    burn = BurnMessage.decode(message.body)
    assert burn.version == 0
    assert burn.burn_token == burn_token_for_denom("uusdc")
    assert burn.mint_recipient == ALICE_ETH
    assert burn.amount == 100 * UNIT
    assert burn.message_sender == pad(addr.decode(ESCROW))

    (initiated,) = events(result, x_events.CrossChainRefundInitiated)
    assert initiated.order_id == order_id
    assert (initiated.destination_domain, initiated.amount) == (ETHEREUM, str(100 * UNIT))
    assert initiated.message_hash == keccak256(sent.message)
    assert initiated.mint_recipient == ALICE_ETH
    assert (initiated.nonce, initiated.payment_id) == (0, payment.id)
    (deposit_event,) = events(result, cctp_events.DepositForBurn)
    assert deposit_event.depositor == ESCROW
    assert deposit_event.mint_recipient == ALICE_ETH
    (refunded,) = events(result, order_events.OrderRefunded)
    assert refunded.status == ORDER_STATUS_REFUNDED

    (refund,) = order.refunds
    (payout,) = refund.payouts
    assert payout.amount == 100 * UNIT
    assert payout.recipient == addr.module_address("cctp")
    assert payout.cross_chain.destination_domain == ETHEREUM
    assert payout.cross_chain.mint_recipient == ALICE_ETH.hex()
    assert payout.cross_chain.message_hash == keccak256(sent.message).hex()
    assert payout.cross_chain.unclaimed_id == ""
    assert order.payments[0].refunded == 100 * UNIT


def test_partial_payments_from_two_ethereum_payers_accumulate_then_pay_the_order(net):
    order_id = net.create_order("100")
    first, raw_a = net.pay_from_ethereum(order_id, 30 * UNIT, sender=ALICE_ETH)
    order = net.order(order_id)
    assert order.status == ORDER_STATUS_CREATED
    assert order.payment_status == PAYMENT_STATUS_PARTIALLY_PAID
    (received,) = events(first, order_events.PaymentReceived)
    assert (received.amount_paid, received.amount_due) == (30 * UNIT, 70 * UNIT)
    assert events(first, order_events.OrderPaid) == []

    second, raw_b = net.pay_from_ethereum(order_id, 70 * UNIT, sender=BOB_ETH)
    order = net.order(order_id)
    assert order.status == ORDER_STATUS_PAID
    assert [(p.amount, p.cross_chain.original_sender) for p in order.payments] == [
        (30 * UNIT, ALICE_ETH.hex()), (70 * UNIT, BOB_ETH.hex())
    ]
    assert [p.cross_chain.message_hash for p in order.payments] == [
        keccak256(raw_a).hex(), keccak256(raw_b).hex()
    ]
    assert len(events(second, order_events.OrderPaid)) == 1

    result = net.refund(order_id)
    burns = [BurnMessage.decode(Message.decode(e.message).body)
             for e in events(result, cctp_events.MessageSent)]
    assert [(b.mint_recipient, b.amount) for b in burns] == [
        (ALICE_ETH, 30 * UNIT), (BOB_ETH, 70 * UNIT)
    ]


def test_padding_bytes_of_the_mint_recipient_do_not_matter(net):
    """cctp mints to the last 20 bytes, so a recipient written with nonzero padding still pays."""
    order_id = net.create_order("5")
    recipient = b"\xff" * 12 + deposit_mint_recipient(order_id, CHAIN_ID)[12:]
    result, _ = net.relay(5 * UNIT, recipient)
    assert result.code == 0, result.log
    assert net.order(order_id).status == ORDER_STATUS_PAID


def test_a_mint_to_an_ordinary_account_is_left_alone(net):
    someone = addr.encode(bytes([0x42]) * 20)
    result, _ = net.relay(7 * UNIT, pad(addr.decode(someone)))
    assert result.code == 0, result.log
    assert net.balance(someone) == 7 * UNIT
    assert events(result, x_events.CrossChainPaymentReceived) == []
    assert not any(e.type.startswith("stateset.crosschain.") for e in result.events)
    assert not any(e.type.startswith("stateset.orders.") for e in result.events)
