"""ssUSD orders paid from Ethereum: the minted USDC goes to the stablecoin reserve and the order
is paid in ssUSD issued from it; a refund redeems the ssUSD and burns the USDC back, with every
field of the outbound message checked. The peg (reserve == ssUSD supply) holds throughout."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.cctp.codec import BurnMessage, Message, burn_token_for_denom, keccak256
from stateset_chain.cctp.codec import pad_address as pad
from stateset_chain.coins import SSUSD, USDC
from stateset_chain.crosschain.deposit import deposit_address
from stateset_chain.crypto import address as addr
from tests.chain import CHAIN_ID, address
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
)
from stateset.stablecoin.v1 import events_pb2 as stablecoin_events

RESERVE = addr.module_address("stablecoin_reserve")


@pytest.fixture
def net() -> Net:
    return Net.start()


def peg(net: Net) -> tuple[int, int]:
    return net.balance(RESERVE, USDC), net.supply(SSUSD)


def test_ssusd_order_paid_from_ethereum_then_refunded_to_ethereum_as_usdc(net):
    usdc_supply, (reserve, ssusd_supply) = net.supply(USDC), peg(net)
    assert reserve == ssusd_supply
    order_id = net.create_order("100", currency="ssusd")
    deposit = deposit_address(order_id, CHAIN_ID)

    result, inbound = net.pay_from_ethereum(order_id, 100 * UNIT)

    order = net.order(order_id)
    assert order.status == ORDER_STATUS_PAID
    (payment,) = order.payments
    assert (payment.payer, payment.amount, payment.denom, payment.method) == (
        deposit, 100 * UNIT, SSUSD, "cctp"
    )
    assert payment.cross_chain.source_domain == ETHEREUM
    assert payment.cross_chain.original_sender == ALICE_ETH.hex()
    assert payment.cross_chain.message_hash == keccak256(inbound).hex()
    (issued,) = events(result, stablecoin_events.StablecoinIssued)
    assert (issued.sender, issued.amount) == (deposit, str(100 * UNIT))
    (received,) = events(result, x_events.CrossChainPaymentReceived)
    assert (received.order_id, received.amount, received.payment_id) == (
        order_id, str(100 * UNIT), payment.id
    )
    assert net.balance(deposit, USDC) == net.balance(deposit, SSUSD) == 0
    assert net.balance(ESCROW, SSUSD) == 100 * UNIT and net.balance(ESCROW, USDC) == 0
    assert peg(net) == (reserve + 100 * UNIT, ssusd_supply + 100 * UNIT)
    assert net.supply(USDC) == usdc_supply + 100 * UNIT  # minted by cctp, held by the reserve

    result = net.refund(order_id)

    order = net.order(order_id)
    assert order.status == ORDER_STATUS_REFUNDED
    assert [t.status for t in order.timeline] == [
        ORDER_STATUS_CREATED, ORDER_STATUS_PAID, ORDER_STATUS_REFUNDED
    ]
    (redeemed,) = events(result, stablecoin_events.StablecoinRedeemed)
    assert (redeemed.sender, redeemed.amount) == (ESCROW, str(100 * UNIT))
    assert net.balance(ESCROW, SSUSD) == net.balance(ESCROW, USDC) == 0
    assert peg(net) == (reserve, ssusd_supply)
    assert net.supply(USDC) == usdc_supply  # burned on the way out

    (sent,) = events(result, cctp_events.MessageSent)
    message = Message.decode(sent.message)
    assert message.version == 0
    assert message.source_domain == LOCAL
    assert message.destination_domain == ETHEREUM
    assert message.nonce == 0
    assert message.sender == CCTP_MODULE
    assert message.recipient == TOKEN_MESSENGER
    assert message.destination_caller == bytes(32)
    burn = BurnMessage.decode(message.body)
    assert burn.version == 0
    assert burn.burn_token == burn_token_for_denom(USDC)  # USDC goes back, never ssUSD
    assert burn.mint_recipient == ALICE_ETH
    assert burn.amount == 100 * UNIT
    assert burn.message_sender == pad(addr.decode(ESCROW))
    (initiated,) = events(result, x_events.CrossChainRefundInitiated)
    assert (initiated.destination_domain, initiated.mint_recipient) == (ETHEREUM, ALICE_ETH)
    assert initiated.message_hash == keccak256(sent.message)
    (payout,) = order.refunds[0].payouts
    assert payout.amount == 100 * UNIT
    assert payout.cross_chain.mint_recipient == ALICE_ETH.hex()
    assert payout.cross_chain.message_hash == keccak256(sent.message).hex()


def test_partial_ssusd_payments_accumulate_and_a_partial_refund_redeems_only_its_part(net):
    reserve, ssusd_supply = peg(net)
    order_id = net.create_order("100", currency="ssusd")
    net.pay_from_ethereum(order_id, 30 * UNIT, sender=ALICE_ETH)
    order = net.order(order_id)
    assert (order.status, order.payment_status) == (
        ORDER_STATUS_CREATED, PAYMENT_STATUS_PARTIALLY_PAID
    )
    result, _ = net.pay_from_ethereum(order_id, 70 * UNIT, sender=BOB_ETH)
    assert len(events(result, order_events.OrderPaid)) == 1
    assert peg(net) == (reserve + 100 * UNIT, ssusd_supply + 100 * UNIT)

    result = net.refund(order_id, 40 * UNIT)  # oldest payment first: 30 to Alice, 10 to Bob
    burns = [BurnMessage.decode(Message.decode(e.message).body)
             for e in events(result, cctp_events.MessageSent)]
    assert [(b.mint_recipient, b.amount) for b in burns] == [
        (ALICE_ETH, 30 * UNIT), (BOB_ETH, 10 * UNIT)
    ]
    assert peg(net) == (reserve + 60 * UNIT, ssusd_supply + 60 * UNIT)
    assert net.balance(ESCROW, SSUSD) == 60 * UNIT


def test_an_ssusd_refund_that_cannot_be_burned_now_waits_as_usdc(net):
    """Burning paused: the order's refund still happens; the redeemed USDC is parked."""
    from stateset.cctp.v1 import tx_pb2 as cctp_tx
    from stateset.crosschain.v1.crosschain_pb2 import UnclaimedReason

    order_id = net.create_order("10", currency="ssusd")
    _, inbound = net.pay_from_ethereum(order_id, 10 * UNIT)
    reserve, ssusd_supply = peg(net)
    net.ok(net.admin, [cctp_tx.MsgPauseBurningAndMinting(signer=address(net.admin))])
    net.refund(order_id)
    record = net.unclaimed(keccak256(inbound))
    assert record.reason == UnclaimedReason.UNCLAIMED_REASON_REFUND_NOT_SENT
    assert (record.denom, record.amount) == (USDC, str(10 * UNIT))
    assert peg(net) == (reserve - 10 * UNIT, ssusd_supply - 10 * UNIT)
    assert net.order(order_id).status == ORDER_STATUS_REFUNDED



def test_a_payment_the_stablecoin_cannot_issue_for_is_parked_as_usdc():
    """Issuance disabled (stablecoin params): the order is not paid, no ssUSD exists, and the
    minted USDC waits as unclaimed funds (PAYMENT_REFUSED, detail names the stablecoin error)."""
    import json

    from stateset_chain.abci.adapter import AbciApp
    from stateset_chain.store.commit import CommitStore
    from stateset_chain.wiring import standard_app
    from tests.chain import Chain, genesis_bytes, wallet

    from stateset.crosschain.v1.crosschain_pb2 import UnclaimedReason

    wallets = [wallet(i) for i in range(4)]
    state = json.loads(genesis_bytes(wallets))
    state["stablecoin"] = {"params": {"issuance_enabled": False, "max_supply": "0"}}
    app = standard_app(CommitStore.in_memory())
    app.check_invariants_every_block = True
    chain = Chain(AbciApp(app), wallets)
    chain.init(json.dumps(state, sort_keys=True).encode())
    chain.block([])
    net = Net(chain)
    order_id = net.create_order("10", currency="ssusd")
    reserve, ssusd_supply = peg(net)
    _, raw = net.pay_from_ethereum(order_id, 10 * UNIT)
    record = net.unclaimed(keccak256(raw))
    assert record.reason == UnclaimedReason.UNCLAIMED_REASON_PAYMENT_REFUSED
    assert record.detail.startswith("stablecoin/3:")
    assert (record.denom, record.amount) == (USDC, str(10 * UNIT))
    assert net.order(order_id).amount_paid == 0
    assert peg(net) == (reserve, ssusd_supply)
