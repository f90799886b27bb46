"""Payments that no order can take (unknown order, overpayment, cancelled or already paid order,
wrong currency) lose nothing: they wait in ``crosschain_unclaimed`` under their message hash,
an event says why, and they go back across chains (anyone may send them) or, for a sender with
an account here, to a local address."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.cctp.codec import BurnMessage, Message, keccak256
from stateset_chain.cctp.codec import pad_address as pad
from stateset_chain.coins import SSUSD, USDC
from stateset_chain.crosschain.deposit import deposit_address, deposit_mint_recipient
from stateset_chain.crypto import address as addr
from tests.chain import CHAIN_ID, address
from tests.crosschain.helpers import (
    ALICE_ETH,
    ESCROW,
    ETHEREUM,
    UNCLAIMED,
    UNIT,
    Net,
    events,
)

from stateset.cctp.v1 import events_pb2 as cctp_events
from stateset.cctp.v1 import tx_pb2 as cctp_tx
from stateset.crosschain.v1 import events_pb2 as x_events
from stateset.crosschain.v1 import tx_pb2 as xtx
from stateset.crosschain.v1.crosschain_pb2 import UnclaimedReason as R
from stateset.orders.v1 import orders_pb2 as o
from stateset.orders.v1 import tx_pb2 as otx

NEVER_CREATED = "ord_ZZZZZZZZZZ"


@pytest.fixture
def net() -> Net:
    return Net.start()


def park(net: Net, order_id: str, amount: int, sender: bytes = ALICE_ETH):
    """Relay a payment that must be parked; returns (result, message hash, record)."""
    result, raw = net.relay(amount, deposit_mint_recipient(order_id, CHAIN_ID), sender=sender)
    assert result.code == 0, result.log
    record = net.unclaimed(keccak256(raw))
    assert record is not None
    assert net.balance(deposit_address(order_id, CHAIN_ID)) == 0
    return result, keccak256(raw), record


def test_payment_for_an_unknown_order_is_parked_and_refunded_to_ethereum(net):
    supply_before = net.supply()
    result, h, record = park(net, NEVER_CREATED, 12 * UNIT)
    assert record.reason == R.UNCLAIMED_REASON_UNKNOWN_ORDER
    assert (record.order_id, record.amount) == (NEVER_CREATED, str(12 * UNIT))
    assert record.denom == "uusdc"
    assert (record.source_domain, record.original_sender, record.nonce) == (ETHEREUM, ALICE_ETH, 1)
    assert record.detail.startswith("orders/2:")
    (credited,) = events(result, x_events.UnclaimedFundsCredited)
    assert credited.amount == str(12 * UNIT) and credited.record == record
    assert events(result, x_events.CrossChainPaymentReceived) == []
    assert not any(e.type.startswith("stateset.orders.") for e in result.events)
    assert net.balance(UNCLAIMED) == 12 * UNIT

    refund = net.refund_unclaimed(h)  # a relayer, not the payer: the destination is fixed

    assert refund.code == 0, refund.log
    (sent,) = events(refund, cctp_events.MessageSent)
    message = Message.decode(sent.message)
    burn = BurnMessage.decode(message.body)
    assert (message.destination_domain, burn.mint_recipient, burn.amount) == (
        ETHEREUM, ALICE_ETH, 12 * UNIT
    )
    assert burn.message_sender == pad(addr.decode(UNCLAIMED))
    (refunded,) = events(refund, x_events.UnclaimedFundsRefunded)
    assert (refunded.amount, refunded.remaining) == (str(12 * UNIT), "0")
    assert refunded.outbound_message_hash == keccak256(sent.message)
    assert net.unclaimed(h) is None
    assert net.balance(UNCLAIMED) == 0
    assert net.supply() == supply_before


def test_overpayment_leaves_the_order_untouched_and_can_go_back_in_parts(net):
    order_id = net.create_order("100")
    _, h, record = park(net, order_id, 150 * UNIT)
    assert record.reason == R.UNCLAIMED_REASON_OVERPAYMENT
    order = net.order(order_id)
    assert (order.status, order.amount_paid, len(order.payments)) == (o.ORDER_STATUS_CREATED, 0, 0)
    assert [t.status for t in order.timeline] == [o.ORDER_STATUS_CREATED]
    assert net.balance(ESCROW) == 0

    first = net.refund_unclaimed(h, str(100 * UNIT))
    assert first.code == 0, first.log
    assert net.unclaimed(h).amount == str(50 * UNIT)
    too_much = net.refund_unclaimed(h, str(51 * UNIT))
    assert (too_much.codespace, too_much.code) == ("crosschain", 6)
    rest = net.refund_unclaimed(h)
    assert rest.code == 0, rest.log
    amounts = [BurnMessage.decode(Message.decode(e.message).body).amount
               for r in (first, rest) for e in events(r, cctp_events.MessageSent)]
    assert amounts == [100 * UNIT, 50 * UNIT]
    assert net.unclaimed(h) is None


def test_payment_for_a_cancelled_order_is_parked(net):
    order_id = net.create_order("100")
    c = address(net.customer)
    net.ok(net.customer, [otx.MsgCancelOrder(signer=c, order_id=order_id, reason="changed")])
    _, h, record = park(net, order_id, 100 * UNIT)
    assert record.reason == R.UNCLAIMED_REASON_ORDER_NOT_PAYABLE
    assert net.order(order_id).status == o.ORDER_STATUS_CANCELLED
    assert net.refund_unclaimed(h).code == 0
    assert net.all_unclaimed() == []


def test_second_payment_of_a_paid_order_is_parked_and_the_first_stands(net):
    order_id = net.create_order("10")
    net.pay_from_ethereum(order_id, 10 * UNIT)
    _, _, record = park(net, order_id, 10 * UNIT)
    assert record.reason == R.UNCLAIMED_REASON_ORDER_NOT_PAYABLE
    assert net.order(order_id).amount_paid == 10 * UNIT
    assert net.balance(ESCROW) == 10 * UNIT


def test_an_overpayment_of_an_ssusd_order_is_parked_as_usdc_and_issues_nothing(net):
    order_id = net.create_order("10", currency="ssusd")
    supply = net.supply(SSUSD)
    _, _, record = park(net, order_id, 11 * UNIT)
    assert record.reason == R.UNCLAIMED_REASON_OVERPAYMENT
    assert record.denom == USDC and record.amount == str(11 * UNIT)
    assert net.order(order_id).amount_paid == 0
    assert net.supply(SSUSD) == supply  # the issuance was dropped with the refused payment


def test_a_cosmos_sender_claims_its_parked_funds_here(net):
    """A sender on a Cosmos chain (Noble writes the 20 account bytes left-padded) has the same
    account bytes here: it may take the funds locally instead."""
    claimer = net.relayer
    sender = pad(addr.decode(address(claimer)))
    _, h, _ = park(net, NEVER_CREATED, 9 * UNIT, sender=sender)
    target = addr.encode(bytes([0x77]) * 20)

    def claim(wallet, **kw):
        fields = {"signer": address(wallet), "message_hash": h, **kw}
        return net.tx(wallet, [xtx.MsgClaimUnclaimed(**fields)])

    stranger = claim(net.customer)
    assert (stranger.codespace, stranger.code) == ("crosschain", 7)
    to_module = claim(claimer, recipient=ESCROW)
    assert (to_module.codespace, to_module.code) == ("crosschain", 8)
    to_deposit = claim(claimer, recipient=deposit_address(NEVER_CREATED, CHAIN_ID))
    assert (to_deposit.codespace, to_deposit.code) == ("crosschain", 9)
    over = claim(claimer, amount=str(10 * UNIT))
    assert (over.codespace, over.code) == ("crosschain", 6)

    part = claim(claimer, recipient=target, amount=str(4 * UNIT))
    assert part.code == 0, part.log
    assert net.balance(target) == 4 * UNIT
    before = net.balance(address(claimer))
    rest = claim(claimer)
    assert rest.code == 0, rest.log
    (claimed,) = events(rest, x_events.UnclaimedFundsClaimed)
    assert (claimed.recipient, claimed.amount, claimed.remaining) == (
        address(claimer), str(5 * UNIT), "0"
    )
    assert net.balance(address(claimer)) == before + 5 * UNIT
    assert net.unclaimed(h) is None and net.balance(UNCLAIMED) == 0


def test_an_ethereum_sender_cannot_be_claimed_for_locally(net):
    _, h, _ = park(net, NEVER_CREATED, 3 * UNIT)
    for wallet in net.chain.wallets:
        result = net.tx(wallet, [xtx.MsgClaimUnclaimed(signer=address(wallet), message_hash=h)])
        assert (result.codespace, result.code) == ("crosschain", 7)


def test_refund_of_unclaimed_funds_obeys_cctp_pauses_and_keeps_the_record(net):
    _, h, _ = park(net, NEVER_CREATED, 3 * UNIT)
    admin = address(net.admin)
    net.ok(net.admin, [cctp_tx.MsgPauseBurningAndMinting(signer=admin)])
    paused = net.refund_unclaimed(h)
    assert (paused.codespace, paused.code) == ("cctp", 15)
    assert net.unclaimed(h).amount == str(3 * UNIT)
    net.ok(net.admin, [cctp_tx.MsgUnpauseBurningAndMinting(signer=admin)])
    assert net.refund_unclaimed(h).code == 0


def test_unclaimed_messages_refuse_bad_input(net):
    missing = net.refund_unclaimed(bytes(32))
    assert (missing.codespace, missing.code) == ("crosschain", 3)
    short = net.refund_unclaimed(bytes(31))
    assert (short.codespace, short.code) == ("crosschain", 4)
    _, h, _ = park(net, NEVER_CREATED, UNIT)
    for bad in ("0", "01", "1.5", "-1"):
        result = net.refund_unclaimed(h, bad)
        assert (result.codespace, result.code) == ("crosschain", 5), bad


def test_replayed_payment_is_refused_and_parks_nothing_twice(net):
    order_id = net.create_order("10")
    _, raw = net.pay_from_ethereum(order_id, 4 * UNIT)
    again = net.relay_raw(raw)
    assert (again.codespace, again.code) == ("cctp", 20)
    assert net.order(order_id).amount_paid == 4 * UNIT
    assert net.all_unclaimed() == []


def test_a_payment_to_an_order_compliance_froze_is_parked_for_its_sender(net):
    """Its merchant was sanctioned after creation: the order takes no payment (compliance
    OrderFrozen), so the minted coins wait for the sender instead of failing the relay."""
    from stateset.compliance.v1 import tx_pb2 as ctx_tx

    order_id = net.create_order("100")
    net.ok(net.admin, [ctx_tx.MsgAddSanction(
        signer=address(net.admin), address=address(net.merchant), reason="listed",
        list_source="test",
    )])
    _, h, record = park(net, order_id, 100 * UNIT)
    assert record.reason == R.UNCLAIMED_REASON_PAYMENT_REFUSED
    assert "compliance/26" in record.detail
    assert net.order(order_id).amount_paid == 0
    assert net.refund_unclaimed(h).code == 0
