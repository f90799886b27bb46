"""Order, Orders and Params queries: lookups, filters, pagination, request errors."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import BlockInfo
from stateset_chain.errors import InvalidAddress, InvalidPagination, InvalidRequest
from stateset_chain.orders.errors import (
    FieldTooLong,
    InvalidAmount,
    InvalidOrderId,
    InvalidTimestamp,
    OrderNotFound,
    UnknownStatus,
)
from stateset_chain.timefmt import format_iso8601
from tests.orders.helpers import CUSTOMER, MERCHANT, STRANGER, TEST_PARAMS, Chain, item

from stateset.orders.v1 import query_pb2 as q
from stateset.orders.v1.orders_pb2 import OrderStatus


def query(chain: Chain, method: str, request):
    [route] = [r for r in chain.module.queries if r.path == f"/stateset.orders.v1.Query/{method}"]
    assert isinstance(request, route.request_cls)
    return route.handler(chain.ctx(), request)


def test_routes():
    paths = [r.path for r in Chain().module.queries]
    assert paths == [
        "/stateset.orders.v1.Query/Order",
        "/stateset.orders.v1.Query/Orders",
        "/stateset.orders.v1.Query/Params",
    ]


def test_order_by_id_and_by_client_id():
    chain = Chain()
    oid = chain.paid_order(client_order_id="web-7")
    by_id = query(chain, "Order", q.QueryOrderRequest(order_id=oid)).order
    by_client = query(
        chain, "Order", q.QueryOrderRequest(client_order_id="web-7", merchant=MERCHANT)
    ).order
    assert by_id == by_client == chain.order(oid)
    assert len(by_id.payments) == 1 and len(by_id.timeline) == 2 and by_id.items


def test_order_errors():
    chain = Chain()
    with pytest.raises(InvalidRequest):
        query(chain, "Order", q.QueryOrderRequest())
    with pytest.raises(InvalidRequest):
        query(chain, "Order", q.QueryOrderRequest(order_id="ord_0000000000", client_order_id="x"))
    with pytest.raises(OrderNotFound):
        query(chain, "Order", q.QueryOrderRequest(order_id="ord_0000000000"))
    with pytest.raises(OrderNotFound):
        query(chain, "Order", q.QueryOrderRequest(client_order_id="nope", merchant=MERCHANT))
    with pytest.raises(InvalidOrderId):
        query(chain, "Order", q.QueryOrderRequest(order_id="bad"))
    with pytest.raises(FieldTooLong):
        query(chain, "Order", q.QueryOrderRequest(client_order_id="x" * 129, merchant=MERCHANT))


def test_params():
    chain = Chain()
    p = query(chain, "Params", q.QueryParamsRequest()).params
    assert p.authority == TEST_PARAMS["authority"] and p.platform_fee_bps == 250


@pytest.fixture(scope="module")
def shop():
    """30 orders over 30 blocks: customers alternate, every third is paid, prices 1..30."""
    chain = Chain()
    oids = []
    for i in range(30):
        customer = CUSTOMER if i % 2 == 0 else STRANGER
        oids.append(
            chain.create(creator=customer, customer=customer, items=[item(price=str(i + 1))])
        )
        if i % 3 == 0:
            chain.pay(oids[-1], payer=customer)
        chain.block = BlockInfo(chain.block.height + 1, chain.block.time_ns + 60 * 10**9, "test")
    return chain, oids


def listed(chain, **filters) -> q.QueryOrdersResponse:
    return query(chain, "Orders", q.QueryOrdersRequest(**filters))


def test_no_filter_lists_newest_first_with_default_limit(shop):
    chain, oids = shop
    r = listed(chain)
    assert [o.id for o in r.orders] == oids[::-1][:20]
    assert (r.total_count, r.has_more) == (30, True)


def test_paging_with_starting_after_walks_every_order_once(shop):
    chain, oids = shop
    seen, cursor = [], ""
    while True:
        r = listed(chain, limit=7, starting_after=cursor)
        seen += [o.id for o in r.orders]
        assert r.total_count == 30
        if not r.has_more:
            break
        cursor = r.orders[-1].id
    assert seen == oids[::-1]


def test_offset_skips_matches(shop):
    chain, oids = shop
    r = listed(chain, limit=5, offset=27)
    assert [o.id for o in r.orders] == oids[::-1][27:]
    assert not r.has_more


def test_filters_combine(shop):
    chain, oids = shop
    r = listed(chain, customer=CUSTOMER, status=OrderStatus.ORDER_STATUS_PAID, limit=100)
    expected = [oids[i] for i in range(30) if i % 2 == 0 and i % 3 == 0][::-1]
    assert [o.id for o in r.orders] == expected
    assert r.total_count == len(expected) == 5


def test_amount_and_time_filters(shop):
    chain, oids = shop
    r = listed(chain, amount_min="5000000", amount_max="8000000")
    assert [o.id for o in r.orders] == oids[4:8][::-1]
    first = chain.order(oids[0]).created_at.seconds * 10**9
    r = listed(
        chain,
        created_after=format_iso8601(first + 60 * 10**9),  # exclusive: skips orders 0 and 1
        created_before=format_iso8601(first + 5 * 60 * 10**9),  # exclusive: stops before 5
    )
    assert [o.id for o in r.orders] == oids[2:5][::-1]
    assert r.total_count == 3


def test_merchant_filter_and_empty_results(shop):
    chain, oids = shop
    assert listed(chain, merchant=MERCHANT).total_count == 30
    r = listed(chain, merchant=CUSTOMER)
    assert (list(r.orders), r.total_count, r.has_more) == ([], 0, False)
    assert listed(chain, amount_min="9", amount_max="1").total_count == 0


@pytest.mark.parametrize(
    ("request_fields", "error"),
    [
        ({"limit": 101}, InvalidPagination),
        ({"offset": 10_001}, InvalidPagination),
        ({"customer": "nobody"}, InvalidAddress),
        ({"merchant": "stateset1xyz"}, InvalidAddress),
        ({"status": 99}, UnknownStatus),
        ({"amount_min": "1.5"}, InvalidAmount),
        ({"amount_max": "-1"}, InvalidAmount),
    ],
)
def test_bad_requests_are_the_error_a_client_acts_on(shop, request_fields, error):
    with pytest.raises(error) as raised:
        listed(shop[0], **request_fields)
    assert type(raised.value) is error


def test_bad_time_and_cursor(shop):
    chain, _ = shop
    with pytest.raises(InvalidTimestamp):
        listed(chain, created_after="yesterday")
    with pytest.raises(OrderNotFound):
        listed(chain, starting_after="ord_0000000000")
    with pytest.raises(InvalidOrderId):
        listed(chain, starting_after="x")


def test_an_upper_case_address_filter_is_normalized(shop):
    chain, _ = shop
    assert listed(chain, customer=CUSTOMER.upper()).total_count == 15
