"""Orders invariants: crash (``InvariantBroken``) if state contradicts them. They scan all orders
(tests run them after every block; the app may run them at InitChain and on demand).

- ``escrow_balance``: for each denom,
  balance(orders_escrow) == Σ over orders of (paid - refunded - settled).
- ``order_accounting``: per order, amounts agree with the payment and refund records, the total
  with the items, the payment status with the amounts, money with the status (a terminal or
  settled order holds no escrow, a paid-state order is fully paid), and its timeline walks the
  transition table from CREATED to its current status.
- ``indexes_consistent``: every index (the compound (merchant, status) and (customer, status)
  ones too), counter, client id and settlement queue entry is exactly what the orders imply;
  sequences are 1..N with non-decreasing creation times.
- ``open_orders_indexed``: the consensus index of open orders by party (0x31) holds exactly the
  orders with money in escrow, each under every one of its parties (``state.open_parties``).
"""

from __future__ import annotations

from collections import Counter

import stateset_chain.pb  # noqa: F401
from stateset_chain.coins import SSUSD, USDC
from stateset_chain.context import Context
from stateset_chain.crypto import address
from stateset_chain.errors import InvariantBroken
from stateset_chain.orders import escrow, fx
from stateset_chain.orders.index import histogram, indexes
from stateset_chain.orders.lifecycle import (
    CANCELLED,
    CREATED,
    DELIVERED,
    REFUNDED,
    RESOLVED,
    TRANSITIONS,
)
from stateset_chain.orders.state import OrdersKeeper, open_parties
from stateset_chain.rates import parse_rate
from stateset_chain.timefmt import timestamp_ns

from stateset.orders.v1.orders_pb2 import Order

NO_ESCROW_STATUSES = frozenset({CANCELLED, REFUNDED, RESOLVED})


def escrow_balance(keeper: OrdersKeeper, ctx: Context) -> None:
    owed = {USDC: 0, SSUSD: 0}
    for _, order in keeper.orders.iterate(ctx.store):
        owed[order.denom] = owed.get(order.denom, 0) + escrow.escrowed(order)
    for denom in sorted(owed):
        held = keeper.bank.balance(ctx.store, keeper.escrow_address, denom)
        if held != owed[denom]:
            raise InvariantBroken(
                f"orders: escrow holds {held}{denom} but orders hold {owed[denom]}{denom}"
            )


def order_accounting(keeper: OrdersKeeper, ctx: Context) -> None:
    for _, order in keeper.orders.iterate(ctx.store):
        problem = _accounting_problem(order)
        if problem:
            raise InvariantBroken(f"orders: order {order.id}: {problem}")


def _accounting_problem(o: Order) -> str | None:
    left = escrow.escrowed(o)
    due = fx.payable(o)
    checks = [
        (o.subtotal == sum(i.line_total for i in o.items), "subtotal != Σ line totals"),
        (
            o.total == o.subtotal + o.tax + o.vat + o.import_duty + o.shipping_fee,
            "total != subtotal + tax + VAT + import duty + shipping",
        ),
        (o.import_duty == sum(i.import_duty for i in o.items), "import duty != Σ line duties"),
        (not (o.vat and o.tax), "both VAT and tax"),
        (o.amount_paid == sum(p.amount for p in o.payments), "amount_paid != Σ payments"),
        (o.amount_refunded == sum(r.amount for r in o.refunds), "amount_refunded != Σ refunds"),
        (o.amount_refunded == sum(p.refunded for p in o.payments), "refunds != Σ refunded"),
        (left >= 0 and o.amount_paid <= due, "paid, refunded and settled out of bounds"),
        (o.status != CREATED or o.amount_paid < due, "CREATED but fully paid"),
        (
            o.status in (CREATED, CANCELLED) or o.amount_paid == due,
            "past payment but not fully paid",
        ),
        (o.status not in NO_ESCROW_STATUSES or left == 0, "terminal but escrow left"),
        (not o.settled or left == 0, "settled but escrow left"),
        (o.settled == (o.amount_settled > 0 or o.HasField("settlement")), "settled flag"),
        (o.payment_status == escrow.payment_status(o), "payment status"),
        (_timeline_ok(o), "timeline does not follow the transition table"),
        *_fiat_checks(o),
    ]
    for ok, why in checks:
        if not ok:
            return why
    return None


def _fiat_checks(o: Order) -> list[tuple[bool, str]]:
    """A fiat order's stablecoin amounts all derive from its lock; a USD order has none."""
    if not fx.is_fiat(o):
        return [
            (not o.HasField("exchange_rate"), "USD order with an exchange rate"),
            (o.stablecoin_total == 0 and o.amount_refunded_fiat == 0, "USD order fiat amounts"),
            (all(r.fiat_amount == 0 for r in o.refunds), "USD order refund in fiat"),
        ]
    lock = o.exchange_rate
    locked = o.HasField("exchange_rate")
    return [
        (locked or o.amount_paid == 0, "paid without a locked rate"),
        (
            not locked or lock.amount_due == fx.stablecoin_amount(o.total, parse_rate(lock.rate)),
            "amount due is not ceil(total x rate)",
        ),
        (not locked or o.stablecoin_total == lock.amount_due, "stablecoin total != lock"),
        (o.amount_refunded_fiat == sum(r.fiat_amount for r in o.refunds), "fiat refunds"),
        (o.amount_refunded_fiat <= o.total, "fiat refunds above the total"),
        (
            o.amount_refunded
            == fx.refunded_through(o.amount_paid, o.total, o.amount_refunded_fiat),
            "refunds are not floor(paid x refunded / total)",
        ),
    ]


def _timeline_ok(o: Order) -> bool:
    statuses = [entry.status for entry in o.timeline]
    if not statuses or statuses[0] != CREATED or statuses[-1] != o.status:
        return False
    return all(b in TRANSITIONS[a] for a, b in zip(statuses, statuses[1:], strict=False))


def indexes_consistent(keeper: OrdersKeeper, ctx: Context) -> None:
    store = ctx.store
    everything = sorted((o for _, o in keeper.orders.iterate(store)), key=lambda o: o.sequence)
    n = keeper.order_count(store)
    if [o.sequence for o in everything] != list(range(1, n + 1)):
        raise InvariantBroken(f"orders: sequences are not 1..{n}")
    created = [timestamp_ns(o.created_at) for o in everything]
    if created != sorted(created):
        raise InvariantBroken("orders: creation times decrease along sequences")

    def raw(addr: str) -> bytes:
        return address.decode(addr)

    expected = {
        "by_sequence": [(o.sequence, o.id) for o in everything],
        "by_customer": sorted(((raw(o.customer), o.sequence), o.id) for o in everything),
        "by_merchant": sorted(((raw(o.merchant), o.sequence), o.id) for o in everything),
        "by_status": sorted(((o.status, o.sequence), o.id) for o in everything),
        "by_total": sorted(((o.total, o.sequence), o.id) for o in everything),
        "by_merchant_status": [((raw(o.merchant), o.status, o.sequence), o.id) for o in everything],
        "by_customer_status": [((raw(o.customer), o.status, o.sequence), o.id) for o in everything],
        "by_customer_total": [((raw(o.customer), o.total, o.sequence), o.id) for o in everything],
        "by_merchant_total": [((raw(o.merchant), o.total, o.sequence), o.id) for o in everything],
        "by_status_amount": [
            ((o.status, o.sequence >> indexes.EPOCH_BITS, o.total, o.sequence), o.id)
            for o in everything
        ],
    }
    for name, want in expected.items():
        index = getattr(keeper.index, name)
        got = sorted(index.iterate(store), key=_index_order)
        if got != sorted(want, key=_index_order):
            raise InvariantBroken(f"orders: index {name} does not match the orders")
    want_created = sorted(zip(created, range(1, n + 1), strict=True))
    if list(keeper.index.by_created.iterate(store)) != want_created:
        raise InvariantBroken("orders: index by_created does not match the orders")
    client = sorted(
        ((raw(o.merchant), o.client_order_id), o.id) for o in everything if o.client_order_id
    )
    if sorted(keeper.client_ids.iterate(store)) != client:
        raise InvariantBroken("orders: client order ids do not match the orders")
    ix = keeper.index
    _check_counter(ix.customer_counts, store, Counter(raw(o.customer) for o in everything))
    _check_counter(ix.merchant_counts, store, Counter(raw(o.merchant) for o in everything))
    _check_counter(ix.status_counts, store, Counter(o.status for o in everything))
    by_merchant_status = Counter((raw(o.merchant), o.status) for o in everything)
    _check_counter(keeper.index.merchant_status_counts, store, by_merchant_status)
    by_customer_status = Counter((raw(o.customer), o.status) for o in everything)
    _check_counter(keeper.index.customer_status_counts, store, by_customer_status)
    counted = {group: list(counters) for group, counters in ix.amount_histogram.iterate(store)}
    if counted != histogram.expected((o.status, o.total) for o in everything):
        raise InvariantBroken("orders: the totals histogram does not match the orders")
    queue = sorted(
        (timestamp_ns(o.settlement_due), o.id)
        for o in everything
        if o.status == DELIVERED and not o.settled
    )
    if sorted(keeper.settlement_queue.iterate(store)) != queue:
        raise InvariantBroken("orders: settlement queue does not match the delivered orders")


def _index_order(entry):
    return entry[0]


def _check_counter(counter, store, want: Counter) -> None:
    got = dict(counter.iterate(store))
    if got != dict(want):
        raise InvariantBroken("orders: an index counter does not match the orders")


def open_orders_indexed(keeper: OrdersKeeper, ctx: Context) -> None:
    want = {}
    for _, order in keeper.orders.iterate(ctx.store):
        if escrow.escrowed(order):
            for party in open_parties(order):
                want[(address.decode(party), order.sequence)] = order.id
    have = dict(keeper.all_open_entries(ctx.store))
    if have != want:
        extra = sorted(set(have.items()) - set(want.items()))[:3]
        missing = sorted(set(want.items()) - set(have.items()))[:3]
        raise InvariantBroken(
            f"orders: open orders by party: extra {extra}, missing {missing}"
        )


ALL = (escrow_balance, order_accounting, indexes_consistent, open_orders_indexed)
# InitChain's: the checks of the genesis's input that scan one order at a time. The other two hold
# every order's index entries in memory (gigabytes at a million orders), and the entries they
# check were written by ``insert_order`` from the orders just validated (orders/genesis.py).
AT_GENESIS = (escrow_balance, order_accounting)
