"""Settlement of delivered orders after the return window, drained at the end of each block.

Delivering an order schedules it: ``settlement_due = delivered time + return_window_seconds`` and
a queue entry ``(due_ns, order id)``. A return or a dispute before then removes the entry. At the
end of every block, ``end_block`` takes the entries with ``due <= block time`` in key order (due
time, then order id), at most ``settlement_drain_limit`` of them, and settles each order: the
escrow remainder goes to the merchant (less the platform fee) or to the revenue split. It reads
only queue entries that are due, never the orders at large. Entries past the limit wait for the
next block. A DELIVERED order whose due time has passed can no longer be returned, disputed or
partially refunded, whether or not its queue entry has been drained yet.

Settlement pays ``order.merchant``, the revenue split's ``supplier`` and ``order.platform_address``
(recorded at creation with ``order.platform_fee_bps``: later params never change an existing
order's terms) with module sends. Coins paid to an address nobody can
spend from (a module account, an order's cross-chain deposit address: whatever the bank's
``blocked_reason`` names) would be stranded for good, so such an address is refused where it
enters: ``require_settleable`` in MsgCreateOrder, MsgBatchCreateOrders, MsgUpdateParams and
genesis.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.orders import escrow, holds, indexed
from stateset_chain.orders.errors import BlockedSettlementRecipient
from stateset_chain.orders.expected import BankKeeper
from stateset_chain.orders.lifecycle import DELIVERED
from stateset_chain.orders.state import OrdersKeeper
from stateset_chain.timefmt import NS, timestamp, timestamp_ns

from stateset.orders.v1 import events_pb2 as events
from stateset.orders.v1.orders_pb2 import Order, Settlement
from stateset.orders.v1.params_pb2 import Params


def require_settleable(bank: BankKeeper, field: str, addr: str) -> None:
    """Refuse ``addr`` (named ``field`` in the log) if settling to it would strand the coins."""
    reason = bank.blocked_reason(addr)
    if reason is not None:
        raise BlockedSettlementRecipient(f"{field} {addr} is {reason}")


def schedule(keeper: OrdersKeeper, ctx: Context, order: Order, params: Params) -> int:
    """Queue a just-delivered order; returns the due time (unix ns)."""
    due = ctx.block.time_ns + params.return_window_seconds * NS
    order.settlement_due.CopyFrom(timestamp(due))
    keeper.enqueue_settlement(ctx.store, due, order.id)
    return due


def unschedule(keeper: OrdersKeeper, ctx: Context, order: Order) -> None:
    """Stop a scheduled settlement (return or dispute of a delivered order)."""
    if order.HasField("settlement_due") and not order.settled:
        keeper.dequeue_settlement(ctx.store, timestamp_ns(order.settlement_due), order.id)
        order.ClearField("settlement_due")


def window_closed(ctx: Context, order: Order) -> bool:
    """True once a delivered order is settled or due: no more returns, disputes or refunds."""
    if order.status != DELIVERED:
        return False
    return order.settled or ctx.block.time_ns >= timestamp_ns(order.settlement_due)


def settle_order(keeper: OrdersKeeper, ctx: Context, order: Order) -> Settlement:
    """Settle the escrow remainder now (with the order's own terms) and emit OrderSettled; the
    caller saves the order."""
    record = escrow.settle(keeper, ctx, order)
    indexed.emit(ctx, order, events.OrderSettled(order_id=order.id, settlement=record))
    return record


def end_block(keeper: OrdersKeeper, ctx: Context) -> None:
    params = keeper.params(ctx.store)
    for due, order_id in keeper.due_settlements(
        ctx.store, ctx.block.time_ns, params.settlement_drain_limit
    ):
        keeper.dequeue_settlement(ctx.store, due, order_id)
        order = keeper.must_get_order(ctx.store, order_id)
        frozen = keeper.compliance.screen_order(ctx, order) if keeper.compliance else None
        if keeper.compliance is not None and frozen is not None:
            freeze(keeper, ctx, order, frozen)
            keeper.compliance.record_freeze(ctx, order, frozen)
        else:
            settle_order(keeper, ctx, order)
        keeper.save_order(ctx.store, order)


def freeze(keeper: OrdersKeeper, ctx: Context, order: Order, decision) -> None:
    """An order that fails compliance screening is never settled: PAID or DELIVERED -> HELD
    with reason ``compliance`` and the decision recorded on the order; a delivered order leaves
    the queue but keeps its ``settlement_due``. The escrow stays where it is until the authority
    or the compliance authority releases it (once it passes again) or it is cancelled (the
    refund screens its payers)."""
    order.compliance.CopyFrom(decision)
    if order.status == DELIVERED and order.HasField("settlement_due"):
        keeper.dequeue_settlement(ctx.store, timestamp_ns(order.settlement_due), order.id)
    holds.hold(
        keeper, ctx, order, holds.COMPLIANCE_HOLDER, holds.COMPLIANCE,
        f"{holds.COMPLIANCE}: {decision.rule} {decision.detail}",
    )
