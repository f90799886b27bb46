"""The freeze queue: a newly sanctioned party's escrow is frozen at the end of the block that
listed it, without a scan of all orders.

MsgAddSanction queues the address (``freeze_queue[address] = 0``); MsgRemoveSanction drops it
from the queue. At the end of every block ``end_block`` walks the queue in address order and
hands each party's open orders (the orders module's consensus index of escrow-holding orders by
party) to the attached ``OrderFreezer`` in sequence order, screening at most
``params.freeze_drain_limit`` orders in all (a party with none left counts as one). A party
whose orders are all screened leaves the queue; the one the budget stopped at keeps its cursor
(the last sequence screened) and goes on
in the next block, before the parties after it. An order that fails screening is frozen (HELD,
``compliance``; orders/freezing.py). The screening is the current one, so a party delisted
before its turn freezes nothing.
"""

from __future__ import annotations

import itertools

from stateset_chain.compliance.state import ComplianceKeeper
from stateset_chain.context import Context


def enqueue(keeper: ComplianceKeeper, ctx: Context, addr: str) -> None:
    if keeper.order_freezer is not None:
        keeper.freeze_queue.set(ctx.store, addr, 0)


def dequeue(keeper: ComplianceKeeper, ctx: Context, addr: str) -> None:
    if keeper.freeze_queue.has(ctx.store, addr):
        keeper.freeze_queue.delete(ctx.store, addr)


def end_block(keeper: ComplianceKeeper, ctx: Context) -> None:
    freezer = keeper.order_freezer
    if freezer is None:
        return
    budget = keeper.params(ctx.store).freeze_drain_limit
    # each party costs at least one unit (its index seek), so a block reads at most ``budget``
    # queue entries whatever the queue's length
    for addr, after in list(itertools.islice(keeper.freeze_queue.iterate(ctx.store), budget)):
        if budget == 0:
            break
        last, examined, done = freezer.freeze_open_orders(ctx, addr, after, budget)
        budget -= max(1, examined)
        if done:
            keeper.freeze_queue.delete(ctx.store, addr)
        else:
            keeper.freeze_queue.set(ctx.store, addr, last)
