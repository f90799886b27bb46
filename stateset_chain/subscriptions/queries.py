"""Subscriptions queries.

/stateset.subscriptions.v1.Query/Subscription   {id} -> {subscription, cycles (each with its
    order's current status)}; SubscriptionNotFound (subscriptions 2), InvalidSubscriptionId (3)
/stateset.subscriptions.v1.Query/Subscriptions  {customer | merchant | status | due_before,
    page_key, limit} -> {subscriptions, next_page_key}
    The first filter set among customer, merchant, status, due_before picks the index read (due
    queue for due_before: earliest first; otherwise creation order; no filter: by status, then
    creation order); the other filters are
    applied to what it yields. ``page_key`` is the opaque ``next_page_key`` of the previous page.
    Bad input: a malformed address sdk InvalidAddress, a status no subscription has
    UnknownStatus (15), a due_before outside 1970..9999 InvalidTimestamp (16), a page_key over
    255 bytes query InvalidPagination; a limit above 200 reads as 200.
/stateset.subscriptions.v1.Query/Params         {} -> {params}
"""

from __future__ import annotations

from collections.abc import Iterator

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.crypto import address
from stateset_chain.module import QueryRoute
from stateset_chain.querying import require_cursor
from stateset_chain.store.collections import StrKey, TupleKey, U64Key
from stateset_chain.store.kv import prefix_end
from stateset_chain.subscriptions import keys
from stateset_chain.subscriptions.errors import InvalidTimestamp, UnknownStatus
from stateset_chain.subscriptions.msgs.common import require_address, require_subscription_id
from stateset_chain.subscriptions.state import SubscriptionsKeeper
from stateset_chain.timefmt import MAX_SECONDS, timestamp_ns

from stateset.subscriptions.v1 import query_pb2 as q

SERVICE = "/stateset.subscriptions.v1.Query/"
DEFAULT_LIMIT = 50
MAX_LIMIT = 200
_QUEUE_KEY = TupleKey(U64Key, StrKey)


def subscription(
    keeper, ctx: Context, req: q.QuerySubscriptionRequest
) -> q.QuerySubscriptionResponse:
    require_subscription_id(req.id)
    sub = keeper.must_get(ctx.store, req.id)
    cycles = []
    for c in keeper.cycles_of(ctx.store, sub.id):
        order = keeper.orders.must_get_order(ctx.store, c.order_id)
        cycles.append(q.CycleWithOrder(cycle=c, order_status=order.status))
    return q.QuerySubscriptionResponse(subscription=sub, cycles=cycles)


def _index(req: q.QuerySubscriptionsRequest) -> tuple[bytes, bytes | None, bool]:
    """(key prefix, end key, the sub id is in the key) of the index a request reads."""
    if req.customer:
        base = keys.BY_CUSTOMER_PREFIX + SubscriptionsKeeper.by_customer.key.encode_prefix(
            (address.decode(req.customer),)
        )
        return base, prefix_end(base), False
    if req.merchant:
        base = keys.BY_MERCHANT_PREFIX + SubscriptionsKeeper.by_merchant.key.encode_prefix(
            (address.decode(req.merchant),)
        )
        return base, prefix_end(base), False
    if req.status:
        by_status = SubscriptionsKeeper.by_status
        base = keys.BY_STATUS_PREFIX + by_status.key.encode_prefix((req.status,))
        return base, prefix_end(base), False
    if req.HasField("due_before"):
        base = keys.DUE_QUEUE_PREFIX
        end = base + (timestamp_ns(req.due_before) + 1).to_bytes(8, "big")
        return base, end, True
    return keys.BY_STATUS_PREFIX, prefix_end(keys.BY_STATUS_PREFIX), False


_STATUSES = frozenset(
    q.QuerySubscriptionsRequest.DESCRIPTOR.fields_by_name["status"].enum_type.values_by_number
) - {0}


def _entries(ctx: Context, base: bytes, end, key_has_id: bool, page_key: bytes) -> Iterator:
    start = base + page_key if page_key else base
    for raw_key, raw_value in ctx.store.iterate(start, end):
        tail = raw_key[len(base) :]
        yield tail, (_QUEUE_KEY.decode(tail)[0][1] if key_has_id else raw_value.decode())


def subscriptions(
    keeper, ctx: Context, req: q.QuerySubscriptionsRequest
) -> q.QuerySubscriptionsResponse:
    for field in ("customer", "merchant"):
        if getattr(req, field):
            require_address(getattr(req, field), field)
    if req.status and req.status not in _STATUSES:
        raise UnknownStatus(f"status {req.status}")
    if req.HasField("due_before") and not 0 <= req.due_before.seconds <= MAX_SECONDS:
        raise InvalidTimestamp(f"due_before {req.due_before.seconds} s")
    require_cursor(req.page_key, "page_key")
    limit = min(req.limit or DEFAULT_LIMIT, MAX_LIMIT)
    base, end, key_has_id = _index(req)
    out = q.QuerySubscriptionsResponse()
    due_before = timestamp_ns(req.due_before) if req.HasField("due_before") else None
    for tail, sub_id in _entries(ctx, base, end, key_has_id, req.page_key):
        if len(out.subscriptions) == limit:
            out.next_page_key = tail
            break
        sub = keeper.must_get(ctx.store, sub_id)
        if req.customer and sub.customer != req.customer:
            continue
        if req.merchant and sub.merchant != req.merchant:
            continue
        if req.status and sub.status != req.status:
            continue
        if due_before is not None and (
            not sub.HasField("next_attempt") or timestamp_ns(sub.next_attempt) > due_before
        ):
            continue
        out.subscriptions.append(sub)
    return out


def params(keeper, ctx: Context, req: q.QueryParamsRequest) -> q.QueryParamsResponse:
    return q.QueryParamsResponse(params=keeper.params(ctx.store))


def routes(keeper) -> list[QueryRoute]:
    return [
        QueryRoute(
            SERVICE + "Subscription",
            q.QuerySubscriptionRequest,
            lambda ctx, req: subscription(keeper, ctx, req),
        ),
        QueryRoute(
            SERVICE + "Subscriptions",
            q.QuerySubscriptionsRequest,
            lambda ctx, req: subscriptions(keeper, ctx, req),
        ),
        QueryRoute(
            SERVICE + "Params", q.QueryParamsRequest, lambda ctx, req: params(keeper, ctx, req)
        ),
    ]
