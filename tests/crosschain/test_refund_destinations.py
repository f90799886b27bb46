"""Refund destinations named by the order's customer (MsgSetRefundDestination): a burn sent
through a router contract and a payment from Solana are refunded to the named destination, not
to the burn's message sender; only the customer can name it, and only before cross-chain money
arrives; unclaimed records keep it."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.cctp.codec import BurnMessage, Message, burn_token_for_denom, keccak256
from stateset_chain.cctp.codec import pad_address as pad
from stateset_chain.coins import SSUSD, USDC
from stateset_chain.crosschain.deposit import deposit_mint_recipient
from stateset_chain.crypto import address as addr
from tests.chain import CHAIN_ID, address
from tests.crosschain.helpers import (
    ALICE_ETH,
    CCTP_MODULE,
    ETHEREUM,
    LOCAL,
    TOKEN_MESSENGER,
    UNCLAIMED,
    UNIT,
    Net,
    events,
)

from stateset.cctp.v1 import events_pb2 as cctp_events
from stateset.cctp.v1 import tx_pb2 as cctp_tx
from stateset.crosschain.v1 import events_pb2 as x_events
from stateset.crosschain.v1 import tx_pb2 as xtx
from stateset.crosschain.v1.crosschain_pb2 import UnclaimedReason

# A router contract on Ethereum that calls depositForBurn for its users: it is the message sender.
ROUTER_ETH = pad(bytes.fromhex("70070e0000000000000000000000000000000003"))
# Solana (CCTP domain 5). TEST values: the TokenMessengerMinter program and USDC mint as bytes32,
# the program-derived sender of the burn, and the payer's own USDC token account.
SOLANA = 5
SOLANA_TOKEN_MESSENGER = bytes.fromhex("a6" * 32)
SOLANA_USDC = bytes.fromhex("c6" * 32)
SOLANA_PROGRAM_SENDER = bytes.fromhex("5e" * 32)
SOLANA_PAYER_TOKEN_ACCOUNT = bytes.fromhex("ab" * 32)


@pytest.fixture
def net() -> Net:
    return Net.start()


def outbound_burn(result) -> tuple[Message, BurnMessage]:
    (sent,) = events(result, cctp_events.MessageSent)
    message = Message.decode(sent.message)
    return message, BurnMessage.decode(message.body)


def link_solana(net: Net) -> None:
    admin = address(net.admin)
    net.ok(net.admin, [
        cctp_tx.MsgAddRemoteTokenMessenger(
            signer=admin, domain_id=SOLANA, address=SOLANA_TOKEN_MESSENGER
        ),
        cctp_tx.MsgLinkTokenPair(
            signer=admin, remote_domain=SOLANA, remote_token=SOLANA_USDC, local_token=USDC
        ),
    ])


def relay_from_solana(net: Net, order_id: str, amount: int) -> bytes:
    net.nonce += 1
    body = BurnMessage(
        version=0, burn_token=SOLANA_USDC,
        mint_recipient=deposit_mint_recipient(order_id, CHAIN_ID), amount=amount,
        message_sender=SOLANA_PROGRAM_SENDER,
    ).encode()
    raw = Message(
        version=0, source_domain=SOLANA, destination_domain=LOCAL, nonce=net.nonce,
        sender=SOLANA_TOKEN_MESSENGER, recipient=CCTP_MODULE, destination_caller=bytes(32),
        body=body,
    ).encode()
    result = net.relay_raw(raw)
    assert result.code == 0, result.log
    return raw


def test_a_router_sent_burn_is_refunded_to_the_customer_chosen_destination(net):
    order_id = net.create_order("50")
    result = net.set_refund_destination(order_id, ETHEREUM, ALICE_ETH)
    assert result.code == 0, result.log
    (set_event,) = events(result, x_events.RefundDestinationSet)
    assert set_event.destination.order_id == order_id
    assert (set_event.destination.domain, set_event.destination.recipient) == (ETHEREUM, ALICE_ETH)
    assert set_event.destination.set_by == address(net.customer)
    info = net.deposit_address_info(order_id)
    assert info.refund_destination.recipient == ALICE_ETH  # what a payer's wallet shows first

    net.pay_from_ethereum(order_id, 50 * UNIT, sender=ROUTER_ETH)
    assert net.order(order_id).payments[0].cross_chain.original_sender == ROUTER_ETH.hex()
    result = net.refund(order_id)

    message, burn = outbound_burn(result)
    assert (message.destination_domain, message.recipient) == (ETHEREUM, TOKEN_MESSENGER)
    assert burn.mint_recipient == ALICE_ETH != ROUTER_ETH
    assert burn.amount == 50 * UNIT
    (initiated,) = events(result, x_events.CrossChainRefundInitiated)
    assert (initiated.destination_domain, initiated.mint_recipient) == (ETHEREUM, ALICE_ETH)
    payout = net.order(order_id).refunds[0].payouts[0]
    assert payout.cross_chain.mint_recipient == ALICE_ETH.hex()


def test_without_a_named_destination_the_refund_goes_to_the_message_sender(net):
    order_id = net.create_order("5")
    net.pay_from_ethereum(order_id, 5 * UNIT, sender=ROUTER_ETH)
    _, burn = outbound_burn(net.refund(order_id))
    assert burn.mint_recipient == ROUTER_ETH  # the documented default: a direct EOA burn


def test_a_solana_payer_is_refunded_to_its_named_token_account(net):
    link_solana(net)
    order_id = net.create_order("20", currency="ssusd")
    assert net.set_refund_destination(order_id, SOLANA, SOLANA_PAYER_TOKEN_ACCOUNT).code == 0
    inbound = relay_from_solana(net, order_id, 20 * UNIT)
    order = net.order(order_id)
    assert (order.payments[0].denom, order.payments[0].cross_chain.source_domain) == (SSUSD, SOLANA)
    assert order.payments[0].cross_chain.message_hash == keccak256(inbound).hex()

    result = net.refund(order_id)

    message, burn = outbound_burn(result)
    assert message.source_domain == LOCAL
    assert message.destination_domain == SOLANA
    assert message.recipient == SOLANA_TOKEN_MESSENGER
    assert message.sender == CCTP_MODULE
    assert burn.burn_token == burn_token_for_denom(USDC)
    assert burn.mint_recipient == SOLANA_PAYER_TOKEN_ACCOUNT != SOLANA_PROGRAM_SENDER
    assert burn.amount == 20 * UNIT


def code(result) -> tuple[str, int]:
    return result.codespace, result.code


def test_only_the_customer_names_the_destination_and_only_before_cross_chain_money(net):
    order_id = net.create_order("10")
    stranger = net.merchant  # the merchant cannot redirect the customer's refunds
    assert code(net.set_refund_destination(order_id, ETHEREUM, ALICE_ETH, wallet=stranger)) == (
        "crosschain", 11
    )
    assert code(net.set_refund_destination("ord_ZZZZZZZZZZ", ETHEREUM, ALICE_ETH)) == (
        "crosschain", 10
    )
    assert code(net.set_refund_destination("ord_nope", ETHEREUM, ALICE_ETH)) == (
        "crosschain", 15  # InvalidOrderId: not an order id at all (a typo, not a missing order)
    )
    assert code(net.set_refund_destination(order_id, ETHEREUM, bytes(32))) == ("crosschain", 13)
    assert code(net.set_refund_destination(order_id, ETHEREUM, b"\x01" * 20)) == ("crosschain", 13)
    assert not net.deposit_address_info(order_id).HasField("refund_destination")
    # the customer may correct it while nothing has arrived
    assert net.set_refund_destination(order_id, ETHEREUM, ROUTER_ETH).code == 0
    assert net.set_refund_destination(order_id, ETHEREUM, ALICE_ETH).code == 0
    net.pay_from_ethereum(order_id, 4 * UNIT)  # a partial payment fixes it
    assert code(net.set_refund_destination(order_id, ETHEREUM, ROUTER_ETH)) == ("crosschain", 12)
    assert net.deposit_address_info(order_id).refund_destination.recipient == ALICE_ETH


def test_a_parked_overpayment_keeps_the_destination_and_goes_back_there(net):
    order_id = net.create_order("10")
    assert net.set_refund_destination(order_id, ETHEREUM, ALICE_ETH).code == 0
    result, raw = net.pay_from_ethereum(order_id, 11 * UNIT, sender=ROUTER_ETH)
    record = net.unclaimed(keccak256(raw))
    assert record.reason == UnclaimedReason.UNCLAIMED_REASON_OVERPAYMENT
    assert record.refund_to.recipient == ALICE_ETH
    assert record.original_sender == ROUTER_ETH
    sent = net.refund_unclaimed(keccak256(raw))
    assert sent.code == 0, sent.log
    _, burn = outbound_burn(sent)
    assert (burn.mint_recipient, burn.amount) == (ALICE_ETH, 11 * UNIT)
    assert net.balance(UNCLAIMED) == 0


def test_a_local_claim_follows_the_named_destination(net):
    """A record with a named destination can be claimed only by that destination's account."""
    order_id = net.create_order("10")
    customer_here = pad(addr.decode(address(net.customer)))
    assert net.set_refund_destination(order_id, ETHEREUM, customer_here).code == 0
    sender_here = pad(addr.decode(address(net.relayer)))
    _, raw = net.pay_from_ethereum(order_id, 11 * UNIT, sender=sender_here)
    by_sender = net.tx(net.relayer, [xtx.MsgClaimUnclaimed(
        signer=address(net.relayer), message_hash=keccak256(raw))])
    assert code(by_sender) == ("crosschain", 7)
    by_customer = net.tx(net.customer, [xtx.MsgClaimUnclaimed(
        signer=address(net.customer), message_hash=keccak256(raw))])
    assert by_customer.code == 0, by_customer.log


def test_a_burn_to_another_networks_deposit_address_is_parked_not_credited(net):
    """Same order id string, deposit address derived for another chain id: no order is paid."""
    order_id = net.create_order("10")
    foreign = deposit_mint_recipient(order_id, "stateset-other-1")
    result, raw = net.relay(10 * UNIT, foreign)
    assert result.code == 0, result.log
    assert net.order(order_id).amount_paid == 0
    record = net.unclaimed(keccak256(raw))
    assert record.reason == UnclaimedReason.UNCLAIMED_REASON_UNKNOWN_ORDER
    assert record.order_id == order_id and record.amount == str(10 * UNIT)
    assert net.balance(addr.encode(foreign[12:])) == 0



# -- no default where the message sender is not the wallet ------------------------------------


def net_with_params(params: dict) -> Net:
    """A Net whose genesis sets the crosschain params (``no_default_domains``, ``routers``)."""
    import json

    from stateset_chain.abci.adapter import AbciApp
    from stateset_chain.store.commit import CommitStore
    from tests.chain import Chain, genesis_bytes, standard_app, wallet

    app = standard_app(CommitStore.in_memory())
    app.check_invariants_every_block = True
    wallets = [wallet(i) for i in range(4)]
    chain = Chain(AbciApp(app), wallets)
    state = json.loads(genesis_bytes(wallets))
    state.setdefault("crosschain", {})["params"] = params
    chain.init(json.dumps(state, sort_keys=True).encode())
    chain.block([])
    return Net(chain)


def b64(raw: bytes) -> str:
    import base64

    return base64.b64encode(raw).decode()


def test_a_solana_payer_without_a_named_destination_is_parked_then_refunded_where_named(net):
    link_solana(net)
    order_id = net.create_order("20")
    inbound = relay_from_solana(net, order_id, 20 * UNIT)
    hash_ = keccak256(inbound)

    result = net.refund(order_id)

    assert not events(result, cctp_events.MessageSent)  # nothing goes to the program sender
    (parked,) = events(result, x_events.CrossChainRefundParked)
    assert (parked.order_id, parked.message_hash) == (order_id, hash_)
    assert parked.amount == str(20 * UNIT)
    assert parked.original_sender == SOLANA_PROGRAM_SENDER
    record = net.unclaimed(hash_)
    assert record.reason == UnclaimedReason.UNCLAIMED_REASON_NO_REFUND_DESTINATION
    assert int(record.amount) == 20 * UNIT and not record.HasField("refund_to")
    assert net.balance(UNCLAIMED) == 20 * UNIT
    # nobody can send it anywhere before the customer names a destination
    assert code(net.refund_unclaimed(hash_)) == ("crosschain", 14)
    # only the customer names it, once, after payment because no wallet paid
    assert code(net.set_refund_destination(
        order_id, SOLANA, SOLANA_PROGRAM_SENDER, wallet=net.merchant)) == ("crosschain", 11)
    assert net.set_refund_destination(order_id, SOLANA, SOLANA_PAYER_TOKEN_ACCOUNT).code == 0
    assert code(net.set_refund_destination(order_id, SOLANA, SOLANA_PROGRAM_SENDER)) == (
        "crosschain", 12)

    sent = net.refund_unclaimed(hash_)

    assert sent.code == 0, sent.log
    message, burn = outbound_burn(sent)
    assert message.destination_domain == SOLANA
    assert burn.mint_recipient == SOLANA_PAYER_TOKEN_ACCOUNT and burn.amount == 20 * UNIT
    assert net.balance(UNCLAIMED) == 0


def test_a_router_burn_with_the_router_listed_is_parked():
    net = net_with_params({"routers": [{"domain": ETHEREUM, "sender": b64(ROUTER_ETH)}]})
    order_id = net.create_order("5")
    _, inbound = net.pay_from_ethereum(order_id, 5 * UNIT, sender=ROUTER_ETH)
    result = net.refund(order_id)
    assert not events(result, cctp_events.MessageSent)
    assert events(result, x_events.CrossChainRefundParked)
    record = net.unclaimed(keccak256(inbound))
    assert record.reason == UnclaimedReason.UNCLAIMED_REASON_NO_REFUND_DESTINATION
    assert int(record.amount) == 5 * UNIT


def test_a_direct_eoa_burn_still_defaults_to_its_sender_when_a_router_is_listed():
    net = net_with_params({"routers": [{"domain": ETHEREUM, "sender": b64(ROUTER_ETH)}]})
    order_id = net.create_order("5")
    net.pay_from_ethereum(order_id, 5 * UNIT, sender=ALICE_ETH)
    _, burn = outbound_burn(net.refund(order_id))
    assert burn.mint_recipient == ALICE_ETH
    # a wallet paid: the destination is fixed, the customer cannot redirect it after the fact
    assert code(net.set_refund_destination(order_id, ETHEREUM, ROUTER_ETH)) == ("crosschain", 12)


def test_a_domain_listed_in_the_params_gets_no_default():
    net = net_with_params({"no_default_domains": [ETHEREUM]})
    order_id = net.create_order("5")
    net.pay_from_ethereum(order_id, 5 * UNIT, sender=ALICE_ETH)
    result = net.refund(order_id)
    assert not events(result, cctp_events.MessageSent)
    assert events(result, x_events.CrossChainRefundParked)


def test_params_survive_a_genesis_round_trip():
    from stateset_chain.context import BlockInfo, Context
    from stateset_chain.store.kv import Branch

    params = {"no_default_domains": [7], "routers": [{"domain": 3, "sender": b64(ROUTER_ETH)}]}
    net = net_with_params(params)
    app = net.chain.core
    ctx = Context(Branch(app.store.state), BlockInfo(1, 0, CHAIN_ID))
    [crosschain] = [m for m in app.modules if m.name == "crosschain"]
    assert crosschain.export_genesis(ctx)["params"] == params
