"""Holds: who put an order on hold, why, and where a release takes it back.

Three kinds, told apart by ``Order.hold_reason``:

    ""              MsgHoldOrder by the merchant or the authority (PAID -> HELD)
    "fraud_review"  the payment that covered the total scored above the fraud threshold
                    (PAID -> HELD, at payment; compliance/SPEC.md "Fraud rules")
    "compliance"    settlement, MsgScreenOrder or a new sanction's freeze queue found a party
                    sanctioned, or the destination or an item restricted (PAID, FULFILLED,
                    SHIPPED or DELIVERED -> HELD; the escrow is frozen)

``held_by`` is the signer, or the compliance module's address for the automatic holds;
``held_from`` is the status the hold interrupted, and release goes back to it (a released
DELIVERED order is due at its old due time, or at once if that has passed). Who may release
is in msgs/release.py.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.crypto import address
from stateset_chain.orders import indexed, lifecycle
from stateset_chain.orders.lifecycle import DELIVERED, FULFILLED, HELD, PAID, SHIPPED
from stateset_chain.orders.state import OrdersKeeper
from stateset_chain.timefmt import timestamp, timestamp_ns

from stateset.orders.v1 import events_pb2 as events
from stateset.orders.v1.orders_pb2 import Order

FRAUD_REVIEW = "fraud_review"
COMPLIANCE = "compliance"
COMPLIANCE_HOLDER = address.module_address("compliance")
# the statuses a compliance freeze interrupts (every one in which escrow waits on the merchant's
# next step); a release returns to held_from
FROZEN_FROM = frozenset({PAID, FULFILLED, SHIPPED, DELIVERED})


def hold(
    keeper: OrdersKeeper, ctx: Context, order: Order, signer: str, hold_reason: str, reason: str
) -> None:
    """Move ``order`` to HELD and emit OrderHeld; the caller saves it."""
    previous = order.status
    lifecycle.transition(keeper, ctx, order, HELD)
    order.held_by = signer
    order.hold_reason = hold_reason
    order.held_from = previous
    indexed.emit(ctx, order, events.OrderHeld(
        order_id=order.id, signer=signer, reason=reason, hold_reason=hold_reason,
        held_from=previous,
    ))


def release(keeper: OrdersKeeper, ctx: Context, order: Order) -> None:
    """Back to the status the hold interrupted (PAID before held_from existed)."""
    back = order.held_from if order.held_from in FROZEN_FROM else lifecycle.PAID
    lifecycle.transition(keeper, ctx, order, back, release=True)
    if back == DELIVERED:
        # the rest of the return window, if any: due at max(the due time it had, now)
        due = max(ctx.block.time_ns, timestamp_ns(order.settlement_due))
        order.settlement_due.CopyFrom(timestamp(due))
        keeper.enqueue_settlement(ctx.store, due, order.id)
    order.held_by = ""
    order.hold_reason = ""
    order.ClearField("held_from")
