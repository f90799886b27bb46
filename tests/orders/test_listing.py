"""ListOrders against a brute-force filter (Hypothesis), and proof that it reads only what the
most selective filter implies, never all orders, and only the page for a merchant or customer
with a status (the compound indexes)."""

from __future__ import annotations

from contextlib import contextmanager

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import BlockInfo
from stateset_chain.crypto import address
from stateset_chain.orders.index import OrderFilter, indexes
from stateset_chain.orders.keys import (
    BY_CUSTOMER_PREFIX,
    BY_MERCHANT_PREFIX,
    BY_MERCHANT_STATUS_PREFIX,
    BY_STATUS_PREFIX,
    ORDERS_PREFIX,
)
from stateset_chain.orders.state import OrdersKeeper
from stateset_chain.store.kv import Branch, KVStore
from stateset_chain.timefmt import NS, format_iso8601, timestamp_ns
from tests.orders.helpers import START_NS, UNIT, Chain, item
from tests.orders.test_settlement import RecordingKV

from stateset.orders.v1 import query_pb2 as q
from stateset.orders.v1 import tx_pb2 as tx
from stateset.orders.v1.orders_pb2 import Order, OrderStatus

CUSTOMERS = [address.encode(bytes([20 + i]) * 20) for i in range(4)]  # the 4th never orders
MERCHANTS = [address.encode(bytes([30 + i]) * 20) for i in range(3)]  # the 3rd never sells
FUNDS = {"ussusd": 10**9 * UNIT}
# external customer ids (metadata["customer_id"]) by (customer + merchant) % 3: not the address
EXTERNAL_IDS = ["cus_a", "cus_b", None]
TARGETS = ["CREATED", "PARTIAL", "PAID", "CANCELLED", "FULFILLED", "HELD"]
REACHED = [  # the statuses ``build`` leaves orders in
    OrderStatus.ORDER_STATUS_CREATED,
    OrderStatus.ORDER_STATUS_PAID,
    OrderStatus.ORDER_STATUS_CANCELLED,
    OrderStatus.ORDER_STATUS_FULFILLED,
    OrderStatus.ORDER_STATUS_HELD,
]

order_specs = st.lists(
    st.tuples(
        st.integers(0, 2),  # customer
        st.integers(0, 1),  # merchant
        st.integers(1, 40),  # price in dollars
        st.sampled_from(TARGETS),
        st.integers(0, 3),  # seconds since the previous order (0: same block)
    ),
    max_size=25,
)


ORDERS = OrdersKeeper.orders


def list_orders(keeper, store, f, *args, **kwargs):
    """ListOrders through the keeper's index, as the query runs it."""
    return keeper.index.list_orders(store, keeper, f, *args, **kwargs)


def build(specs, chain: Chain | None = None) -> Chain:
    """A chain (a new one, or ``chain``) with one more order per spec."""
    if chain is None:
        chain = Chain(holdings={a: dict(FUNDS) for a in CUSTOMERS + MERCHANTS})
    for customer_i, merchant_i, price, target, gap in specs:
        if gap:
            chain.block = BlockInfo(chain.block.height + 1, chain.block.time_ns + gap * NS, "test")
        customer, merchant = CUSTOMERS[customer_i], MERCHANTS[merchant_i]
        external = EXTERNAL_IDS[(customer_i + merchant_i) % 3]
        oid = chain.create(
            creator=customer, customer=customer, merchant=merchant, items=[item(price=str(price))],
            metadata={"customer_id": external} if external else None,
        )
        if target in ("PARTIAL", "CANCELLED"):
            chain.pay(oid, UNIT // 2, payer=customer)
        elif target != "CREATED":
            chain.pay(oid, payer=customer)
        if target == "CANCELLED":
            chain.deliver(tx.MsgCancelOrder(signer=merchant, order_id=oid))
        elif target == "FULFILLED":
            chain.deliver(tx.MsgFulfillOrder(signer=merchant, order_id=oid))
        elif target == "HELD":
            chain.deliver(tx.MsgHoldOrder(signer=merchant, order_id=oid))
    return chain


def optional(strategy):
    return st.one_of(st.none(), strategy)


times = st.integers(START_NS - 2 * NS, START_NS + 80 * NS).map(
    lambda ns: ns if ns % 3 else ns - ns % NS  # whole seconds, sometimes
)
requests = st.fixed_dictionaries(
    {
        "customer": optional(st.sampled_from(CUSTOMERS)),
        "merchant": optional(st.sampled_from(MERCHANTS)),
        "status": st.sampled_from([0] + [s for s in OrderStatus.values() if s][:8]),
        "created_after": optional(times),
        "created_before": optional(times),
        "amount_min": optional(st.integers(0, 45).map(lambda d: d * UNIT + (d % 2))),
        "amount_max": optional(st.integers(0, 45).map(lambda d: d * UNIT)),
        "limit": st.integers(1, 8),
        "offset": st.integers(0, 6),
        "cursor": optional(st.integers(0, 30)),
        "customer_id": optional(st.sampled_from(["cus_a", "cus_b", "cus_z"])),
    }
)


@st.composite
def party_with_status(draw) -> dict:
    """A customer and/or a merchant with a status an order is in: the compound index sources.
    Half of them carry no other filter, so the page-only path (exact counter) answers them."""
    r = dict(draw(requests))
    party = draw(st.sampled_from(["customer", "merchant", "both"]))
    r["customer"] = draw(st.sampled_from(CUSTOMERS)) if party != "merchant" else None
    r["merchant"] = draw(st.sampled_from(MERCHANTS)) if party != "customer" else None
    r["status"] = draw(st.sampled_from(REACHED))
    if draw(st.booleans()):
        r.update(created_after=None, created_before=None, amount_min=None, amount_max=None)
    return r


amounts_on_the_edge = st.integers(0, 45).flatmap(
    lambda d: st.sampled_from([d * UNIT - 1, d * UNIT, d * UNIT + 1]) if d else st.just(0)
)


@st.composite
def amount_and_status(draw) -> dict:
    """An amount range (bounds on, just below and just above the orders' totals), alone or with
    a status: the filters the totals histogram counts."""
    r = dict(draw(requests))
    r.update(customer=None, merchant=None, created_after=None, created_before=None)
    r["status"] = draw(st.sampled_from([0, *REACHED]))
    r["amount_min"] = draw(optional(amounts_on_the_edge))
    r["amount_max"] = draw(amounts_on_the_edge)
    return r


any_request = st.one_of(requests, party_with_status(), amount_and_status())


def brute_force(all_orders: list[Order], r: dict, cursor_seq: int | None):
    def keep(o: Order) -> bool:
        created = timestamp_ns(o.created_at)
        return (
            (r["customer"] is None or o.customer == r["customer"])
            and (r["merchant"] is None or o.merchant == r["merchant"])
            and (r["status"] == 0 or o.status == r["status"])
            and (r["created_after"] is None or created > r["created_after"])
            and (r["created_before"] is None or created < r["created_before"])
            and (r["amount_min"] is None or o.total >= r["amount_min"])
            and (r["amount_max"] is None or o.total <= r["amount_max"])
            and (r.get("customer_id") is None or o.metadata.get("customer_id") == r["customer_id"])
        )

    matched = [o for o in sorted(all_orders, key=lambda o: -o.sequence) if keep(o)]
    after = [o for o in matched if cursor_seq is None or o.sequence < cursor_seq]
    start, stop = r["offset"], r["offset"] + r["limit"]
    return [o.id for o in after[start:stop]], len(matched), len(after) > stop


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(order_specs, st.lists(any_request, min_size=1, max_size=8))
def test_list_orders_equals_a_brute_force_filter(specs, reqs):
    chain = build(specs)
    all_orders = [o for _, o in ORDERS.iterate(chain.store)]
    [route] = [r for r in chain.module.queries if r.path.endswith("/Orders")]
    for r in reqs:
        cursor = None
        if r["cursor"] is not None and all_orders:
            cursor = sorted(all_orders, key=lambda o: o.sequence)[r["cursor"] % len(all_orders)]
        response = route.handler(
            chain.ctx(),
            q.QueryOrdersRequest(
                customer=r["customer"] or "",
                merchant=r["merchant"] or "",
                status=r["status"],
                created_after=""
                if r["created_after"] is None
                else format_iso8601(r["created_after"]),
                created_before=""
                if r["created_before"] is None
                else format_iso8601(r["created_before"]),
                amount_min="" if r["amount_min"] is None else str(r["amount_min"]),
                amount_max="" if r["amount_max"] is None else str(r["amount_max"]),
                limit=r["limit"],
                offset=r["offset"],
                starting_after=cursor.id if cursor else "",
                customer_id=r.get("customer_id") or "",
            ),
        )
        ids, total, has_more = brute_force(all_orders, r, cursor.sequence if cursor else None)
        assert [o.id for o in response.orders] == ids
        assert (response.total_count, response.has_more) == (total, has_more)


def orders_read(chain: Chain, f: OrderFilter, limit: int = 10, offset: int = 0) -> int:
    """How many orders (primary records) a listing reads."""
    store = RecordingKV(Branch(chain.store))
    list_orders(chain.keeper, store, f, limit, offset)
    return len({k for k in store.seen if k.startswith(ORDERS_PREFIX)})


def big_shop() -> Chain:
    """200 orders of one customer, then 3 of another, 60 s apart."""
    specs = [(0, 0, 1 + i % 30, "CREATED", 60) for i in range(200)]
    specs += [(1, 1, 5, "PAID", 60) for _ in range(3)]
    return build(specs)


def test_listing_reads_only_the_page_or_the_most_selective_index():
    chain = big_shop()
    c0, c1 = CUSTOMERS[0], CUSTOMERS[1]
    assert orders_read(chain, OrderFilter()) == 10  # the page only (total from the counter)
    assert orders_read(chain, OrderFilter(customer=c0)) == 10  # exact counter, no other filter
    assert orders_read(chain, OrderFilter(customer=c1, status=OrderStatus.ORDER_STATUS_PAID)) == 3
    assert orders_read(chain, OrderFilter(merchant=MERCHANTS[1], customer=c0)) <= 3
    assert orders_read(chain, OrderFilter(status=OrderStatus.ORDER_STATUS_PAID)) == 3
    recent = START_NS + 200 * 60 * NS
    assert orders_read(chain, OrderFilter(created_after_ns=recent, customer=c0)) <= 3
    assert orders_read(chain, OrderFilter(amount_min=31 * UNIT)) == 0  # empty amount range


def test_a_time_window_is_counted_without_reading_orders():
    chain = big_shop()
    store = RecordingKV(Branch(chain.store))
    start = START_NS + 50 * 60 * NS
    page = list_orders(
        chain.keeper,
        store,
        OrderFilter(created_after_ns=start, created_before_ns=start + 100 * 60 * NS),
        limit=5,
    )
    assert page.total_count == 99 and page.has_more
    assert len({k for k in store.seen if k.startswith(ORDERS_PREFIX)}) == 5


class CountingKV(KVStore):
    """Counts every key read (a get, or an entry an iteration yields)."""

    def __init__(self, parent: KVStore) -> None:
        self.parent = parent
        self.read: list[bytes] = []

    def get(self, key):
        self.read.append(key)
        return self.parent.get(key)

    def set(self, key, value):
        self.parent.set(key, value)

    def delete(self, key):
        self.parent.delete(key)

    def iterate(self, start=None, end=None, reverse=False):
        for key, value in self.parent.iterate(start, end, reverse):
            self.read.append(key)
            yield key, value

    def count(self, *prefixes: bytes) -> int:
        return sum(1 for key in self.read if key.startswith(prefixes))


INDEXES = (BY_CUSTOMER_PREFIX, BY_MERCHANT_PREFIX, BY_STATUS_PREFIX, BY_MERCHANT_STATUS_PREFIX)


def test_merchant_and_status_reads_only_the_page_however_many_orders_the_merchant_has():
    """Merchant 0 sells every order, every other one PAID (so merchant, status and the pair are
    all large); at 20 and at 220 of its orders a page of merchant 0's PAID orders reads at most
    offset + limit + 1 index entries, the same store keys count both times, and is correct."""
    merchant, paid = MERCHANTS[0], OrderStatus.ORDER_STATUS_PAID
    chain = build([(i % 3, 0, 1 + i % 9, "PAID" if i % 2 else "CREATED", 1) for i in range(20)])
    limit, offset = 5, 2
    reads = []
    for extra in (0, 200):
        more = [(i % 3, 0, 2, "PAID" if i % 2 else "CREATED", 1) for i in range(extra)]
        chain = build(more, chain)
        store = CountingKV(Branch(chain.store))
        page = list_orders(
            chain.keeper, store, OrderFilter(merchant=merchant, status=paid), limit, offset
        )
        everything = sorted(
            (o for _, o in ORDERS.iterate(chain.store) if o.status == paid),
            key=lambda o: -o.sequence,
        )
        assert [o.id for o in page.orders] == [o.id for o in everything[offset : offset + limit]]
        assert (page.total_count, page.has_more) == (len(everything), True)
        assert store.count(BY_MERCHANT_STATUS_PREFIX) <= offset + limit + 1
        assert store.count(*INDEXES) == store.count(BY_MERCHANT_STATUS_PREFIX)
        assert store.count(ORDERS_PREFIX) == limit
        reads.append(len(store.read))
    assert reads[0] == reads[1]


def test_a_status_change_moves_the_order_between_compound_index_pages():
    """Paying an order takes it off its merchant's CREATED list and puts it on the PAID one."""
    chain = build([(0, 1, 3, "CREATED", 1), (1, 1, 4, "CREATED", 1)])
    first, second = sorted((o for _, o in ORDERS.iterate(chain.store)), key=lambda o: o.sequence)
    chain.pay(first.id, payer=first.customer)

    def listed(**kw) -> list[str]:
        return [o.id for o in list_orders(chain.keeper, chain.store, OrderFilter(**kw), 10).orders]

    created, paid = OrderStatus.ORDER_STATUS_CREATED, OrderStatus.ORDER_STATUS_PAID
    assert listed(merchant=MERCHANTS[1], status=created) == [second.id]
    assert listed(merchant=MERCHANTS[1], status=paid) == [first.id]
    assert listed(customer=CUSTOMERS[0], status=created) == []
    assert listed(customer=CUSTOMERS[0], status=paid) == [first.id]


def filter_of(r: dict) -> OrderFilter:
    return OrderFilter(
        customer=r["customer"] or "",
        merchant=r["merchant"] or "",
        status=r["status"],
        created_after_ns=r["created_after"],
        created_before_ns=r["created_before"],
        amount_min=r["amount_min"],
        amount_max=r["amount_max"],
        customer_id=r.get("customer_id") or "",
    )


@contextmanager
def blocks_of_four():
    """Blocks of 4 orders in the (status, epoch, total) index, so a small book spans many."""
    saved = indexes.EPOCH_BITS
    indexes.EPOCH_BITS = 2
    try:
        yield
    finally:
        indexes.EPOCH_BITS = saved


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(order_specs, st.lists(any_request, min_size=1, max_size=6))
def test_every_source_the_planner_may_pick_lists_the_same_page(specs, reqs):
    """Whatever source the cost estimate picks, the page is the brute force's: each candidate is
    forced in turn (the amount sources included, over blocks of 4 orders)."""
    with blocks_of_four():
        chain = build(specs)
        all_orders = sorted((o for _, o in ORDERS.iterate(chain.store)), key=lambda o: o.sequence)
        for r in reqs:
            cursor = None
            if r["cursor"] is not None and all_orders:
                cursor = all_orders[r["cursor"] % len(all_orders)]
            want = brute_force(all_orders, r, cursor.sequence if cursor else None)
            for name, got in pages_by_source(chain, filter_of(r), r, cursor).items():
                assert got == want, name


def pages_by_source(chain: Chain, f: OrderFilter, r: dict, cursor: Order | None) -> dict:
    """(ids, total_count, has_more) of the page with each candidate source forced."""

    def run(choose):
        page = list_orders(
            chain.keeper,
            chain.store,
            f,
            r["limit"],
            r["offset"],
            cursor.id if cursor else "",
            choose=choose,
        )
        return [o.id for o in page.orders], page.total_count, page.has_more

    names: list[str] = []

    def record(sources, *_):
        names.extend(s.name for s in sources)
        return sources[0]

    run(record)
    return {
        name: run(lambda sources, *_, name=name: next(s for s in sources if s.name == name))
        for name in names
    }


def test_every_source_lists_the_same_page_for_a_party_with_an_amount_range():
    """The same check on fixed cases: a customer or merchant with an amount range (the party's
    own (party, total) index among the sources), with and without a status and a cursor."""
    specs = [(i % 3, i % 2, 1 + (7 * i) % 40, TARGETS[i % len(TARGETS)], i % 2) for i in range(30)]
    with blocks_of_four():
        chain = build(specs)
        all_orders = sorted((o for _, o in ORDERS.iterate(chain.store)), key=lambda o: o.sequence)
        base = dict(created_after=None, created_before=None, limit=3, offset=1, cursor=None)
        cases = [
            dict(base, customer=None, merchant=MERCHANTS[0], status=0),
            dict(base, customer=CUSTOMERS[1], merchant=None, status=0),
            dict(base, customer=None, merchant=MERCHANTS[1], status=REACHED[1]),
            dict(base, customer=CUSTOMERS[2], merchant=MERCHANTS[0], status=0),
        ]
        for r in cases:
            r.update(amount_min=5 * UNIT, amount_max=30 * UNIT)
            for cursor in (None, all_orders[20]):
                want = brute_force(all_orders, r, cursor.sequence if cursor else None)
                pages = pages_by_source(chain, filter_of(r), r, cursor)
                assert any(name.endswith("+amount range") for name in pages)
                for name, got in pages.items():
                    assert got == want, name


def test_the_external_customer_id_is_counted_and_read_from_its_own_index():
    """``customer_id`` (metadata) is served by its index: its count is exact and a page reads
    only the page's orders, however many other orders there are."""
    specs = [(0, 0, 5, "CREATED", 1) for _ in range(60)]  # (0 + 0) % 3: all "cus_a"
    specs += [(0, 1, 7, "PAID", 1) for _ in range(4)]  # (0 + 1) % 3: "cus_b"
    chain = build(specs)
    f = OrderFilter(customer_id="cus_b")
    page = list_orders(chain.keeper, chain.store, f, limit=3)
    assert (len(page.orders), page.total_count, page.has_more) == (3, 4, True)
    assert all(o.metadata["customer_id"] == "cus_b" for o in page.orders)
    assert orders_read(chain, f, limit=3) == 3
    assert list_orders(chain.keeper, chain.store, OrderFilter(customer_id="nobody"), 5).orders == []
