"""The subscriptions keeper: params, subscriptions, their cycles, the due queue and the indexes.

``insert`` writes a new subscription with its customer, merchant and status index entries;
``move_status`` (only ``lifecycle.transition``) moves the status entry; ``schedule`` and
``unschedule`` keep the due queue entry under ``next_attempt``. Customer and merchant never
change after creation.
"""

from __future__ import annotations

from collections.abc import Iterator

import stateset_chain.pb  # noqa: F401
from stateset_chain.crypto import address
from stateset_chain.orders import ids
from stateset_chain.store.collections import (
    BytesKey,
    Item,
    KeySet,
    Map,
    ProtoValue,
    Sequence,
    StrKey,
    StrValue,
    TupleKey,
    U32Key,
    U64Key,
)
from stateset_chain.store.kv import KVStore
from stateset_chain.subscriptions import keys
from stateset_chain.subscriptions.errors import SubscriptionNotFound
from stateset_chain.subscriptions.expected import OrdersKeeper
from stateset_chain.subscriptions.params import default_params, in_force
from stateset_chain.timefmt import timestamp, timestamp_ns

from stateset.subscriptions.v1.subscriptions_pb2 import Cycle, Params, Subscription


class SubscriptionsKeeper:
    params_item: Item[Params] = Item(keys.PARAMS_KEY, ProtoValue(Params))
    subscriptions: Map[str, Subscription] = Map(
        keys.SUBSCRIPTIONS_PREFIX, StrKey, ProtoValue(Subscription)
    )
    sequence = Sequence(keys.SEQUENCE_KEY, start=1)
    cycles: Map[tuple[str, int], Cycle] = Map(
        keys.CYCLES_PREFIX, TupleKey(StrKey, U32Key), ProtoValue(Cycle)
    )
    due_queue: KeySet[tuple[int, str]] = KeySet(keys.DUE_QUEUE_PREFIX, TupleKey(U64Key, StrKey))
    by_customer: Map[tuple[bytes, int], str] = Map(
        keys.BY_CUSTOMER_PREFIX, TupleKey(BytesKey, U64Key), StrValue
    )
    by_merchant: Map[tuple[bytes, int], str] = Map(
        keys.BY_MERCHANT_PREFIX, TupleKey(BytesKey, U64Key), StrValue
    )
    by_status: Map[tuple[int, int], str] = Map(
        keys.BY_STATUS_PREFIX, TupleKey(U32Key, U64Key), StrValue
    )

    def __init__(self, orders: OrdersKeeper) -> None:
        self.orders = orders  # each cycle is an ordinary order (the module holds no coins)

    def stored_params(self, store: KVStore) -> Params:
        """The params as stored (genesis export writes these)."""
        return self.params_item.get(store) or default_params()

    def params(self, store: KVStore) -> Params:
        """The params in force (an empty authority is the default one)."""
        return in_force(self.stored_params(store))

    def set_params(self, store: KVStore, params: Params) -> None:
        self.params_item.set(store, params)

    def next_id(self, store: KVStore) -> tuple[int, str]:
        seq = self.sequence.next(store)
        attempt = 0
        sub_id = ids.make_id(keys.SUBSCRIPTION_PREFIX, seq, attempt)
        while self.subscriptions.has(store, sub_id):
            attempt += 1
            sub_id = ids.make_id(keys.SUBSCRIPTION_PREFIX, seq, attempt)
        return seq, sub_id

    def get(self, store: KVStore, sub_id: str) -> Subscription | None:
        return self.subscriptions.get(store, sub_id)

    def must_get(self, store: KVStore, sub_id: str) -> Subscription:
        sub = self.subscriptions.get(store, sub_id)
        if sub is None:
            raise SubscriptionNotFound(f"subscription {sub_id}")
        return sub

    def insert(self, store: KVStore, sub: Subscription) -> None:
        self.subscriptions.set(store, sub.id, sub)
        self.by_customer.set(store, (address.decode(sub.customer), sub.sequence), sub.id)
        self.by_merchant.set(store, (address.decode(sub.merchant), sub.sequence), sub.id)
        self.by_status.set(store, (sub.status, sub.sequence), sub.id)

    def save(self, store: KVStore, sub: Subscription) -> None:
        self.subscriptions.set(store, sub.id, sub)

    def move_status(self, store: KVStore, sub: Subscription, to: int) -> None:
        self.by_status.delete(store, (sub.status, sub.sequence))
        self.by_status.set(store, (to, sub.sequence), sub.id)

    def schedule(self, store: KVStore, sub: Subscription, at_ns: int) -> None:
        """(Re)queue ``sub`` at ``at_ns``; the caller saves it."""
        self.unschedule(store, sub)
        sub.next_attempt.CopyFrom(timestamp(at_ns))
        self.due_queue.add(store, (at_ns, sub.id))

    def unschedule(self, store: KVStore, sub: Subscription) -> None:
        if sub.HasField("next_attempt"):
            self.due_queue.remove(store, (timestamp_ns(sub.next_attempt), sub.id))
            sub.ClearField("next_attempt")

    def due(self, store: KVStore, now_ns: int, limit: int) -> list[tuple[int, str]]:
        """Up to ``limit`` queue entries due at or before ``now``, earliest first."""
        out: list[tuple[int, str]] = []
        for entry in self.due_queue.iterate(store, end=(now_ns + 1, "")):
            if len(out) == limit:
                break
            out.append(entry)
        return out

    def queue(self, store: KVStore) -> Iterator[tuple[int, str]]:
        yield from self.due_queue.iterate(store)

    def add_cycle(self, store: KVStore, cycle: Cycle) -> None:
        self.cycles.set(store, (cycle.subscription_id, cycle.number), cycle)

    def cycles_of(self, store: KVStore, sub_id: str) -> list[Cycle]:
        return [c for _, c in self.cycles.iterate(store, prefix=(sub_id,))]

    def all_cycles(self, store: KVStore) -> Iterator[Cycle]:
        for _, c in self.cycles.iterate(store):
            yield c

    def all(self, store: KVStore) -> Iterator[Subscription]:
        for _, sub in self.subscriptions.iterate(store):
            yield sub
