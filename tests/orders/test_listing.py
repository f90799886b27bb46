"""ListOrders against a brute-force filter (Hypothesis), and proof that it reads only what the
most selective filter implies, never all orders."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import BlockInfo
from stateset_chain.crypto import address
from stateset_chain.orders.keys import ORDERS_PREFIX
from stateset_chain.orders.listing import OrderFilter, list_orders
from stateset_chain.orders.state import orders
from stateset_chain.orders.timefmt import NS, format_iso8601, timestamp_ns
from stateset_chain.store.kv import Branch
from tests.orders.helpers import START_NS, UNIT, Chain, item
from tests.orders.test_settlement import RecordingKV

from stateset.orders.v1 import query_pb2 as q
from stateset.orders.v1 import tx_pb2 as tx
from stateset.orders.v1.orders_pb2 import Order, OrderStatus

CUSTOMERS = [address.encode(bytes([20 + i]) * 20) for i in range(4)]  # the 4th never orders
MERCHANTS = [address.encode(bytes([30 + i]) * 20) for i in range(3)]  # the 3rd never sells
FUNDS = {"ussusd": 10**9 * UNIT}
TARGETS = ["CREATED", "PARTIAL", "PAID", "CANCELLED", "FULFILLED", "HELD"]

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


def build(specs) -> Chain:
    chain = Chain(holdings={a: dict(FUNDS) for a in CUSTOMERS + MERCHANTS})
    for customer_i, merchant_i, price, target, gap in specs:
        if gap:
            chain.block = BlockInfo(chain.block.height + 1, chain.block.time_ns + gap * NS, "test")
        customer, merchant = CUSTOMERS[customer_i], MERCHANTS[merchant_i]
        oid = chain.create(
            creator=customer, customer=customer, merchant=merchant, items=[item(price=str(price))]
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
    }
)


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
        )

    matched = [o for o in sorted(all_orders, key=lambda o: -o.sequence) if keep(o)]
    after = [o for o in matched if cursor_seq is None or o.sequence < cursor_seq]
    start, stop = r["offset"], r["offset"] + r["limit"]
    return [o.id for o in after[start:stop]], len(matched), len(after) > stop


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(order_specs, st.lists(requests, min_size=1, max_size=6))
def test_list_orders_equals_a_brute_force_filter(specs, reqs):
    chain = build(specs)
    all_orders = [o for _, o in orders.iterate(chain.store)]
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
