"""Genesis of the glue (and of orders with cross-chain payments) round-trips byte for byte;
bad genesis is refused; the unclaimed-balance invariant catches a mismatch."""

from __future__ import annotations

import json

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.abci.adapter import AbciApp
from stateset_chain.bank.state import BankKeeper
from stateset_chain.cctp.codec import keccak256
from stateset_chain.cctp.state import CctpKeeper
from stateset_chain.coins import USDC
from stateset_chain.context import BlockInfo, Context
from stateset_chain.crosschain import genesis, invariants
from stateset_chain.crosschain.deposit import deposit_mint_recipient
from stateset_chain.crosschain.errors import InvalidGenesis
from stateset_chain.crosschain.state import CrosschainKeeper
from stateset_chain.errors import InvariantBroken
from stateset_chain.orders.state import OrdersKeeper
from stateset_chain.store.commit import CommitStore
from stateset_chain.store.kv import Branch
from stateset_chain.wiring import module_accounts, standard_app
from tests.bank.helpers import FakeAccounts, fund, new_ctx
from tests.chain import CHAIN_ID, address
from tests.crosschain.helpers import UNCLAIMED, UNIT, Net

from stateset.cctp.v1 import tx_pb2 as cctp_tx
from tendermint.abci import types_pb2 as abci


def module(app, name: str):
    return next(m for m in app.modules if m.name == name)


def view(app) -> Context:
    return Context(Branch(app.store.state), BlockInfo(1, 0, CHAIN_ID))


@pytest.fixture(scope="module")
def busy() -> Net:
    """A chain with a cross-chain payment, a parked payment and a parked refund (of an ssUSD
    order with a named refund destination), and one more named destination."""
    net = Net.start()
    paid = net.create_order("50")
    net.pay_from_ethereum(paid, 50 * UNIT)
    net.relay(7 * UNIT, deposit_mint_recipient("ord_ZZZZZZZZZZ", CHAIN_ID))
    refunded = net.create_order("20", currency="ssusd")
    assert net.set_refund_destination(refunded, 0, b"\x0d" * 32).code == 0
    assert net.set_refund_destination(net.create_order("9"), 6, b"\x0e" * 32).code == 0
    net.pay_from_ethereum(refunded, 20 * UNIT)
    net.ok(net.admin, [cctp_tx.MsgPauseBurningAndMinting(signer=address(net.admin))])
    net.refund(refunded, 5 * UNIT)
    return net


def test_export_then_init_reproduces_the_state(busy):
    app = busy.chain.core
    ctx = view(app)
    exported = {m.name: m.export_genesis(ctx) for m in app.modules if m.export_genesis}
    assert len(exported["crosschain"]["unclaimed"]) == 2
    assert len(exported["crosschain"]["refund_destinations"]) == 2
    assert sum("refund_to" in r for r in exported["crosschain"]["unclaimed"]) == 1
    fresh = standard_app(CommitStore.in_memory())
    AbciApp(fresh).init_chain(abci.RequestInitChain(
        chain_id=CHAIN_ID, app_state_bytes=json.dumps(exported).encode(), initial_height=1))
    fresh_ctx = Context(fresh._genesis, BlockInfo(1, 0, CHAIN_ID))
    for prefix in (b"crosschain/", b"orders/"):
        want = list(ctx.store.iterate_prefix(prefix))
        assert list(fresh_ctx.store.iterate_prefix(prefix)) == want
    again = module(fresh, "crosschain").export_genesis(fresh_ctx)
    assert again == exported["crosschain"]


def test_records_carry_their_reasons(busy):
    reasons = sorted(r.reason for r in busy.all_unclaimed())
    assert reasons == [1, 6]  # UNKNOWN_ORDER, REFUND_NOT_SENT
    assert busy.balance(UNCLAIMED) == 12 * UNIT


def good_record(**overrides) -> dict:
    import base64

    record = {
        "message_hash": base64.b64encode(keccak256(b"m")).decode(),
        "source_domain": 0,
        "original_sender": base64.b64encode(bytes(32)).decode(),
        "amount": "5",
        "denom": USDC,
        "reason": "UNCLAIMED_REASON_OVERPAYMENT",
    }
    record.update(overrides)
    return record


@pytest.mark.parametrize(
    "records",
    [
        [good_record(message_hash="AAAA")],
        [good_record(), good_record()],
        [good_record(original_sender="AAAA")],
        [good_record(amount="0")],
        [good_record(amount="05")],
        [good_record(amount="-5")],
        [good_record(denom="ussusd")],
        [good_record(reason="UNCLAIMED_REASON_UNSPECIFIED")],
        [good_record(surprise=1)],
    ],
)
def test_bad_genesis_is_refused(records):
    bank = BankKeeper(FakeAccounts(), module_accounts())
    keeper = CrosschainKeeper(bank, OrdersKeeper(bank), CctpKeeper(bank))
    with pytest.raises(InvalidGenesis):
        genesis.init_genesis(keeper, new_ctx(), {"unclaimed": records})


def good_destination(**overrides) -> dict:
    import base64

    destination = {
        "order_id": "ord_Fudckhr3X7",
        "domain": 0,
        "recipient": base64.b64encode(b"\x01" * 32).decode(),
    }
    destination.update(overrides)
    return destination


@pytest.mark.parametrize(
    "data",
    [
        {"refund_destinations": [good_destination(order_id="ord_1")]},
        {"refund_destinations": [good_destination(), good_destination()]},
        {"refund_destinations": [good_destination(recipient="AAAA")]},
        {"refund_destinations": [good_destination(recipient="A" * 43 + "=")]},  # 32 zero bytes
        {"unclaimed": [good_record(refund_to=good_destination(recipient="AAAA"))]},
    ],
)
def test_bad_refund_destinations_in_genesis_are_refused(data):
    bank = BankKeeper(FakeAccounts(), module_accounts())
    keeper = CrosschainKeeper(bank, OrdersKeeper(bank), CctpKeeper(bank))
    genesis.init_genesis(keeper, new_ctx(), {"refund_destinations": [good_destination()]})
    with pytest.raises(InvalidGenesis):
        genesis.init_genesis(keeper, new_ctx(), data)


def test_invariant_catches_unbacked_records_and_untracked_coins():
    bank = BankKeeper(FakeAccounts(), module_accounts())
    keeper = CrosschainKeeper(bank, OrdersKeeper(bank), CctpKeeper(bank))
    ctx = new_ctx()
    genesis.init_genesis(keeper, ctx, {"unclaimed": [good_record(amount="5")]})
    with pytest.raises(InvariantBroken):  # a record without coins
        invariants.unclaimed_balance(keeper, ctx)
    fund(bank, ctx, {UNCLAIMED: {USDC: 5}})
    invariants.unclaimed_balance(keeper, ctx)
    fund(bank, ctx, {UNCLAIMED: {USDC: 1}})
    with pytest.raises(InvariantBroken):  # coins without a record
        invariants.unclaimed_balance(keeper, ctx)


def test_orders_genesis_refuses_a_malformed_cross_chain_origin(busy):
    from stateset_chain.orders.errors import InvalidGenesis as OrdersInvalidGenesis

    app = busy.chain.core
    exported = module(app, "orders").export_genesis(view(app))
    payment = next(p for order in exported["orders"] for p in order.get("payments", [])
                   if "cross_chain" in p)
    payment["cross_chain"]["original_sender"] = "a11ce"
    with pytest.raises(OrdersInvalidGenesis):
        module(standard_app(CommitStore.in_memory()), "orders").init_genesis(
            view(standard_app(CommitStore.in_memory())), exported)
