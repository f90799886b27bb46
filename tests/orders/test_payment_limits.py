"""Hole 3 of the hardening review (payment griefing): a 1-unit payment placed just before a
customer's exact payment turned it into an Overpayment failure, and 500 one-unit payments made
the next payment cost 1.64M gas instead of ~53k (every payment rewrites the order with all its
payment records). Now an order holds at most ``max_payments_per_order`` payments (the last one
must complete the order), and ``up_to`` pays "the amount due, up to N"."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.coins import SSUSD, Coin
from stateset_chain.orders.errors import InvalidParams, Overpayment, PaymentLimitReached
from stateset_chain.orders.params import default_params, validate_params
from tests.chain import Chain as AppChain
from tests.chain import address
from tests.orders.helpers import CUSTOMER, STRANGER, UNIT, Chain, pay_msg

from cosmos.base.abci.v1beta1 import abci_pb2 as sdk_abci
from stateset.orders.v1 import orders_pb2
from stateset.orders.v1 import tx_pb2 as tx
from stateset.orders.v1.orders_pb2 import OrderStatus


def up_to(order_id: str, amount: int, payer: str = CUSTOMER) -> tx.MsgPayOrder:
    msg = pay_msg(order_id, amount, payer=payer)
    msg.up_to = True
    return msg


def test_a_racing_one_unit_payment_cannot_fail_an_up_to_payment():
    chain = Chain()
    oid = chain.create()  # 10 ssUSD
    chain.deliver(pay_msg(oid, 1, payer=STRANGER))  # the griefer goes first
    with pytest.raises(Overpayment):  # an exact payment of the total is still refused
        chain.deliver(pay_msg(oid, 10 * UNIT))
    before = chain.balance(CUSTOMER)
    response = chain.deliver(up_to(oid, 10 * UNIT))
    order = chain.order(oid)
    assert order.status == OrderStatus.ORDER_STATUS_PAID
    assert order.payments[-1].amount == 10 * UNIT - 1 == before - chain.balance(CUSTOMER)
    assert response.amount_paid == 10 * UNIT
    chain.check_invariants()


def test_up_to_below_the_amount_due_pays_it_all():
    chain = Chain()
    oid = chain.create()
    chain.deliver(up_to(oid, 3 * UNIT))
    assert chain.order(oid).amount_paid == 3 * UNIT


def test_the_last_allowed_payment_must_complete_the_order():
    chain = Chain()
    limit = default_params().max_payments_per_order
    oid = chain.create()
    for _ in range(limit - 1):
        chain.deliver(pay_msg(oid, 1, payer=STRANGER))
    with pytest.raises(PaymentLimitReached) as refused:
        chain.deliver(pay_msg(oid, 1, payer=STRANGER))
    assert (refused.value.codespace, refused.value.code) == ("orders", 42)
    chain.deliver(up_to(oid, 10 * UNIT))  # the honest payer still completes it
    order = chain.order(oid)
    assert order.status == OrderStatus.ORDER_STATUS_PAID and len(order.payments) == limit
    chain.check_invariants()


@pytest.mark.parametrize("value", [0, 1, 1001])
def test_max_payments_per_order_is_validated(value):
    params = default_params()
    params.max_payments_per_order = value
    with pytest.raises(InvalidParams):
        validate_params(params)


def test_500_one_unit_payments_no_longer_blow_up_the_next_payments_gas():
    """Through the real app (real gas metering): a griefer sends 500 one-unit payments; only
    ``max_payments_per_order - 1`` are accepted, and the customer's up_to payment then costs
    about what a payment on a fresh order costs, not 30 times more."""
    chain = AppChain.start(n_wallets=3)
    customer, merchant, griefer = chain.wallets
    c, m, g = address(customer), address(merchant), address(griefer)

    def create() -> str:
        msg = tx.MsgCreateOrder(
            creator=c, customer=c, merchant=m, name="desk",
            items=[orders_pb2.LineItem(sku="D", name="desk", quantity=1, unit_price="100")],
        )
        res = chain.block([chain.sign(customer, [msg])]).tx_results[0]
        assert res.code == 0, res.log
        data = sdk_abci.TxMsgData.FromString(res.data)
        return tx.MsgCreateOrderResponse.FromString(data.msg_responses[0].value).order_id

    def pay(wallet, oid: str, amount: int, *, cap: bool = False, gas: int = 3_000_000):
        msg = tx.MsgPayOrder(payer=address(wallet), order_id=oid,
                             amount=Coin(SSUSD, amount).to_proto(), up_to=cap)
        return chain.sign(wallet, [msg], gas=gas)

    fresh = create()
    baseline = chain.block([pay(customer, fresh, 100 * UNIT, cap=True)]).tx_results[0]
    assert baseline.code == 0, baseline.log

    target = create()
    accepted = 0
    for _ in range(5):
        results = chain.block([pay(griefer, target, 1) for _ in range(100)]).tx_results
        accepted += sum(1 for r in results if r.code == 0)
    limit = default_params().max_payments_per_order
    assert accepted == limit - 1
    honest = chain.block([pay(customer, target, 100 * UNIT, cap=True)]).tx_results[0]
    assert honest.code == 0, honest.log
    assert honest.gas_used < 3 * baseline.gas_used, (honest.gas_used, baseline.gas_used)
    assert chain.balance(g, SSUSD) >= 0
