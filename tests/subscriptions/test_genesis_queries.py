"""Genesis export/import reproduces the store (queue included); list queries and pagination."""

from __future__ import annotations

import pytest
from google.protobuf.timestamp_pb2 import Timestamp

import stateset_chain.pb  # noqa: F401
from stateset_chain.errors import InvalidAddress, InvalidPagination
from stateset_chain.store.kv import MemoryKV
from stateset_chain.subscriptions import genesis, lifecycle
from stateset_chain.subscriptions.errors import (
    InvalidGenesis,
    InvalidSubscriptionId,
    InvalidTimestamp,
    UnknownStatus,
)
from stateset_chain.subscriptions.state import SubscriptionsKeeper
from stateset_chain.timefmt import timestamp
from tests.orders.helpers import CUSTOMER, DAY, MERCHANT, STRANGER, item
from tests.subscriptions.helpers import SubChain

from stateset.subscriptions.v1 import query_pb2 as q
from stateset.subscriptions.v1 import tx_pb2 as tx


def query(chain, name, req):
    [route] = [r for r in chain.sub_module.queries if r.path.endswith("/" + name)]
    return route.handler(chain.ctx(), req)


def busy_chain() -> tuple[SubChain, list[str]]:
    chain = SubChain()
    ids = [chain.subscribe(items=[item(price=str(i + 1))]) for i in range(5)]
    ids.append(chain.subscribe(customer=STRANGER, trial_days=3))
    chain.advance(0)
    chain.deliver(tx.MsgPauseSubscription(signer=CUSTOMER, subscription_id=ids[1]))
    chain.deliver(tx.MsgCancelSubscription(signer=CUSTOMER, subscription_id=ids[2]))
    return chain, ids


def test_export_then_import_reproduces_the_module_state():
    chain, _ = busy_chain()
    exported = genesis.export_genesis(chain.subs, chain.ctx())
    store = MemoryKV()
    keeper = SubscriptionsKeeper(chain.keeper)
    ctx = chain.ctx(store)
    genesis.init_genesis(keeper, ctx, exported)
    assert genesis.export_genesis(keeper, ctx) == exported
    own = sorted((k, v) for k, v in chain.store.iterate() if k.startswith(b"subscriptions/"))
    assert sorted(store.iterate()) == own


def test_import_refuses_a_scheduled_subscription_without_a_queue_time():
    chain, ids = busy_chain()
    exported = genesis.export_genesis(chain.subs, chain.ctx())
    for s in exported["subscriptions"]:
        s.pop("next_attempt", None)
    with pytest.raises(InvalidGenesis):
        genesis.init_genesis(chain.subs, chain.ctx(MemoryKV()), exported)


def test_list_by_customer_merchant_status_and_due_time_with_pagination():
    chain, ids = busy_chain()
    by_customer = query(chain, "Subscriptions", q.QuerySubscriptionsRequest(customer=CUSTOMER))
    assert [s.id for s in by_customer.subscriptions] == ids[:5]
    by_merchant = query(chain, "Subscriptions", q.QuerySubscriptionsRequest(merchant=MERCHANT))
    assert len(by_merchant.subscriptions) == 6
    paused = query(chain, "Subscriptions", q.QuerySubscriptionsRequest(status=lifecycle.PAUSED))
    assert [s.id for s in paused.subscriptions] == [ids[1]]
    due = query(
        chain,
        "Subscriptions",
        q.QuerySubscriptionsRequest(due_before=timestamp(chain.block.time_ns + 3 * DAY * 10**9)),
    )
    assert [s.id for s in due.subscriptions] == [ids[5]]  # the trial ends in 3 days
    seen, key = [], b""
    while True:
        page = query(
            chain,
            "Subscriptions",
            q.QuerySubscriptionsRequest(customer=CUSTOMER, limit=2, page_key=key),
        )
        seen += [s.id for s in page.subscriptions]
        key = page.next_page_key
        if not key:
            break
    assert seen == ids[:5]
    with pytest.raises(InvalidAddress):
        query(chain, "Subscriptions", q.QuerySubscriptionsRequest(customer="x"))
    with pytest.raises(UnknownStatus):
        query(chain, "Subscriptions", q.QuerySubscriptionsRequest(status=99))
    far = Timestamp(seconds=253_402_300_800)  # 10000-01-01
    with pytest.raises(InvalidTimestamp):
        query(chain, "Subscriptions", q.QuerySubscriptionsRequest(due_before=far))
    with pytest.raises(InvalidPagination):
        query(chain, "Subscriptions", q.QuerySubscriptionsRequest(page_key=b"k" * 256))
    with pytest.raises(InvalidSubscriptionId):
        query(chain, "Subscription", q.QuerySubscriptionRequest(id="nope"))
