"""Waking the waiters of what changed, at end-block, a bounded number per block.

A stock write or an order's status change only marks its subject changed (``changed``: one key
written, whatever number of conditional orders wait on it, so the tx that writes the stock pays
the same gas with no waiters or with a million, and waiting on a merchant's SKU costs that
merchant nothing). At the end of the block, ``expand``:

1. takes every mark; a subject that already has a *waiter pass* in progress gets its ``again``
   flag set (it changed since the pass started: the waiters the pass already woke must be woken
   once more);
2. runs the stored passes from the head of their first-in, first-out queue, then a new pass for
   each other marked subject (in key order): a pass wakes its subject's waiters in id order after
   its cursor ``after``, adding them to the woken set, until ``max_waiter_wakes_per_block``
   waiters (a pass that finds none counts one) have been woken in this block. A pass cut short
   is stored with its cursor (in its place, or at the tail if it is new) for the next block; a
   finished one is dropped, or, if ``again``, goes to the tail and starts over. A pass that
   finishes in the block it starts in is never stored, so a change nobody waits on leaves no
   state behind.

The marks of a block are at most its stock writes and status changes (each paid for by a tx),
and every waiter of a changed subject is woken within a bounded number of blocks: passes are
served in order, so a busy subject cannot starve another.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.conditional.state import ConditionalKeeper
from stateset_chain.context import Context

from stateset.conditional.v1.conditional_pb2 import WakePass


def expand(keeper: ConditionalKeeper, ctx: Context, budget: int) -> None:
    store = ctx.store
    fresh: list[tuple[int, str, str]] = []
    for subject in list(keeper.changed.iterate(store)):
        keeper.changed.remove(store, subject)
        if not mark_again(keeper, ctx, subject):
            fresh.append(subject)
    while budget > 0:
        head = next(keeper.passes(store), None)
        if head is None:
            break
        budget = run_pass(keeper, ctx, head, budget, stored=True)
    for kind, name, sku in fresh:
        p = WakePass(kind=kind, subject=name, sku=sku)
        if budget > 0:
            budget = run_pass(keeper, ctx, p, budget, stored=False)
        else:
            enqueue(keeper, ctx, p)


def mark_again(keeper: ConditionalKeeper, ctx: Context, subject: tuple[int, str, str]) -> bool:
    """If ``subject`` has a pass in progress, flag it to start over; False if it has none."""
    seq = keeper.pass_of.get(ctx.store, subject)
    if seq is None:
        return False
    p = keeper.pass_queue.get(ctx.store, seq)
    assert p is not None  # pass_of and pass_queue are written together
    if not p.again:
        p.again = True
        keeper.pass_queue.set(ctx.store, seq, p)
    return True


def enqueue(keeper: ConditionalKeeper, ctx: Context, p: WakePass) -> None:
    p.sequence = keeper.pass_sequence.next(ctx.store)
    keeper.pass_queue.set(ctx.store, p.sequence, p)
    keeper.pass_of.set(ctx.store, (p.kind, p.subject, p.sku), p.sequence)


def run_pass(
    keeper: ConditionalKeeper, ctx: Context, p: WakePass, budget: int, stored: bool
) -> int:
    """Wake up to ``budget`` waiters of ``p``; return the budget left. A pass cut short is
    stored (in its place, or, if it was not stored yet, at the tail); a finished one is dropped,
    or starts over at the tail if its subject changed again meanwhile."""
    store = ctx.store
    woke = 0
    for cid in keeper.waiters_after(store, p):
        if woke == budget:
            if stored:
                keeper.pass_queue.set(store, p.sequence, p)
            else:
                enqueue(keeper, ctx, p)
            return 0
        keeper.woken.add(store, cid)
        p.after = cid
        woke += 1
    if stored:
        keeper.pass_queue.delete(store, p.sequence)
        keeper.pass_of.delete(store, (p.kind, p.subject, p.sku))
        if p.again:
            enqueue(keeper, ctx, WakePass(kind=p.kind, subject=p.subject, sku=p.sku))
    return budget - max(woke, 1)
