"""ListOrders: filtered, paginated, newest first, served from the secondary indexes.

Orders are listed by sequence number, newest first. Filters (all optional, combined with AND):
customer, merchant, status, created_after / created_before (exclusive), amount_min / amount_max
(inclusive, on the total). ``starting_after`` (an order id) starts the page after that order in
list order; ``offset`` then skips that many matches; ``total_count`` counts every match of the
filters (cursor and offset ignored); ``has_more`` says whether matches follow the page.

How a query avoids scanning all orders:

1. **The created-time filter is a sequence window.** Sequences are dense (1..N, orders are never
   deleted) and creation times never decrease along them, so "created in (after, before)" is
   exactly the sequences ``[lo, hi)``: two seeks in the created-time index find ``lo`` and
   ``hi``. Every source below is cut to that window by its key range.
2. **Pick the smallest source.** Candidates: the customer, merchant and status indexes, the
   compound (merchant, status) and (customer, status) indexes when both of their filters are
   given (all sizes are kept in counters), and the window itself (``hi - lo`` orders). Then,
   if an amount range is given, the total index is walked over that range, but only while it
   stays smaller than the best candidate; if it finishes first it becomes the source (its
   sequences sorted).
3. **Filter the rest.** Filters the source does not imply are checked on each candidate order.
   When nothing is left to check and the source's size is exact (the window; the amount set; an
   index counter when there is no time window), ``total_count`` is that size and only the page
   is read. Otherwise the source is read once: every candidate counted, the page collected.

So the cost is about the size of the most selective filter, not of all orders; with no filter at
all, or with only a customer, a merchant or a status (or a customer or merchant with a status),
the source *is* the list: a page reads ``offset + limit + 1`` index entries, however many match.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice

import stateset_chain.pb  # noqa: F401
from stateset_chain.crypto import address
from stateset_chain.orders.state import (
    OrdersKeeper,
    by_created,
    by_customer,
    by_customer_status,
    by_merchant,
    by_merchant_status,
    by_sequence,
    by_status,
    by_total,
)
from stateset_chain.store.collections import Map
from stateset_chain.store.kv import KVStore

from stateset.orders.v1.orders_pb2 import Order

U64_MAX = 2**64 - 1

CUSTOMER, MERCHANT, STATUS, CREATED, AMOUNT = "customer", "merchant", "status", "created", "amount"


@dataclass(frozen=True)
class OrderFilter:
    customer: str = ""  # canonical bech32, "" = any
    merchant: str = ""
    status: int = 0  # 0 = any
    created_after_ns: int | None = None  # exclusive
    created_before_ns: int | None = None  # exclusive
    amount_min: int | None = None  # inclusive
    amount_max: int | None = None  # inclusive

    def active(self) -> frozenset[str]:
        names = set()
        if self.customer:
            names.add(CUSTOMER)
        if self.merchant:
            names.add(MERCHANT)
        if self.status:
            names.add(STATUS)
        if self.created_after_ns is not None or self.created_before_ns is not None:
            names.add(CREATED)
        if self.amount_min is not None or self.amount_max is not None:
            names.add(AMOUNT)
        return frozenset(names)

    def amount_range(self) -> tuple[int, int]:
        low = 0 if self.amount_min is None else self.amount_min
        high = U64_MAX if self.amount_max is None else min(self.amount_max, U64_MAX)
        return low, high

    def matches(self, order: Order, names: frozenset[str]) -> bool:
        """Whether ``order`` passes the filters in ``names`` (created is never checked here)."""
        if CUSTOMER in names and order.customer != self.customer:
            return False
        if MERCHANT in names and order.merchant != self.merchant:
            return False
        if STATUS in names and order.status != self.status:
            return False
        if AMOUNT in names:
            low, high = self.amount_range()
            return low <= order.total <= high
        return True


@dataclass
class Page:
    orders: list[Order]
    total_count: int
    has_more: bool


@dataclass
class _Source:
    """Candidates as (seq, order id), newest first, all inside the window."""

    size: int  # exact when ``exact``, else an upper bound
    exact: bool
    covers: frozenset[str]  # filters every candidate satisfies
    entries: Callable[[int], Iterator[tuple[int, str]]]  # (below) -> entries with seq < below


def list_orders(
    keeper: OrdersKeeper,
    store: KVStore,
    f: OrderFilter,
    limit: int,
    offset: int = 0,
    starting_after: str = "",
) -> Page:
    next_seq = keeper.next_sequence(store)
    lo, hi = _window(store, f, next_seq)
    below = hi
    if starting_after:
        below = min(hi, keeper.must_get_order(store, starting_after).sequence)
    source = _choose_source(keeper, store, f, lo, hi, next_seq)
    unchecked = f.active() - source.covers

    def load(order_id: str) -> Order:
        return keeper.must_get_order(store, order_id)

    if source.exact and not unchecked:
        window = list(islice(source.entries(below), offset, offset + limit + 1))
        page = [load(oid) for _, oid in window[:limit]]
        return Page(page, source.size, len(window) > limit)

    total, skipped, page, more = 0, 0, [], False
    for seq, oid in source.entries(hi):
        order = load(oid) if unchecked else None
        if order is not None and not f.matches(order, unchecked):
            continue
        total += 1
        if seq >= below:
            continue
        if skipped < offset:
            skipped += 1
        elif len(page) < limit:
            page.append(order if order is not None else load(oid))
        else:
            more = True
    return Page(page, total, more)


def _window(store: KVStore, f: OrderFilter, next_seq: int) -> tuple[int, int]:
    """The sequences [lo, hi) of orders created in (created_after, created_before)."""
    lo, hi = 1, next_seq
    if f.created_after_ns is not None:
        lo = _first_seq_created_from(store, f.created_after_ns + 1, next_seq)
    if f.created_before_ns is not None:
        hi = _first_seq_created_from(store, f.created_before_ns, next_seq)
    return lo, max(lo, hi)


def _first_seq_created_from(store: KVStore, ns: int, next_seq: int) -> int:
    """The sequence of the first order created at or after ``ns`` (next_seq if none)."""
    if ns <= 0:
        return 1
    if ns > U64_MAX:
        return next_seq
    for _, seq in by_created.iterate(store, start=(ns, 0)):
        return seq
    return next_seq


def _choose_source(
    keeper: OrdersKeeper, store: KVStore, f: OrderFilter, lo: int, hi: int, next_seq: int
) -> _Source:
    whole = (lo, hi) == (1, next_seq)
    customer = address.decode(f.customer) if f.customer else None
    merchant = address.decode(f.merchant) if f.merchant else None
    sources = []
    # compound indexes first: on a tie in size they leave fewer filters to check
    if merchant is not None and f.status:
        count = keeper.merchant_status_count(store, merchant, f.status)
        key = (merchant, f.status)
        sources.append(
            _index(store, by_merchant_status, key, count, {MERCHANT, STATUS}, lo, hi, whole)
        )
    if customer is not None and f.status:
        count = keeper.customer_status_count(store, customer, f.status)
        key = (customer, f.status)
        sources.append(
            _index(store, by_customer_status, key, count, {CUSTOMER, STATUS}, lo, hi, whole)
        )
    if customer is not None:
        count = keeper.customer_count(store, customer)
        sources.append(_index(store, by_customer, (customer,), count, {CUSTOMER}, lo, hi, whole))
    if merchant is not None:
        count = keeper.merchant_count(store, merchant)
        sources.append(_index(store, by_merchant, (merchant,), count, {MERCHANT}, lo, hi, whole))
    if f.status:
        count = keeper.status_count(store, f.status)
        sources.append(_index(store, by_status, (f.status,), count, {STATUS}, lo, hi, whole))
    sources.append(_sequence_window(store, lo, hi))
    best = min(sources, key=lambda s: s.size)  # first smallest: an index before the window
    if f.amount_min is not None or f.amount_max is not None:
        amounts = _amount_matches(store, f, lo, hi, budget=best.size)
        if amounts is not None:
            best = amounts
    return best


def _sequence_window(store: KVStore, lo: int, hi: int) -> _Source:
    def entries(below: int) -> Iterator[tuple[int, str]]:
        end = min(hi, below)
        if lo < end:
            yield from by_sequence.iterate(store, start=lo, end=end, reverse=True)

    return _Source(size=hi - lo, exact=True, covers=frozenset({CREATED}), entries=entries)


def _index(
    store: KVStore,
    index: Map,
    parts: tuple,
    count: int,
    names: set[str],
    lo: int,
    hi: int,
    whole: bool,
) -> _Source:
    """The entries of ``index`` under the key prefix ``parts`` (the values of the filters
    ``names``), cut to the window; ``count`` is how many there are under ``parts``."""

    def entries(below: int) -> Iterator[tuple[int, str]]:
        end = min(hi, below)
        if lo < end:
            for key, oid in index.iterate(
                store, start=(*parts, lo), end=(*parts, end), reverse=True
            ):
                yield key[-1], oid

    covers = frozenset(names | {CREATED})
    # Inside a created-time window the index holds at most one entry per order of the window,
    # so it is never a worse source than the window itself (and, covering more filters, it wins
    # ties). Without a window, ``count`` is exact (it becomes total_count).
    size = count if whole else min(count, hi - lo)
    return _Source(size=size, exact=whole, covers=covers, entries=entries)


def _amount_matches(
    store: KVStore, f: OrderFilter, lo: int, hi: int, budget: int
) -> _Source | None:
    """The orders in the amount range and the window, if walking the range takes at most
    ``budget`` steps; None when another source is smaller."""
    low, high = f.amount_range()
    found: list[tuple[int, str]] = []
    if low <= high:
        end = (high + 1, 0) if high < U64_MAX else None
        for steps, ((_, seq), oid) in enumerate(by_total.iterate(store, start=(low, 0), end=end)):
            if steps >= budget:
                return None
            if lo <= seq < hi:
                found.append((seq, oid))
    found.sort(reverse=True)

    def entries(below: int) -> Iterator[tuple[int, str]]:
        return (entry for entry in found if entry[0] < below)

    return _Source(
        size=len(found), exact=True, covers=frozenset({AMOUNT, CREATED}), entries=entries
    )
