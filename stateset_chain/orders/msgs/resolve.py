"""MsgResolveDispute: the arbiter decides where the disputed escrow goes.

signer    arbiter, who must be params.arbiter
validate  arbiter is a canonical address                          -> sdk InvalidAddress
          order id is ord_ + 10 base62 characters                 -> InvalidOrderId
          note holds no email address (docs/privacy.md)           -> PersonalDataInClear
          outcome is REFUND_FULL, REFUND_PARTIAL or RELEASE_TO_MERCHANT -> InvalidOutcome
          refund_amount: a positive integer for REFUND_PARTIAL     -> InvalidAmount
                         empty for the other outcomes              -> InvalidOutcome
guard     the order exists                                        -> OrderNotFound
          the signer is the arbiter                               -> NotAuthorized
          the arbiter is not the order's customer, merchant or a payer -> ArbiterIsParty
          note <= max_reason_length bytes                          -> FieldTooLong
          DISPUTED -> RESOLVED                                    -> InvalidTransition
          refund_amount <= refundable (in the order's currency)   -> OverRefund
change    REFUND_FULL: everything in escrow to the payers. REFUND_PARTIAL: refund_amount to the
          payers, the rest settles to the merchant side. RELEASE_TO_MERCHANT: everything settles.
          Settlement is immediate (merchant less the order's platform fee, or its revenue split).
          Status RESOLVED; the dispute records outcome, amount, arbiter, time.
emit      OrderRefunded (if any refund), OrderSettled (if anything settled), OrderResolved
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.orders import escrow, indexed, lifecycle, settlement
from stateset_chain.orders.errors import ArbiterIsParty, InvalidOutcome, OverRefund
from stateset_chain.orders.lifecycle import RESOLVED
from stateset_chain.orders.money import parse_amount
from stateset_chain.orders.msgs.common import (
    ARBITER,
    require_address,
    require_length,
    require_order_id,
    require_role,
)
from stateset_chain.orders.personal import require_no_email
from stateset_chain.orders.state import OrdersKeeper
from stateset_chain.timefmt import timestamp

from stateset.orders.v1 import events_pb2 as events
from stateset.orders.v1 import tx_pb2 as tx
from stateset.orders.v1.orders_pb2 import DisputeOutcome, Order

MSG = tx.MsgResolveDispute

REFUND_FULL = DisputeOutcome.DISPUTE_OUTCOME_REFUND_FULL
REFUND_PARTIAL = DisputeOutcome.DISPUTE_OUTCOME_REFUND_PARTIAL
RELEASE_TO_MERCHANT = DisputeOutcome.DISPUTE_OUTCOME_RELEASE_TO_MERCHANT


def signers(msg: tx.MsgResolveDispute) -> list[str]:
    return [msg.arbiter]


def validate(msg: tx.MsgResolveDispute) -> int | None:
    """A partial refund's amount (None for the other outcomes)."""
    require_address(msg.arbiter, "arbiter")
    require_order_id(msg.order_id)
    if msg.outcome not in (REFUND_FULL, REFUND_PARTIAL, RELEASE_TO_MERCHANT):
        raise InvalidOutcome(f"outcome {msg.outcome}")
    partial = None
    if msg.outcome == REFUND_PARTIAL:
        partial = parse_amount(msg.refund_amount, "refund_amount")
    elif msg.refund_amount:
        raise InvalidOutcome("refund_amount is only for DISPUTE_OUTCOME_REFUND_PARTIAL")
    require_no_email(msg.note, "note")
    return partial


def handle(
    keeper: OrdersKeeper, ctx: Context, msg: tx.MsgResolveDispute, parsed: int | None
) -> tx.MsgResolveDisputeResponse:
    params = keeper.params(ctx.store)
    order = keeper.must_get_order(ctx.store, msg.order_id)
    require_role(msg.arbiter, order, params, frozenset({ARBITER}), "resolve a dispute on")
    require_not_party(msg.arbiter, order)
    require_length(msg.note, "note", params.max_reason_length)
    lifecycle.require_transition(order, RESOLVED)
    left = escrow.refundable(order)
    refund_amount = _refund_amount(msg, left, parsed)
    if refund_amount > left:
        raise OverRefund(
            f"{refund_amount} asked, {left} {order.currency} base units refundable on {order.id}"
        )

    lifecycle.transition(keeper, ctx, order, RESOLVED)
    dispute = order.dispute
    dispute.outcome = msg.outcome
    dispute.refund_amount = refund_amount
    dispute.note = msg.note
    dispute.resolved_by = msg.arbiter
    dispute.resolved_at.CopyFrom(timestamp(ctx.block.time_ns))
    refunded = 0
    if refund_amount:
        record = escrow.refund(keeper, ctx, order, refund_amount, msg.note, msg.arbiter)
        refunded = record.amount
        indexed.emit(
            ctx,
            order,
            events.OrderRefunded(
                order_id=order.id,
                refund=record,
                status=order.status,
                payment_status=order.payment_status,
            )
        )
    settled = escrow.escrowed(order)
    if settled:
        settlement.settle_order(keeper, ctx, order)
    keeper.save_order(ctx.store, order)
    indexed.emit(
        ctx,
        order,
        events.OrderResolved(
            order_id=order.id, dispute=order.dispute, refunded=refunded, settled=settled
        )
    )
    return tx.MsgResolveDisputeResponse(status=order.status, refunded=refunded, settled=settled)


def require_not_party(arbiter: str, order: Order) -> None:
    """No judge in its own case: the arbiter must not be one whose money is at stake."""
    if arbiter == order.customer:
        raise ArbiterIsParty(f"the arbiter {arbiter} is the customer of order {order.id}")
    if arbiter == order.merchant:
        raise ArbiterIsParty(f"the arbiter {arbiter} is the merchant of order {order.id}")
    if any(payment.payer == arbiter for payment in order.payments):
        raise ArbiterIsParty(f"the arbiter {arbiter} paid into order {order.id}")


def _refund_amount(msg: tx.MsgResolveDispute, escrowed: int, partial: int | None) -> int:
    if msg.outcome == REFUND_FULL:
        return escrowed
    if msg.outcome == REFUND_PARTIAL and partial is not None:  # validate parsed it
        return partial
    return 0
