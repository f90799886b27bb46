"""MsgPayOrder: anyone pays into escrow; partial payments accumulate; the total makes it PAID."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.errors import InsufficientFunds, InvalidAddress, InvalidCoins
from stateset_chain.orders.errors import (
    FieldTooLong,
    InvalidAmount,
    InvalidOrderId,
    InvalidTransition,
    OrderNotFound,
    Overpayment,
    WrongDenom,
)
from stateset_chain.timefmt import timestamp_ns
from tests.orders.helpers import (
    CUSTOMER,
    ESCROW,
    MERCHANT,
    START_NS,
    STRANGER,
    UNIT,
    Chain,
    item,
    pay_msg,
)

from stateset.orders.v1 import events_pb2
from stateset.orders.v1 import tx_pb2 as tx
from stateset.orders.v1.orders_pb2 import OrderStatus, PaymentStatus

PRICE = 100 * UNIT


def new_order(chain: Chain, **kwargs) -> str:
    return chain.create(items=[item(price="100")], **kwargs)


def test_full_payment_moves_funds_to_escrow_and_marks_the_order_paid():
    chain = Chain()
    oid = new_order(chain)
    before = chain.balance(CUSTOMER)
    response = chain.deliver(pay_msg(oid, PRICE))
    order = chain.order(oid)
    assert chain.balance(CUSTOMER) == before - PRICE
    assert chain.balance(ESCROW) == PRICE
    assert order.status == OrderStatus.ORDER_STATUS_PAID
    assert order.payment_status == PaymentStatus.PAYMENT_STATUS_PAID
    assert order.amount_paid == PRICE
    [payment] = order.payments
    assert payment.id.startswith("pay_") and len(payment.id) == 14
    assert (payment.payer, payment.amount, payment.denom, payment.method) == (
        CUSTOMER,
        PRICE,
        "ussusd",
        "wallet",
    )
    assert (payment.height, timestamp_ns(payment.time)) == (1, START_NS)
    assert (response.payment_id, response.amount_paid) == (payment.id, PRICE)
    assert response.status == OrderStatus.ORDER_STATUS_PAID
    assert [e.status for e in order.timeline][-1] == OrderStatus.ORDER_STATUS_PAID
    chain.check_invariants()


def test_full_payment_emits_transfer_payment_received_and_order_paid():
    chain = Chain()
    oid = new_order(chain)
    chain.deliver(pay_msg(oid, PRICE))
    assert chain.event_types() == ["CoinsTransferred", "PaymentReceived", "OrderPaid"]
    [received] = chain.typed(events_pb2.PaymentReceived)
    assert (received.order_id, received.amount_paid, received.amount_due) == (oid, PRICE, 0)
    [paid] = chain.typed(events_pb2.OrderPaid)
    assert (paid.customer, paid.merchant, paid.total, paid.denom) == (
        CUSTOMER,
        MERCHANT,
        PRICE,
        "ussusd",
    )
    # the payment is in PaymentReceived, just before; OrderPaid leaves it out (small events)
    assert received.payment == chain.order(oid).payments[0]
    assert not paid.HasField("payment")


def test_partial_payments_from_several_payers_accumulate():
    chain = Chain()
    oid = new_order(chain)
    first = chain.deliver(pay_msg(oid, 30 * UNIT))
    assert first.payment_status == PaymentStatus.PAYMENT_STATUS_PARTIALLY_PAID
    assert first.status == OrderStatus.ORDER_STATUS_CREATED
    assert chain.event_types() == ["CoinsTransferred", "PaymentReceived"]
    assert chain.typed(events_pb2.PaymentReceived)[0].amount_due == 70 * UNIT
    chain.deliver(pay_msg(oid, 70 * UNIT, payer=STRANGER))
    order = chain.order(oid)
    assert order.status == OrderStatus.ORDER_STATUS_PAID
    assert [(p.payer, p.amount) for p in order.payments] == [
        (CUSTOMER, 30 * UNIT),
        (STRANGER, 70 * UNIT),
    ]
    assert len({p.id for p in order.payments}) == 2
    chain.check_invariants()


def test_usdc_orders_take_uusdc_and_method_is_recorded():
    chain = Chain()
    oid = new_order(chain, currency="usdc")
    msg = pay_msg(oid, PRICE, "uusdc")
    msg.method = "cctp"
    chain.deliver(msg)
    assert chain.balance(ESCROW, "uusdc") == PRICE
    assert chain.order(oid).payments[0].method == "cctp"


@pytest.mark.parametrize(
    ("currency", "denom"), [("usdc", "ussusd"), ("ssusd", "uusdc"), ("usd", "uusdc")]
)
def test_a_denom_the_currency_does_not_take_is_refused(currency, denom):
    chain = Chain()
    oid = new_order(chain, currency=currency)
    with pytest.raises(WrongDenom):
        chain.deliver(pay_msg(oid, PRICE, denom))


def test_overpayment_is_refused_whole_or_after_partial():
    chain = Chain()
    oid = new_order(chain)
    with pytest.raises(Overpayment):
        chain.deliver(pay_msg(oid, PRICE + 1))
    chain.deliver(pay_msg(oid, 60 * UNIT))
    with pytest.raises(Overpayment):
        chain.deliver(pay_msg(oid, 40 * UNIT + 1))
    assert chain.order(oid).amount_paid == 60 * UNIT


@pytest.mark.parametrize("status", ["PAID", "FULFILLED", "HELD"])
def test_only_created_orders_take_payments(status):
    chain = Chain()
    oid = chain.to_status(status)
    with pytest.raises(InvalidTransition):
        chain.deliver(pay_msg(oid, 1))


def test_a_cancelled_order_takes_no_payment():
    chain = Chain()
    oid = new_order(chain)
    chain.deliver(tx.MsgCancelOrder(signer=CUSTOMER, order_id=oid))
    with pytest.raises(InvalidTransition):
        chain.deliver(pay_msg(oid, 1))


def test_a_payer_without_the_funds_is_refused_and_nothing_changes():
    chain = Chain(holdings={CUSTOMER: {"ussusd": 5 * UNIT}})
    oid = new_order(chain)
    before = list(chain.store.iterate())
    with pytest.raises(InsufficientFunds):
        chain.deliver(pay_msg(oid, 6 * UNIT))
    assert list(chain.store.iterate()) == before


def test_unknown_and_malformed_orders():
    chain = Chain()
    with pytest.raises(OrderNotFound):
        chain.deliver(pay_msg("ord_0000000000", 1))
    with pytest.raises(InvalidOrderId):
        chain.deliver(pay_msg("ord_short", 1))


def test_validate_refuses_bad_payer_and_amounts():
    chain = Chain()
    oid = new_order(chain)
    with pytest.raises(InvalidAddress):
        chain.deliver(pay_msg(oid, 1, payer="x"))
    with pytest.raises(InvalidAmount):
        chain.deliver(pay_msg(oid, 0))
    bad = pay_msg(oid, 1)
    bad.amount.amount = "-1"
    with pytest.raises(InvalidCoins):
        chain.deliver(bad)
    with pytest.raises(InvalidCoins):
        chain.deliver(tx.MsgPayOrder(payer=CUSTOMER, order_id=oid))


def test_method_longer_than_the_limit_is_refused():
    chain = Chain()
    msg = pay_msg(new_order(chain), 1)
    msg.method = "m" * 65
    with pytest.raises(FieldTooLong):
        chain.deliver(msg)


def test_signer_is_the_payer():
    assert Chain().signers(pay_msg("ord_0000000000", 1, payer=STRANGER)) == [STRANGER]
