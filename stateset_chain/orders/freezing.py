"""Freezing a newly sanctioned party's open orders, a bounded slice per block.

Every order that holds escrow (``escrowed > 0``) is in ``OrdersKeeper.open_by_party`` under each
of its parties (``state.open_parties``: customer, merchant, the split's supplier, the platform,
every payer), keyed ``(party, sequence)``. A payment that brings the first money in indexes it
under all of them (a later payment adds its payer); a refund or the settlement that empties the
escrow removes it. So a party's open orders are one key range, whatever the number of orders.

The compliance module queues a party when MsgAddSanction lists it, and its end block hands this
module slices of that queue (``freeze_open_orders``): each indexed order of the party after the
cursor is screened now (``screen_order``), and one that fails and is PAID, FULFILLED, SHIPPED or
DELIVERED (not settled) is frozen as settlement would freeze it: HELD, ``hold_reason =
"compliance"``, ``held_from`` its status, the decision on the order, out of the settlement
queue; events ``OrderHeld`` then compliance ``OrderFrozen``. The other open orders are left as
they are, because nothing can pay their escrow out to a sanctioned party: a partly paid CREATED
order takes no payment (``OrderFrozen``) and its cancel refunds only unsanctioned payers; a HELD
order of another kind is released to PAID and meets this screening again at settlement; a
RETURNED or DISPUTED order's refund and settlement are screened in the message.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.orders import holds, settlement
from stateset_chain.orders.state import OrdersKeeper


def freezable(order) -> bool:
    return order.status in holds.FROZEN_FROM and not order.settled


def freeze_open_orders(
    keeper: OrdersKeeper, ctx: Context, party: str, after_sequence: int, budget: int
) -> tuple[int, int, bool]:
    """Screen up to ``budget`` of ``party``'s open orders after ``after_sequence`` and freeze
    those that fail. Returns (the last sequence examined, how many were examined, whether the
    party has no open order left after it)."""
    entries = keeper.open_orders_of(ctx.store, party, after_sequence, budget + 1)
    done = len(entries) <= budget
    last = after_sequence
    for seq, order_id in entries[:budget]:
        last = seq
        order = keeper.must_get_order(ctx.store, order_id)
        if not freezable(order) or keeper.compliance is None:
            continue
        decision = keeper.compliance.screen_order(ctx, order)
        if decision is None:
            continue
        settlement.freeze(keeper, ctx, order, decision)
        keeper.compliance.record_freeze(ctx, order, decision)
        keeper.save_order(ctx.store, order)
    return last, min(len(entries), budget), done
