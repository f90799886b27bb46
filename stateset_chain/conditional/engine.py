"""Waking, evaluating, executing and lapsing conditional orders.

Wakes: the inventory module calls ``stock_changed`` after every stock write and the orders
lifecycle calls ``on_transition`` on every status change (wiring.py); each only marks that SKU or
that order changed. At the end of each block, ``end_block``:

0. wakes the waiters of the subjects changed (wakes.py), at most ``max_waiter_wakes_per_block``
   of them (the rest carry over);
1. moves time-queue entries due at or before the block time into the woken set (time_after
   conditions; balance polls every ``balance_poll_seconds``, since balances change everywhere and
   are not hooked), at most ``max_wakes_per_block``;
2. lapses conditional orders whose ``expires_at`` has passed (refunding the pre-funding),
   at most ``max_wakes_per_block``;
3. evaluates at most ``max_wakes_per_block`` woken conditional orders (the rest stay woken for
   the next block): if every condition holds and ``auto_execute`` is set, it executes.

Executing runs on a store branch: the pre-funding goes back to the creator, MsgCreateOrder's
handler creates the order, and if it was pre-funded MsgPayOrder's code pays its current total
from the creator (the escrow covers it unless rates rose; any rest comes from the balance).
If any of it fails the branch is dropped, the conditional order becomes FAILED and its
pre-funding is refunded.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.coins import Coin
from stateset_chain.conditional import conditions, wakes
from stateset_chain.conditional.state import ESCROW_ACCOUNT, ConditionalKeeper
from stateset_chain.context import Context
from stateset_chain.errors import ChainError
from stateset_chain.events import EventManager
from stateset_chain.rates import parse_rate
from stateset_chain.store.kv import Branch
from stateset_chain.timefmt import timestamp, timestamp_ns

from stateset.conditional.v1 import events_pb2 as events
from stateset.conditional.v1.conditional_pb2 import ConditionalOrder, ConditionalStatus

WAITING = ConditionalStatus.CONDITIONAL_STATUS_WAITING
EXECUTED = ConditionalStatus.CONDITIONAL_STATUS_EXECUTED
CANCELED = ConditionalStatus.CONDITIONAL_STATUS_CANCELED
LAPSED = ConditionalStatus.CONDITIONAL_STATUS_LAPSED
FAILED = ConditionalStatus.CONDITIONAL_STATUS_FAILED
NS = 1_000_000_000


def view(keeper: ConditionalKeeper, ctx: Context) -> conditions.View:
    store = ctx.store

    def available(merchant: str, sku: str) -> int | None:
        if keeper.inventory is None:
            return None
        return keeper.inventory.largest_available(store, merchant, sku)

    def statuses_of(order_id: str) -> list[int] | None:
        order = keeper.orders.get_order(store, order_id)
        return None if order is None else [e.status for e in order.timeline]

    def balance(addr: str, denom: str) -> int:
        return keeper.bank.balance(store, addr, denom)

    def usd_rate(currency: str) -> int | None:
        if keeper.oracle is None:
            return None
        try:
            rate = keeper.oracle.usd_rate(store, currency, ctx.block.time_ns)
        except ChainError:  # RateNotFound, RateStale: no fresh rate
            return None
        return parse_rate(rate.rate)

    return conditions.View(ctx.block.time_ns, available, statuses_of, balance, usd_rate)


def all_hold(keeper: ConditionalKeeper, ctx: Context, c: ConditionalOrder) -> list[bool]:
    v = view(keeper, ctx)
    return [conditions.holds(cond, v) for cond in c.conditions]


def has_balance_condition(c: ConditionalOrder) -> bool:
    return any(cond.WhichOneof("kind") == "balance_at_least" for cond in c.conditions)


def end_block(keeper: ConditionalKeeper, ctx: Context) -> None:
    params = keeper.params(ctx.store)
    limit = params.max_wakes_per_block
    now = ctx.block.time_ns
    wakes.expand(keeper, ctx, params.max_waiter_wakes_per_block)
    for at, cid in keeper.due_times(ctx.store, now, limit):
        keeper.time_queue.remove(ctx.store, (at, cid))
        keeper.woken.add(ctx.store, cid)
        c = keeper.must_get(ctx.store, cid)
        if c.HasField("next_poll") and at == _ns(c.next_poll):
            c.next_poll.CopyFrom(timestamp(now + params.balance_poll_seconds * NS))
            keeper.time_queue.add(ctx.store, (_ns(c.next_poll), cid))
            keeper.save(ctx.store, c)
    for _, cid in keeper.due_expiries(ctx.store, now, limit):
        c = keeper.must_get(ctx.store, cid)
        refunded = finish(keeper, ctx, c, LAPSED)
        ctx.events.emit(events.ConditionalOrderLapsed(id=cid, refunded=refunded))
    for cid in keeper.woken_ids(ctx.store, limit):
        keeper.woken.remove(ctx.store, cid)
        c = keeper.must_get(ctx.store, cid)
        if c.status != WAITING or not c.auto_execute:
            continue
        if all(all_hold(keeper, ctx, c)):
            try_execute(keeper, ctx, c)


def _ns(ts) -> int:
    return timestamp_ns(ts)


def execute(keeper: ConditionalKeeper, ctx: Context, c: ConditionalOrder) -> str:
    """Create (and, if pre-funded, pay) the order on a branch; raise on any refusal."""
    branch = Branch(ctx.store)
    inner_events = EventManager()
    inner = Context(branch, ctx.block, ctx.gas, inner_events)
    if c.escrowed:
        keeper.bank.send_from_module(inner, ESCROW_ACCOUNT, c.creator, [Coin(c.denom, c.escrowed)])
    created = keeper.orders.create_order(inner, c.order)
    if c.escrowed:
        keeper.orders.pay_order(
            inner,
            c.creator,
            created.order_id,
            Coin(created.denom, created.total),
            "conditional",
        )
    branch.write()
    for event in inner_events.events:
        ctx.events.emit_raw(event)
    c.escrowed = 0
    c.order_id = created.order_id
    keeper.index(ctx.store, c, add=False)
    c.status = EXECUTED
    keeper.save(ctx.store, c)
    ctx.events.emit(
        events.ConditionalOrderExecuted(id=c.id, order_id=created.order_id, paid=bool(c.denom))
    )
    return created.order_id


def try_execute(keeper: ConditionalKeeper, ctx: Context, c: ConditionalOrder) -> None:
    try:
        execute(keeper, ctx, c)
    except ChainError as e:
        c.failure = f"{e.codespace}/{e.code}: {e.log}"
        refunded = finish(keeper, ctx, c, FAILED)
        ctx.events.emit(events.ConditionalOrderFailed(id=c.id, reason=c.failure, refunded=refunded))


def finish(keeper: ConditionalKeeper, ctx: Context, c: ConditionalOrder, status: int) -> int:
    """A terminal status other than EXECUTED: refund the pre-funding, drop the indexes."""
    refunded = c.escrowed
    if refunded:
        keeper.bank.send_from_module(ctx, ESCROW_ACCOUNT, c.creator, [Coin(c.denom, refunded)])
    keeper.index(ctx.store, c, add=False)
    c.escrowed = 0
    c.status = status
    keeper.save(ctx.store, c)
    return refunded
