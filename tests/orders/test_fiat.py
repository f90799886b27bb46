"""Orders priced in a fiat currency and paid in a USD stablecoin at a locked exchange rate
(orders/fx.py, SPEC.md "Fiat currencies"): the rate locked at the first payment (or at creation
when the merchant asks), the amount due ceil(total x rate), refunds converted cumulatively at the
locked rate, no payment without a fresh rate, and no rounding a payer or a refund can exploit."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import stateset_chain.pb  # noqa: F401
from stateset_chain.orders import fx, genesis
from stateset_chain.orders.errors import (
    ExchangeRateUnavailable,
    InvalidAmount,
    InvalidCurrency,
    InvalidPayDenom,
    Overpayment,
    OverRefund,
    RateLockNotAllowed,
    WrongDenom,
)
from stateset_chain.rates import RATE_SCALE, parse_rate
from tests.orders.fiat_helpers import FakeRates
from tests.orders.helpers import (
    ARBITER,
    CUSTOMER,
    ESCROW,
    MERCHANT,
    STRANGER,
    Chain,
    create_msg,
    item,
    pay_msg,
    ship_msg,
)

from stateset.orders.v1 import events_pb2 as events
from stateset.orders.v1 import query_pb2 as q
from stateset.orders.v1 import tx_pb2 as tx
from stateset.orders.v1.orders_pb2 import DisputeOutcome, OrderStatus, PaymentStatus

USDC, SSUSD = "uusdc", "ussusd"
EUR_TOTAL = 299_970_000  # 3 x 99.99 EUR


@pytest.fixture
def rates() -> FakeRates:
    return FakeRates(staleness_seconds=600)


@pytest.fixture
def chain(rates) -> Chain:
    c = Chain(rates=rates)
    rates.set("EUR", "1.08", c.block.height, c.block.time_ns)
    return c


def eur_order(chain: Chain, **kw) -> str:
    kw.setdefault("pay_denom", USDC)
    return chain.create(items=[item(price="99.99", quantity=3)], currency="eur", **kw)


def move_rate(chain: Chain, rates: FakeRates, text: str, seconds: int = 60) -> None:
    chain.advance(seconds)
    rates.set("EUR", text, chain.block.height, chain.block.time_ns)


def test_an_eur_order_paid_in_usdc_after_the_rate_moved_locks_the_payment_rate_and_refunds_at_it(
    chain, rates
):
    oid = eur_order(chain)
    o = chain.order(oid)
    assert (o.currency, o.denom, o.total) == ("EUR", USDC, EUR_TOTAL)
    assert o.stablecoin_total == 323_967_600  # the creation quote at 1.08: not what is paid
    assert not o.HasField("exchange_rate")

    move_rate(chain, rates, "1.08437")
    before = chain.balance(CUSTOMER, USDC)
    chain.deliver(pay_msg(oid, 325_278_469, USDC))  # ceil(299.97 x 1.08437) = 325.2784689 up
    o = chain.order(oid)
    lock = o.exchange_rate
    assert (lock.pair, lock.rate, lock.amount_due) == ("EUR/USD", "1.08437", 325_278_469)
    assert (lock.rate_height, lock.locked_height) == (chain.block.height, chain.block.height)
    assert o.stablecoin_total == 325_278_469
    assert (o.status, o.payment_status) == (OrderStatus.ORDER_STATUS_PAID,
                                            PaymentStatus.PAYMENT_STATUS_PAID)
    assert chain.order_events() == ["ExchangeRateLocked", "PaymentReceived", "OrderPaid"]
    (paid,) = chain.typed(events.OrderPaid)
    assert (paid.total, paid.currency, paid.amount_paid, paid.denom) == (
        EUR_TOTAL, "EUR", 325_278_469, USDC
    )
    assert chain.balance(CUSTOMER, USDC) == before - 325_278_469

    move_rate(chain, rates, "1.5")  # the refund ignores today's rate
    chain.deliver(tx.MsgRefundOrder(signer=MERCHANT, order_id=oid, amount="25000000",
                                    reason="one damaged"))
    # floor(325.278469 x 25 / 299.97) at the locked rate
    assert chain.balance(CUSTOMER, USDC) == before - 325_278_469 + 27_109_250
    o = chain.order(oid)
    assert (o.amount_refunded, o.amount_refunded_fiat) == (27_109_250, 25_000_000)
    assert (o.refunds[0].amount, o.refunds[0].fiat_amount) == (27_109_250, 25_000_000)
    assert o.payment_status == PaymentStatus.PAYMENT_STATUS_PARTIALLY_REFUNDED
    chain.check_invariants()

    chain.deliver(tx.MsgRefundOrder(signer=MERCHANT, order_id=oid, reason="all back"))
    assert chain.balance(CUSTOMER, USDC) == before  # the whole payment, to the base unit
    assert chain.order(oid).status == OrderStatus.ORDER_STATUS_REFUNDED
    chain.check_invariants()


def test_the_merchant_may_lock_the_rate_at_creation(chain, rates):
    oid = eur_order(chain, creator=MERCHANT, exchange_rate_locked=True)
    assert chain.order_events() == ["OrderCreated", "ExchangeRateLocked"]
    move_rate(chain, rates, "1.2")
    rates.accepted.clear()  # no rate at all now: the locked order needs none
    chain.deliver(pay_msg(oid, 323_967_600, USDC))
    o = chain.order(oid)
    assert (o.exchange_rate.rate, o.exchange_rate.amount_due) == ("1.08", 323_967_600)
    assert o.exchange_rate.locked_height == 1
    assert o.status == OrderStatus.ORDER_STATUS_PAID
    chain.check_invariants()


def test_only_the_merchant_locks_at_creation_and_only_a_fiat_order(chain):
    with pytest.raises(RateLockNotAllowed):
        chain.deliver(create_msg(currency="EUR", exchange_rate_locked=True))
    with pytest.raises(InvalidCurrency):
        chain.deliver(create_msg(creator=MERCHANT, currency="usdc", exchange_rate_locked=True))


@pytest.mark.parametrize("how", ["stale", "missing"])
def test_a_payment_without_a_fresh_rate_is_refused_and_changes_nothing(chain, rates, how):
    oid = eur_order(chain)
    chain.advance(601 if how == "stale" else 5)
    if how == "missing":
        rates.accepted.clear()
    before = list(chain.store.iterate())
    with pytest.raises(ExchangeRateUnavailable):
        chain.deliver(pay_msg(oid, 323_967_600, USDC))
    assert list(chain.store.iterate()) == before
    rates.set("EUR", "1.09", chain.block.height, chain.block.time_ns)
    chain.deliver(pay_msg(oid, 326_967_300, USDC))  # 299.97 x 1.09
    assert chain.order(oid).status == OrderStatus.ORDER_STATUS_PAID


def test_creating_a_fiat_order_needs_a_fresh_rate_of_that_currency(chain, rates):
    with pytest.raises(ExchangeRateUnavailable):
        chain.deliver(create_msg(currency="GBP"))
    chain.advance(601)
    with pytest.raises(ExchangeRateUnavailable):
        chain.deliver(create_msg(currency="EUR"))
    no_oracle = Chain()
    with pytest.raises(ExchangeRateUnavailable):
        no_oracle.deliver(create_msg(currency="EUR"))


def test_the_pay_denom(chain):
    assert chain.order(chain.create(currency="EUR")).denom == SSUSD  # the default
    with pytest.raises(InvalidPayDenom):
        chain.deliver(create_msg(currency="EUR", pay_denom="uatom"))
    with pytest.raises(InvalidPayDenom):
        chain.deliver(create_msg(currency="usdc", pay_denom=SSUSD))
    oid = eur_order(chain)
    with pytest.raises(WrongDenom):
        chain.deliver(pay_msg(oid, 1, SSUSD))


def test_partial_payments_reach_exactly_the_locked_amount(chain, rates):
    oid = eur_order(chain)
    chain.deliver(pay_msg(oid, 1, USDC))  # the first payment locks
    move_rate(chain, rates, "2")
    chain.deliver(pay_msg(oid, 100_000_000, USDC))
    o = chain.order(oid)
    assert o.exchange_rate.amount_due == 323_967_600
    assert o.payment_status == PaymentStatus.PAYMENT_STATUS_PARTIALLY_PAID
    chain.deliver(pay_msg(oid, 323_967_600 - 100_000_001, USDC))
    assert chain.order(oid).status == OrderStatus.ORDER_STATUS_PAID


def test_cancelling_a_partly_paid_fiat_order_returns_everything(chain):
    oid = eur_order(chain)
    before = chain.balance(CUSTOMER, USDC)
    chain.deliver(pay_msg(oid, 1_000_003, USDC))
    res = chain.deliver(tx.MsgCancelOrder(signer=CUSTOMER, order_id=oid, reason="no"))
    assert res.refunded == 1_000_003 and chain.balance(CUSTOMER, USDC) == before
    assert chain.order(oid).amount_refunded_fiat == EUR_TOTAL
    chain.check_invariants()


def test_a_dispute_refund_is_named_in_the_currency_and_paid_at_the_locked_rate(chain, rates):
    oid = eur_order(chain)
    chain.deliver(pay_msg(oid, 323_967_600, USDC))
    chain.deliver(tx.MsgFulfillOrder(signer=MERCHANT, order_id=oid))
    chain.deliver(ship_msg(oid))
    chain.deliver(tx.MsgDisputeOrder(signer=CUSTOMER, order_id=oid, reason="late"))
    with pytest.raises(OverRefund):
        chain.deliver(tx.MsgResolveDispute(
            arbiter=ARBITER, order_id=oid, outcome=DisputeOutcome.DISPUTE_OUTCOME_REFUND_PARTIAL,
            refund_amount=str(EUR_TOTAL + 1)))
    res = chain.deliver(tx.MsgResolveDispute(
        arbiter=ARBITER, order_id=oid, outcome=DisputeOutcome.DISPUTE_OUTCOME_REFUND_PARTIAL,
        refund_amount="99990000"))
    assert res.refunded == 323_967_600 * 99_990_000 // EUR_TOTAL == 107_989_200
    assert res.settled == 323_967_600 - 107_989_200
    assert chain.balance(ESCROW, USDC) == 0
    chain.check_invariants()


def test_a_refund_worth_less_than_one_base_unit_is_refused(rates):
    c = Chain(rates=rates)
    rates.set("JPY", "0.0067", 1, c.block.time_ns)
    oid = c.create(items=[item(price="1000")], currency="JPY")
    c.deliver(pay_msg(oid, 6_700_000, SSUSD))
    with pytest.raises(InvalidAmount):
        c.deliver(tx.MsgRefundOrder(signer=MERCHANT, order_id=oid, amount="100", reason="x"))
    c.deliver(tx.MsgRefundOrder(signer=MERCHANT, order_id=oid, amount="150", reason="x"))
    assert c.order(oid).amount_refunded == 1  # floor(6.7 x 150 / 1000 base units)


def test_the_order_query_quotes_an_unlocked_order_at_the_latest_rate(chain, rates):
    from stateset_chain.orders import queries

    oid = eur_order(chain)
    move_rate(chain, rates, "1.1", seconds=3600)  # a query judges no age: it shows the rate's
    res = queries.order(chain.keeper, chain.ctx(), q.QueryOrderRequest(order_id=oid))
    assert (res.quote.pair, res.quote.rate, res.quote.amount_due) == ("EUR/USD", "1.1", 329_967_000)
    assert res.quote.rate_height == chain.block.height
    chain.deliver(pay_msg(oid, 329_967_000, USDC))
    res = queries.order(chain.keeper, chain.ctx(), q.QueryOrderRequest(order_id=oid))
    assert not res.HasField("quote")  # locked: the order itself says what was due


def test_fiat_orders_survive_the_genesis_round_trip(chain, rates):
    from stateset_chain.bank import genesis as bank_genesis
    from stateset_chain.orders.state import OrdersKeeper
    from stateset_chain.store.kv import MemoryKV
    from tests.orders.helpers import new_bank

    paid = eur_order(chain)
    chain.deliver(pay_msg(paid, 323_967_600, USDC))
    chain.deliver(tx.MsgRefundOrder(signer=MERCHANT, order_id=paid, amount="1000000", reason="x"))
    eur_order(chain)  # unlocked
    exported = genesis.export_genesis(chain.keeper, chain.ctx())
    fresh = OrdersKeeper(new_bank())
    ctx = chain.ctx(store=MemoryKV())
    bank_genesis.init_genesis(fresh.bank, ctx, bank_genesis.export_genesis(chain.bank, chain.ctx()))
    genesis.init_genesis(fresh, ctx, copy.deepcopy(exported))
    assert genesis.export_genesis(fresh, ctx) == exported
    tampered = copy.deepcopy(exported)
    first = tampered["orders"][0]
    first["amount_refunded"] = str(int(first["amount_refunded"]) + 1)
    first["refunds"][0]["amount"] = first["amount_refunded"]
    first["refunds"][0]["payouts"][0]["amount"] = first["amount_refunded"]
    first["payments"][0]["refunded"] = first["amount_refunded"]
    with pytest.raises(genesis.InvalidGenesis):
        genesis.init_genesis(OrdersKeeper(new_bank()), chain.ctx(store=MemoryKV()), tampered)


def test_other_modules_cannot_create_fiat_orders(chain):
    with pytest.raises(InvalidCurrency):
        chain.keeper.create_order(chain.ctx(), create_msg(currency="EUR"))


# -- rounding ---------------------------------------------------------------------------------

TOTALS = st.integers(1, 10**15)
RATES = st.integers(1, 1000 * RATE_SCALE)


@given(total=TOTALS, rate=RATES)
def test_the_amount_due_is_the_least_integer_not_below_the_exact_value(total, rate):
    due = fx.stablecoin_amount(total, rate)
    assert due * RATE_SCALE >= total * rate > (due - 1) * RATE_SCALE


@given(
    total=TOTALS, rate=RATES,
    parts=st.lists(st.integers(1, 10**15), min_size=1, max_size=30),
)
def test_cumulative_refunds_never_drift_and_never_exceed_the_payment(total, rate, parts):
    paid = fx.stablecoin_amount(total, rate)
    refunded_fiat = refunded = 0
    for part in parts:
        part = min(part, total - refunded_fiat)
        if part == 0:
            break
        refunded_fiat += part
        refunded += fx.refunded_through(paid, total, refunded_fiat) - refunded
        # the same as one refund of everything refunded so far
        assert refunded == paid * refunded_fiat // total
        assert 0 <= refunded <= paid
    assert fx.refunded_through(paid, total, total) == paid


@settings(max_examples=40, deadline=None)
@given(
    price_cents=st.integers(1, 10**7),  # up to 100,000 EUR: within the payers' balances
    rate=st.integers(RATE_SCALE // 1000, 5 * RATE_SCALE),
    splits=st.lists(st.integers(1, 10**6), min_size=1, max_size=12),
    refunds=st.lists(st.integers(1, 10**8), max_size=6),
)
def test_many_small_payments_and_refunds_through_the_handlers(price_cents, rate, splits, refunds):
    """Through the real handlers: however the payer splits the payment it pays exactly the
    locked amount due (never less), and refunds return floor(paid x refunded / total) in all."""
    rates = FakeRates()
    chain = Chain(rates=rates)
    text = format_rate_text(rate)
    rates.set("EUR", text, 1, chain.block.time_ns)
    oid = chain.create(items=[item(price=f"{price_cents // 100}.{price_cents % 100:02d}")],
                       currency="EUR", pay_denom=USDC, creator=MERCHANT,
                       exchange_rate_locked=True)
    o = chain.order(oid)
    due = fx.stablecoin_amount(o.total, parse_rate(text))
    assert o.exchange_rate.amount_due == due
    payers = [CUSTOMER, STRANGER]
    paid = 0
    for i, s in enumerate(splits[:18]):
        if paid + s >= due:
            break
        chain.deliver(pay_msg(oid, s, USDC, payer=payers[i % 2]))
        paid += s
        with pytest.raises(Overpayment):  # one base unit over the locked amount: refused
            chain.deliver(pay_msg(oid, due - paid + 1, USDC))
    chain.deliver(pay_msg(oid, due - paid, USDC))
    assert chain.order(oid).amount_paid == due
    asked = 0
    for r in refunds:
        left = o.total - asked
        r = min(r, left - 1)
        if r <= 0:
            break
        try:
            chain.deliver(tx.MsgRefundOrder(signer=MERCHANT, order_id=oid, amount=str(r),
                                            reason="part"))
        except InvalidAmount:
            continue  # worth less than one base unit at this rate
        asked += r
        assert chain.order(oid).amount_refunded == due * asked // o.total
    chain.check_invariants()


def format_rate_text(rate: int) -> str:
    from stateset_chain.rates import format_rate

    return format_rate(rate)
