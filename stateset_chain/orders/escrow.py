"""Money in and out of the ``orders_escrow`` module account, and the order's accounting.

Per order, in its one denom: ``escrowed = amount_paid - amount_refunded - amount_settled``. The
module invariant checks that the escrow account's balance equals the sum of that over all orders.
Payments reach ``fx.payable(order)``: the total, or for a fiat-priced order its total in the
denom from the locked rate. Refund amounts are in the order's currency (``fx`` converts a fiat
order's at its locked rate, cumulatively).

- ``take_payment``: payer -> escrow; records a Payment. An order holding escrow is in the
  keeper's ``open_by_party`` index under each of its parties (``state.open_parties``) until a
  refund or the settlement empties it (``orders/freezing.py`` reads it).
- ``refund``: escrow -> payers. Payments are refunded in the order they were made (oldest
  first), each up to what is left of it; a payer who paid twice may receive two payouts. Orders
  are never refunded after they settle, so ``escrowed == Σ (payment.amount - payment.refunded)``.
  Each payment goes back the way it came: a local one to its payer, one with a ``cross_chain``
  origin (a CCTP burn on another chain) through ``keeper.cross_chain_refunder``, which burns it
  back to the original sender on the source domain.
- ``settle``: escrow -> merchant side; the merchant less the order's ``platform_fee_bps`` to its
  ``platform_address`` (both recorded at creation), or the order's revenue split (see
  ``money.split_settlement``).
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.coins import Coin
from stateset_chain.context import Context
from stateset_chain.errors import InvariantBroken
from stateset_chain.orders import fx
from stateset_chain.orders.keys import ESCROW_ACCOUNT
from stateset_chain.orders.money import split_settlement
from stateset_chain.orders.state import OrdersKeeper, escrowed
from stateset_chain.timefmt import timestamp

from stateset.orders.v1.orders_pb2 import (
    CrossChainOrigin,
    Order,
    Payment,
    PaymentStatus,
    Payout,
    Refund,
    Settlement,
)


def amount_due(order: Order) -> int:
    """What is left to pay, in the denom."""
    return fx.payable(order) - order.amount_paid


def refundable(order: Order) -> int:
    """What a refund may still return, in the order's currency: the escrow, or for a fiat order
    the part of its total not refunded yet (0 once nothing is in escrow)."""
    if not fx.is_fiat(order):
        return escrowed(order)
    return order.total - order.amount_refunded_fiat if escrowed(order) else 0


def payment_status(order: Order) -> int:
    """Derived from the amounts; stored on the order after every money movement."""
    if order.amount_paid == 0:
        return PaymentStatus.PAYMENT_STATUS_UNPAID
    if order.amount_refunded == order.amount_paid:
        return PaymentStatus.PAYMENT_STATUS_REFUNDED
    if order.settled:
        return PaymentStatus.PAYMENT_STATUS_SETTLED
    if order.amount_refunded:
        return PaymentStatus.PAYMENT_STATUS_PARTIALLY_REFUNDED
    if order.amount_paid < fx.payable(order):
        return PaymentStatus.PAYMENT_STATUS_PARTIALLY_PAID
    return PaymentStatus.PAYMENT_STATUS_PAID


def take_payment(
    keeper: OrdersKeeper,
    ctx: Context,
    order: Order,
    payer: str,
    amount: int,
    method: str,
    cross_chain: CrossChainOrigin | None = None,
) -> Payment:
    first = escrowed(order) == 0
    keeper.bank.send_to_module(ctx, payer, ESCROW_ACCOUNT, [Coin(order.denom, amount)])
    payment = Payment(
        id=keeper.next_payment_id(ctx.store),
        payer=payer,
        amount=amount,
        denom=order.denom,
        method=method,
        height=ctx.block.height,
        time=timestamp(ctx.block.time_ns),
        cross_chain=cross_chain,
    )
    order.payments.append(payment)
    order.amount_paid += amount
    order.payment_status = payment_status(order)
    # the order now holds escrow: indexed under every party (its first money), or the new payer
    keeper.mark_open(ctx.store, order, None if first else [payer])
    return payment


def refund(
    keeper: OrdersKeeper, ctx: Context, order: Order, asked: int, reason: str, signer: str
) -> Refund:
    """Return ``asked`` (0 < asked <= refundable, in the order's currency) to the payers, oldest
    payment first; a fiat order pays its denom amount at the locked rate (``fx``)."""
    if not 0 < asked <= refundable(order) or order.amount_settled:
        raise InvariantBroken(f"orders: refund of {asked} from order {order.id} is impossible")
    fiat = fx.is_fiat(order)
    amount = fx.refund_in_denom(order, asked) if fiat else asked
    record = Refund(
        id=keeper.next_refund_id(ctx.store),
        amount=amount,
        denom=order.denom,
        reason=reason,
        signer=signer,
        height=ctx.block.height,
        time=timestamp(ctx.block.time_ns),
        fiat_amount=asked if fiat else 0,
    )
    if keeper.compliance is not None:
        keeper.compliance.require_refundable(ctx, order, refund_recipients(order, amount))
    left = amount
    for payment in order.payments:
        part = min(left, payment.amount - payment.refunded)
        if part == 0:
            continue
        record.payouts.append(_pay_back(keeper, ctx, order, payment, part))
        payment.refunded += part
        left -= part
        if left == 0:
            break
    order.refunds.append(record)
    order.amount_refunded += amount
    if fiat:
        order.amount_refunded_fiat += asked
    order.payment_status = payment_status(order)
    if escrowed(order) == 0:
        keeper.mark_closed(ctx.store, order)
    return record


def refund_recipients(order: Order, amount: int) -> list[str]:
    """The local payers a refund of ``amount`` pays, in payment order (cross-chain payments go
    back to a sender on another chain, named by bytes the sanctions list does not hold)."""
    out = []
    left = amount
    for payment in order.payments:
        part = min(left, payment.amount - payment.refunded)
        if part and not payment.HasField("cross_chain"):
            out.append(payment.payer)
        left -= part
        if left == 0:
            break
    return out


def _pay_back(
    keeper: OrdersKeeper, ctx: Context, order: Order, payment: Payment, part: int
) -> Payout:
    """Refund ``part`` of one payment the way it came."""
    if not payment.HasField("cross_chain"):
        keeper.bank.send_from_module(ctx, ESCROW_ACCOUNT, payment.payer, [Coin(order.denom, part)])
        return Payout(recipient=payment.payer, amount=part)
    if keeper.cross_chain_refunder is None:
        raise InvariantBroken(
            f"orders: payment {payment.id} of order {order.id} came from another chain, "
            "but no cross-chain refunder is wired"
        )
    return keeper.cross_chain_refunder.refund(ctx, order.id, payment, part)


def settle(keeper: OrdersKeeper, ctx: Context, order: Order) -> Settlement:
    """Pay everything still in escrow to the merchant side with the terms the order recorded at
    creation (its platform address and fee, or its revenue split): never with the params of
    the day, so no later MsgUpdateParams changes what an existing order pays. With compliance
    wired, an order whose payee is sanctioned (or that fails screening) is refused here: the end
    block screens first and freezes such an order instead (settlement.end_block)."""
    if keeper.compliance is not None:
        keeper.compliance.require_settleable(ctx, order)
    amount = escrowed(order)
    split = order.revenue_split if order.HasField("revenue_split") else None
    shares = split_settlement(
        amount,
        order.platform_fee_bps,
        supplier_bps=split.supplier_bps if split else 0,
        platform_bps=split.platform_bps if split else None,
    )
    record = Settlement(
        amount=amount,
        denom=order.denom,
        merchant=order.merchant,
        merchant_amount=shares.merchant,
        supplier=split.supplier if split else "",
        supplier_amount=shares.supplier,
        platform=order.platform_address,
        platform_amount=shares.platform,
        height=ctx.block.height,
        time=timestamp(ctx.block.time_ns),
    )
    for recipient, part in (
        (record.merchant, record.merchant_amount),
        (record.supplier, record.supplier_amount),
        (record.platform, record.platform_amount),
    ):
        if part:
            keeper.bank.send_from_module(ctx, ESCROW_ACCOUNT, recipient, [Coin(order.denom, part)])
    order.amount_settled += amount
    order.settled = True
    keeper.mark_closed(ctx.store, order)
    order.settlement.CopyFrom(record)
    order.payment_status = payment_status(order)
    if keeper.compliance is not None:
        keeper.compliance.record_settled(ctx, order)
    return record
