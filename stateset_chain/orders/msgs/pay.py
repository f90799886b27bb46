"""MsgPayOrder: anyone pays an order, in full or in part, into escrow.

signer    payer (anyone)
validate  payer is a canonical address                                     -> sdk InvalidAddress
          order id is ord_ + 10 base62 characters                          -> InvalidOrderId
          amount is a valid coin                                           -> sdk InvalidCoins
          amount > 0                                                       -> InvalidAmount
guard     the order exists                                                 -> OrderNotFound
          method <= max_text_length bytes                                  -> FieldTooLong
          the order is CREATED (awaiting payment)                          -> InvalidTransition
          denom is the order's denom (ussusd for ssusd/usd, uusdc for usdc,
          a fiat order's pay denom)                                        -> WrongDenom
          a fiat order without a locked rate: the oracle's rate is fresh now
          (it is then locked: amount due = ceil(total x rate / 10^18))
                                                               -> ExchangeRateUnavailable
          with up_to: the amount paid is min(amount, amount due)
          amount <= amount due (total - amount_paid, in the denom)         -> Overpayment
          a payment taking the order's last slot (max_payments_per_order)
          pays the whole amount due                                        -> PaymentLimitReached
          the payer is not sanctioned                          -> compliance SanctionedPayer
          the order passes screening now                       -> compliance OrderFrozen
          the payer's daily / monthly limit for the denom
                                 -> compliance DailyLimitExceeded, MonthlyLimitExceeded
          the payer holds the amount                                       -> sdk InsufficientFunds
change    a fiat order's first payment locks its rate (Order.exchange_rate, stablecoin_total);
          amount: payer -> orders_escrow; a Payment record; amount_paid += amount;
          payment status partially_paid, or PAID (CREATED -> PAID) when the total is covered;
          then the fraud score at PAY: above the threshold, PAID -> HELD (fraud_review; the
          funds stay in escrow)
emit      ExchangeRateLocked when this payment locked the rate; PaymentReceived; OrderPaid
          when the order became PAID (without the payment: PaymentReceived, just before it,
          carries it); then compliance
          FraudAssessed and, when held, OrderHeld{signer: the compliance module, reason
          "fraud_review"}
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.coins import Coin
from stateset_chain.context import BlockInfo, Context
from stateset_chain.orders import escrow, fx, holds, indexed, lifecycle
from stateset_chain.orders.errors import (
    InvalidAmount,
    InvalidTransition,
    Overpayment,
    PaymentLimitReached,
    WrongDenom,
)
from stateset_chain.orders.lifecycle import CREATED, PAID, status_name
from stateset_chain.orders.msgs.common import (
    DEFAULT_PAYMENT_METHOD,
    emit_locked,
    require_address,
    require_length,
    require_order_id,
)
from stateset_chain.orders.state import OrdersKeeper
from stateset_chain.store.kv import KVStore
from stateset_chain.store.memo import ReadAhead

from stateset.compliance.v1.compliance_pb2 import FraudStage
from stateset.orders.v1 import events_pb2 as events
from stateset.orders.v1 import tx_pb2 as tx
from stateset.orders.v1.orders_pb2 import CrossChainOrigin

MSG = tx.MsgPayOrder
FRAUD_STAGE_PAY = FraudStage.FRAUD_STAGE_PAY


def signers(msg: tx.MsgPayOrder) -> list[str]:
    return [msg.payer]


def validate_payment(order_id: str, amount) -> Coin:
    """The amount paid."""
    require_order_id(order_id)
    coin = Coin.from_proto(amount)
    if coin.amount == 0:
        raise InvalidAmount("payment amount must be positive")
    return coin


def validate(msg: tx.MsgPayOrder) -> Coin:
    """The amount paid."""
    require_address(msg.payer, "payer")
    return validate_payment(msg.order_id, msg.amount)


def pay_order(
    keeper: OrdersKeeper,
    ctx: Context,
    payer: str,
    order_id: str,
    amount: Coin,
    method: str,
    cross_chain: CrossChainOrigin | None = None,
    up_to: bool = False,
) -> tx.MsgPayOrderResponse:
    """One payment, as MsgPayOrder describes (other modules may call it for their payers).

    ``cross_chain``: where the money came from when it arrived by a CCTP burn on another chain
    (``stateset_chain/crosschain`` pays from the order's deposit address); recorded on the
    Payment, whose refunds then go back across chains. ``up_to``: ``amount`` is a cap; the
    payment is ``min(amount, amount due)``, so a payment racing ahead shrinks it instead of
    failing it."""
    params = keeper.params(ctx.store)
    order = keeper.must_get_order(ctx.store, order_id)
    require_length(method, "method", params.max_text_length)
    if order.status != CREATED:
        raise InvalidTransition(
            f"order {order.id} is {status_name(order.status)}; only CREATED orders take payments"
        )
    if amount.denom != order.denom:
        raise WrongDenom(f"order {order.id} is paid in {order.denom}, not {amount.denom}")
    locking = fx.is_fiat(order) and not order.HasField("exchange_rate")
    if locking:
        fx.lock(ctx, order, fx.require_rate(keeper.rates, ctx, order.currency))
    due = escrow.amount_due(order)
    if up_to:
        amount = Coin(amount.denom, min(amount.amount, due))
    if amount.amount > due:
        raise Overpayment(f"{amount} paid, {due}{order.denom} due on order {order.id}")
    if len(order.payments) + 1 >= params.max_payments_per_order and amount.amount < due:
        raise PaymentLimitReached(
            f"order {order.id} has {len(order.payments)} payments of at most "
            f"{params.max_payments_per_order}: the last must pay the {due}{order.denom} due"
        )

    if keeper.compliance is not None:
        keeper.compliance.check_payment(ctx, order, payer, amount)
    payment = escrow.take_payment(
        keeper, ctx, order, payer, amount.amount, method or DEFAULT_PAYMENT_METHOD, cross_chain
    )
    if locking:
        emit_locked(ctx, order)
    indexed.emit(
        ctx,
        order,
        events.PaymentReceived(
            order_id=order.id,
            payment=payment,
            amount_paid=order.amount_paid,
            amount_due=escrow.amount_due(order),
            payment_status=order.payment_status,
        )
    )
    if order.amount_paid == fx.payable(order):
        lifecycle.transition(keeper, ctx, order, PAID)
        indexed.emit(
            ctx,
            order,
            events.OrderPaid(
                order_id=order.id,
                customer=order.customer,
                merchant=order.merchant,
                total=order.total,
                denom=order.denom,
                currency=order.currency,
                amount_paid=order.amount_paid,
            )
        )
        if keeper.compliance is not None:
            scored = keeper.compliance.assess_fraud(ctx, order, FRAUD_STAGE_PAY)
            if scored.held:
                holds.hold(
                    keeper, ctx, order, holds.COMPLIANCE_HOLDER, holds.FRAUD_REVIEW,
                    f"{holds.FRAUD_REVIEW}: score {scored.score_bps} > "
                    f"{scored.hold_threshold_bps} bps",
                )
    keeper.save_order(ctx.store, order)
    return tx.MsgPayOrderResponse(
        payment_id=payment.id,
        amount_paid=order.amount_paid,
        payment_status=order.payment_status,
        status=order.status,
    )


def reads(keeper: OrdersKeeper, msg: tx.MsgPayOrder) -> list[bytes]:
    """The order (read ahead by the block; ``reads_after`` reads what it names)."""
    return [keeper.orders.store_key(msg.order_id)]


def reads_after(
    keeper: OrdersKeeper, msg: tx.MsgPayOrder, committed: KVStore, block: BlockInfo
) -> ReadAhead:
    """What the payment reads beyond the order: the payer's balance; the checks of the order's
    parties (screening, the payer's limit, the customer's fraud window and profile); and what
    its status change to PAID makes the status hooks read (read ahead by the block)."""
    order = keeper.get_order(committed, msg.order_id)
    if order is None:
        return ReadAhead()
    out = ReadAhead([keeper.bank.balance_key(msg.payer, msg.amount.denom)])
    if keeper.compliance is not None:
        out.add(
            keeper.compliance.payment_reads(committed, block, order, msg.payer, msg.amount.denom)
        )
    out.add(keeper.hooks.transition_reads(order.id))
    return out


def handle(
    keeper: OrdersKeeper, ctx: Context, msg: tx.MsgPayOrder, parsed: Coin
) -> tx.MsgPayOrderResponse:
    return pay_order(keeper, ctx, msg.payer, msg.order_id, parsed, msg.method, up_to=msg.up_to)
