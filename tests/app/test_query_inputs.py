"""Hole 10 of the hardening review: a 4301-digit ``amount_min`` or a ``client_order_id`` over 255
bytes answered "internal error" (an exception out of the query handler). Every field of every
registered query route, given hostile values, must get an answer with a clear error class
(never the dispatcher's internal error, never an exception out of ``App.query``)."""

from __future__ import annotations

import pytest
from google.protobuf.descriptor import FieldDescriptor as F

import stateset_chain.pb  # noqa: F401
from tests.chain import Chain

from cosmos.base.query.v1beta1 import pagination_pb2
from tendermint.abci import types_pb2 as abci

HOSTILE_STRINGS = [
    "9" * 4301,  # past Python's int() digit limit
    "9" * 80,  # past a u256
    "x" * 300,  # past a one-byte length prefix
    "é" * 200,  # 400 bytes of UTF-8
    "\x00",
    " 1",
    "-1",
    "+1",
    "0x" + "f" * 100,
    "stateset1" + "q" * 90,
    "ORDER_STATUS_PAID",
    "9999-12-31T23:59:59-23:59",
    "0001-01-01T00:00:00+23:59",
]
HOSTILE_BYTES = [b"\xff" * 300, b"\x00" * 31, b"\x00" * 33, b"\x01"]
HOSTILE_INTS = {
    F.TYPE_UINT32: [2**32 - 1], F.TYPE_UINT64: [2**64 - 1], F.TYPE_INT64: [-(2**63), 2**63 - 1],
    F.TYPE_INT32: [-(2**31)], F.TYPE_ENUM: [999, -1],
}
HOSTILE_PAGES = [
    pagination_pb2.PageRequest(key=b"\xff" * 300, limit=2**64 - 1, count_total=True),
    pagination_pb2.PageRequest(offset=2**64 - 1, reverse=True),
]


def hostile_values(field):
    if field.type == F.TYPE_STRING:
        return HOSTILE_STRINGS
    if field.type == F.TYPE_BYTES:
        return HOSTILE_BYTES
    if field.type == F.TYPE_BOOL:
        return [True]
    if field.type == F.TYPE_MESSAGE and field.message_type.full_name.endswith("PageRequest"):
        return HOSTILE_PAGES
    return HOSTILE_INTS.get(field.type, [])


@pytest.fixture(scope="module")
def chain() -> Chain:
    return Chain.start(n_wallets=2)


def cases():
    from stateset_chain.store.commit import CommitStore
    from stateset_chain.wiring import standard_app

    app = standard_app(CommitStore.in_memory())
    for path, route in sorted(app.queries.items()):
        for field in route.request_cls.DESCRIPTOR.fields:
            for i, value in enumerate(hostile_values(field)):
                name = f"{path.split('/')[-1]}-{field.name}-{i}"
                yield pytest.param(path, field.name, value, id=name)


@pytest.mark.parametrize(("path", "field", "value"), list(cases()))
def test_every_query_field_with_a_hostile_value_gets_a_clear_answer(chain, path, field, value):
    route = chain.core.queries[path]
    request = route.request_cls()
    target = getattr(request, field) if not isinstance(value, (str, bytes, int, bool)) else None
    if target is not None:
        target.CopyFrom(value)
    else:
        setattr(request, field, value)
    res = chain.app.query(abci.RequestQuery(path=path, data=request.SerializeToString()))
    assert res.codespace != "undefined", res.log
    if res.code:
        assert res.codespace and res.log, (res.code, res.codespace, res.log)


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/store/key", b"\xff" * 70_000),
        ("/store/key", b""),
        ("/cosmos.tx.v1beta1.Service/Simulate", b"\xff\xff\xff"),
        ("/cosmos.tx.v1beta1.Service/Simulate", b""),
        ("/stateset.orders.v1.Query/Orders", b"\xff\xff\xff"),
        ("/no/such/route", b""),
        ("x" * 10_000, b""),
    ],
    ids=["long-key", "empty-key", "simulate-garbage", "simulate-empty", "garbage-request",
         "unknown-path", "long-path"],
)
def test_raw_query_paths_with_hostile_data_get_a_clear_answer(chain, path, data):
    res = chain.app.query(abci.RequestQuery(path=path, data=data))
    assert res.codespace != "undefined", res.log
    if res.code:
        assert res.codespace and res.log


def test_a_4301_digit_amount_is_an_invalid_amount(chain):
    from stateset.orders.v1 import query_pb2 as oq

    req = oq.QueryOrdersRequest(amount_min="9" * 4301)
    res = chain.app.query(
        abci.RequestQuery(path="/stateset.orders.v1.Query/Orders", data=req.SerializeToString())
    )
    assert (res.codespace, res.code) == ("orders", 12) and "amount_min" in res.log
