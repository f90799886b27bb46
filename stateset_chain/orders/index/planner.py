"""ListOrders: filtered, paginated, newest first, served from the secondary indexes.

Orders are listed by sequence number, newest first. Filters (all optional, combined with AND):
customer, merchant, external customer id (``metadata["customer_id"]``), status, created_after /
created_before (exclusive), amount_min / amount_max (inclusive, on the total). ``starting_after``
(an order id) starts the page after that order in list order; ``offset`` then skips that many
matches; ``total_count`` counts every match of the filters (cursor and offset ignored);
``has_more`` says whether matches follow the page.

How a query avoids scanning all orders:

1. **The created-time filter is a sequence window.** Sequences are dense (1..N, orders are never
   deleted) and creation times never decrease along them, so "created in (after, before)" is
   exactly the sequences ``[lo, hi)``: two seeks in the created-time index find ``lo`` and
   ``hi``. Every source below is cut to that window by its key range.
2. **Count from counters when they know.** No filter or a window alone: ``hi - lo``. Without a
   window: a customer, a merchant, an external customer id, a status, a party with a status (the
   counters); an amount range, alone or with a status (the totals histogram, histogram.py).
   Otherwise the count is unknown and the chosen source is walked whole.
3. **Pick the cheapest source.** Candidates: the window; the customer, merchant, customer id and
   status indexes and the compound (merchant, status) and (customer, status) ones; for an amount
   range, the (status, block, total) index walked block by block, newest block first, and the
   whole range of the total index, sorted. ``_Source.cost`` estimates each one's store reads: with
   a known count, to find ``offset + limit + 1`` matches (a source whose candidates must be loaded
   to check a filter needs ``size / count`` candidates per match); without one, its whole size.
4. **Filter the rest.** Filters the source does not imply are checked on each candidate order;
   with a known count the walk stops at the first match after the page.

So a page costs about ``offset + limit + 1`` index entries plus the page's orders for every
combination with a known count, whatever the number of orders; the others cost about the size of
their most selective source (for a window, at most the window).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import stateset_chain.pb  # noqa: F401
from stateset_chain.crypto import address
from stateset_chain.orders.index import indexes
from stateset_chain.orders.index.histogram import ANY_STATUS
from stateset_chain.orders.index.indexes import CUSTOMER_ID_KEY, OrderIndex, OrderSource
from stateset_chain.store.collections import Map
from stateset_chain.store.kv import KVStore

from stateset.orders.v1.orders_pb2 import Order

U64_MAX = 2**64 - 1

CUSTOMER, MERCHANT, STATUS, CREATED, AMOUNT = "customer", "merchant", "status", "created", "amount"
CUSTOMER_ID = "customer_id"


@dataclass(frozen=True)
class OrderFilter:
    customer: str = ""  # canonical bech32, "" = any
    merchant: str = ""
    status: int = 0  # 0 = any
    created_after_ns: int | None = None  # exclusive
    created_before_ns: int | None = None  # exclusive
    amount_min: int | None = None  # inclusive
    amount_max: int | None = None  # inclusive
    customer_id: str = ""  # metadata["customer_id"], "" = any

    def active(self) -> frozenset[str]:
        names = set()
        if self.customer_id:
            names.add(CUSTOMER_ID)
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
        if CUSTOMER_ID in names and order.metadata.get(CUSTOMER_ID_KEY) != self.customer_id:
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

    name: str
    size: int  # entries in the window: exact when ``exact``, else an estimate for costs
    exact: bool
    covers: frozenset[str]  # filters every candidate satisfies
    entries: Callable[[int], Iterator[tuple[int, str]]]  # (below) -> entries with seq < below
    seeks: int = 1  # key ranges opened to walk every entry
    reads_all: bool = False  # reads every entry before yielding the first

    def cost(self, active: frozenset[str], need: int | None, total: int | None) -> int:
        """Estimated store reads to find ``need`` matches of ``total`` (None: to walk it all)."""
        checks = bool(active - self.covers)  # candidates must be loaded to check a filter
        if need is None or self.reads_all or total is None:
            read = self.size
        elif checks:
            read = min(self.size, -(-need * self.size // max(total, 1)))
        else:
            read = min(self.size, need)
        opened = -(-self.seeks * read // max(self.size, 1))
        return read * (2 if checks else 1) + SEEK_COST * max(opened, 1)


# A key range opened costs about this many entries read (a seek in every store layer).
SEEK_COST = 3


def list_orders(
    index: OrderIndex,
    orders: OrderSource,
    store: KVStore,
    f: OrderFilter,
    limit: int,
    offset: int = 0,
    starting_after: str = "",
    choose: Callable[[list[_Source], frozenset[str], int | None, int | None], _Source]
    | None = None,
) -> Page:
    """One page of the orders matching ``f``, newest first (see the module doc). ``choose``
    picks the source among the candidates (tests force each one); the default is the cheapest."""
    next_seq = orders.next_sequence(store)
    lo, hi = _window(store, f, next_seq)
    below = hi
    if starting_after:
        below = min(hi, orders.must_get_order(store, starting_after).sequence)
    active = f.active()
    sources = _sources(index, orders, store, f, lo, hi, next_seq)
    total = _known_total(sources, active)
    if total == 0:
        return Page([], 0, False)
    need = None if total is None else offset + limit + 1
    if choose is None:
        source = min(sources, key=lambda s: s.cost(active, need, total))
    else:
        source = choose(sources, active, need, total)
    unchecked = active - source.covers

    def load(order_id: str) -> Order:
        return orders.must_get_order(store, order_id)

    page: list[Order] = []
    counted, skipped, more = 0, 0, False
    for seq, oid in source.entries(hi if total is None else below):
        order = load(oid) if unchecked else None
        if order is not None and not f.matches(order, unchecked):
            continue
        counted += 1
        if seq >= below:
            continue
        if skipped < offset:
            skipped += 1
        elif len(page) < limit:
            page.append(order if order is not None else load(oid))
        else:
            more = True
            if total is not None:
                break  # the count is known: stop at the first match after the page
    return Page(page, counted if total is None else total, more)


def _known_total(sources: list[_Source], active: frozenset[str]) -> int | None:
    """The number of matches when a source's size gives it without reading orders (an exact
    source whose candidates are exactly the matches: it covers the active filters and no
    other), else None."""
    wanted = active - {CREATED}  # every source is cut to the window
    for source in sources:
        if source.exact and source.covers - {CREATED} == wanted:
            return source.size
    return None


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
    for _, seq in OrderIndex.by_created.iterate(store, start=(ns, 0)):
        return seq
    return next_seq


def _sources(
    index: OrderIndex,
    orders: OrderSource,
    store: KVStore,
    f: OrderFilter,
    lo: int,
    hi: int,
    next_seq: int,
) -> list[_Source]:
    """Every source that can serve ``f``: the window, the index of each filter given (and the
    compound index of a party and a status), and for an amount range the amount sources."""
    whole = (lo, hi) == (1, next_seq)
    customer = address.decode(f.customer) if f.customer else None
    merchant = address.decode(f.merchant) if f.merchant else None

    def source(name, idx, parts, count, names) -> _Source:
        # inside a window the index holds at most one entry per order of the window; without
        # one, the counter is exact
        size = count if whole else min(count, hi - lo)
        entries = _index(store, idx, parts, lo, hi)
        return _Source(name, size, whole, frozenset(names | {CREATED}), entries)

    window = _sequence_window(store, lo, hi)
    sources = [_Source("window", hi - lo, True, frozenset({CREATED}), window)]
    parties = []  # (filter, address, its (party, total) index, its order count)
    # compound indexes first: on a tie in cost they leave fewer filters to check
    if merchant is not None and f.status:
        count = index.merchant_status_count(store, merchant, f.status)
        parts = (merchant, f.status)
        sources.append(
            source("merchant+status", index.by_merchant_status, parts, count, {MERCHANT, STATUS})
        )
    if customer is not None and f.status:
        count = index.customer_status_count(store, customer, f.status)
        parts = (customer, f.status)
        sources.append(
            source("customer+status", index.by_customer_status, parts, count, {CUSTOMER, STATUS})
        )
    if customer is not None:
        count = index.customer_count(store, customer)
        sources.append(source("customer", index.by_customer, (customer,), count, {CUSTOMER}))
        parties.append((CUSTOMER, customer, index.by_customer_total, count))
    if merchant is not None:
        count = index.merchant_count(store, merchant)
        sources.append(source("merchant", index.by_merchant, (merchant,), count, {MERCHANT}))
        parties.append((MERCHANT, merchant, index.by_merchant_total, count))
    if f.customer_id:
        count = index.customer_id_count(store, f.customer_id)
        sources.append(
            source("customer_id", index.by_customer_id, (f.customer_id,), count, {CUSTOMER_ID})
        )
    if f.status:
        count = index.status_count(store, f.status)
        sources.append(source("status", index.by_status, (f.status,), count, {STATUS}))
    if AMOUNT in f.active():
        sources += _amount_sources(index, orders, store, f, lo, hi, next_seq, parties)
    sources.sort(key=lambda s: s.name != "window")  # the window last: it loses every tie
    return sources


def _sequence_window(store: KVStore, lo: int, hi: int):
    def entries(below: int) -> Iterator[tuple[int, str]]:
        end = min(hi, below)
        if lo < end:
            yield from OrderIndex.by_sequence.iterate(store, start=lo, end=end, reverse=True)

    return entries


def _index(store: KVStore, index: Map, parts: tuple, lo: int, hi: int):
    """The entries of ``index`` under the key prefix ``parts``, cut to the window."""

    def entries(below: int) -> Iterator[tuple[int, str]]:
        end = min(hi, below)
        if lo < end:
            for key, oid in index.iterate(
                store, start=(*parts, lo), end=(*parts, end), reverse=True
            ):
                yield key[-1], oid

    return entries


def _amount_sources(
    index: OrderIndex,
    orders: OrderSource,
    store: KVStore,
    f: OrderFilter,
    lo: int,
    hi: int,
    next_seq: int,
    parties: list[tuple[str, bytes, Map, int]],
) -> list[_Source]:
    """The ways to list an amount range: block by block through the (status, epoch, total)
    index, newest first (cheap for a page of a common range); the whole range of the total
    index, sorted (cheap for a rare range); and for a customer or merchant filter (``parties``:
    (filter name, address, index, its order count)), that party's range, sorted."""
    low, high = f.amount_range()
    if f.status:
        statuses = [f.status]
    else:
        statuses = [status for status, _ in OrderIndex.status_counts.iterate(store)]
    everything = index.amount_count(store, orders, ANY_STATUS, low, high)
    in_range = index.amount_count(store, orders, f.status, low, high) if f.status else everything
    n_orders = next_seq - 1
    whole = (lo, hi) == (1, next_seq)
    # the window's share of the range, assuming amounts spread evenly over time (an estimate)
    share = -(-in_range * (hi - lo) // max(n_orders, 1))
    bits = indexes.EPOCH_BITS
    epochs = ((hi - 1) >> bits) - (lo >> bits) + 1 if lo < hi else 0
    covers = {AMOUNT, CREATED} | ({STATUS} if f.status else set())
    sources = [
        _Source(
            "amount blocks",
            share,
            whole,
            frozenset(covers),
            _amount_blocks(store, statuses, low, high, lo, hi),
            seeks=epochs * len(statuses),
        ),
        _Source(
            "amount range",
            everything,
            whole,
            frozenset({AMOUNT, CREATED}),
            _amount_range(store, OrderIndex.by_total, (), low, high, lo, hi),
            reads_all=True,
        ),
    ]
    # a party's orders in the range: the (party, total) index; its size is estimated from the
    # party's share of all orders (the walk costs what the range holds of the party's orders)
    for name, party, party_index, count in parties:
        sources.append(
            _Source(
                f"{name}+amount range",
                -(-count * everything // max(n_orders, 1)),
                False,
                frozenset({AMOUNT, CREATED, name}),
                _amount_range(store, party_index, (party,), low, high, lo, hi),
                reads_all=True,
            )
        )
    return sources


def _amount_blocks(store: KVStore, statuses: list[int], low: int, high: int, lo: int, hi: int):
    """Orders of ``statuses`` with a total in [low, high], newest first: for each block of
    2^indexes.EPOCH_BITS sequences, newest block first, the total range of each status, sorted."""
    bits = indexes.EPOCH_BITS

    def entries(below: int) -> Iterator[tuple[int, str]]:
        end = min(hi, below)
        if lo >= end:
            return
        for epoch in range((end - 1) >> bits, (lo >> bits) - 1, -1):
            found = []
            for status in statuses:
                stop = (status, epoch, high + 1, 0) if high < U64_MAX else (status, epoch + 1, 0, 0)
                for (_, _, _, seq), oid in OrderIndex.by_status_amount.iterate(
                    store, start=(status, epoch, low, 0), end=stop
                ):
                    if lo <= seq < end:
                        found.append((seq, oid))
            found.sort(reverse=True)
            yield from found

    return entries


def _amount_range(store: KVStore, index: Map, parts: tuple, low: int, high: int, lo: int, hi: int):
    """The entries under ``parts`` of an index keyed (*parts, total, seq) with a total in
    [low, high] and inside the window, read whole and sorted newest first."""
    found: list[tuple[int, str]] | None = None

    def entries(below: int) -> Iterator[tuple[int, str]]:
        nonlocal found
        if found is None:
            end = (*parts, high + 1, 0) if high < U64_MAX else None
            walked = index.iterate(store, prefix=parts, start=(*parts, low, 0), end=end)
            found = sorted(
                ((key[-1], oid) for key, oid in walked if lo <= key[-1] < hi), reverse=True
            )
        return (entry for entry in found if entry[0] < below)

    return entries
