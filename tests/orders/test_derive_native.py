"""The compiled index step (orders/index/derive.py's ``derive_native``, native/src/order_index.rs)
makes the writes of the readable one (``derive_reference``, through ``OrderIndex``): for any block
of order writes over any indexed state, the block's branch ends with the same keys and the same
bytes, and where the reference raises, the compiled step raises the same error."""

from __future__ import annotations

import os
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import stateset_chain.pb  # noqa: F401
from stateset_chain.crypto import address
from stateset_chain.errors import ChainError, InvalidAddress
from stateset_chain.orders.index import OrderIndex, derive
from stateset_chain.orders.keys import ORDERS_PREFIX
from stateset_chain.orders.lifecycle import CANCELLED, CREATED, HELD, PAID, SHIPPED
from stateset_chain.store.collections import KeyPartTooLong
from stateset_chain.store.kv import Branch, MemoryKV, prefix_end
from stateset_chain.timefmt import timestamp
from tests import delivery
from tests.orders.helpers import (
    CUSTOMER,
    MERCHANT,
    STRANGER,
    Chain,
    assert_indexes_equal_a_rebuild,
    create_msg,
    pay_msg,
)

from stateset.orders.v1 import tx_pb2 as tx
from stateset.orders.v1.orders_pb2 import Order

ADDRESSES = [CUSTOMER, MERCHANT, STRANGER, address.encode(bytes([7]) * 32)]
STATUSES = [CREATED, PAID, HELD, SHIPPED, CANCELLED]
# small totals share histogram keys (and the level-0 edge: 0 has no digit), large ones do not
TOTALS = st.one_of(
    st.integers(0, 40), st.sampled_from([15, 16, 255, 256, 2**64 - 1]), st.integers(0, 2**64 - 1)
)
ORDERS_END = prefix_end(ORDERS_PREFIX)
CUSTOMER_IDS = st.sampled_from(["", "", "c-1", "c-2", "ü"])


def _order(
    seq: int, customer: str, merchant: str, total: int, status: int, customer_id: str, created: int
) -> Order:
    return Order(
        id=f"ord_{seq:010d}",
        sequence=seq,
        customer=customer,
        merchant=merchant,
        total=total,
        status=status,
        created_at=timestamp(created),
        metadata={"customer_id": customer_id} if customer_id else {},
    )


def _key(order: Order) -> bytes:
    return ORDERS_PREFIX + order.id.encode()


orders = st.builds(
    lambda customer, merchant, total, status, customer_id, created: (
        customer,
        merchant,
        total,
        status,
        customer_id,
        created,
    ),
    st.sampled_from(ADDRESSES),
    st.sampled_from(ADDRESSES),
    TOTALS,
    st.sampled_from(STATUSES),
    CUSTOMER_IDS,
    st.integers(0, 2**33),
)


def test_the_keeper_runs_the_compiled_step():
    """setup builds native/: the index step must not silently fall back to the reference."""
    if os.environ.get("STATESET_NATIVE", "1") == "0":
        assert not derive.NATIVE and derive.derive is derive.derive_reference
    else:
        assert derive.NATIVE and derive.derive is derive.derive_native


def _both(base, writes, next_sequence):
    """The block's branch after each step, from the same order writes over ``base`` (the
    compiled step not declining: these are blocks the reference indexes)."""
    if derive.NATIVE:
        block = Branch(base)
        for k, v in writes:
            block.set(k, v) if v is not None else block.delete(k)
        changed = block.changes_in(ORDERS_PREFIX, ORDERS_END)
        rows = derive.rows(base, changed, next_sequence)
        assert derive._layout.writes(rows, block.get) is not None
    out = []
    for step in (derive.derive_reference, derive.derive_native):
        block = Branch(base)
        for k, v in writes:
            if v is None:
                block.delete(k)
            else:
                block.set(k, v)
        done = step(OrderIndex(), base, block, next_sequence)
        out.append((done, block.changes()))
    return out


@settings(max_examples=150, deadline=None)
@given(
    before=st.lists(orders, max_size=12),
    moves=st.lists(st.tuples(st.integers(0, 11), st.sampled_from(STATUSES + [None])), max_size=12),
    new=st.lists(st.tuples(orders, st.sampled_from(STATUSES + [None])), max_size=12),
    first=st.one_of(st.just(1), st.integers(1, 2**40)),
)
def test_same_writes_as_the_reference(before, moves, new, first):
    """An indexed state of ``before`` orders, then a block that moves some of them to another
    status (or rewrites one unchanged, or deletes one: None), and creates ``new`` orders, some
    of them moved again in the same block (a cancel of an order created in the block); the
    sequences start at ``first`` (large ones span the amount index's epochs)."""
    index, base = OrderIndex(), MemoryKV()
    existing = []
    for seq, fields in enumerate(before, start=first):
        order = _order(seq, *fields)
        base.set(_key(order), order.SerializeToString())
        index.add(base, order)
        existing.append(order)
    next_sequence = first + len(before)
    writes: dict[bytes, bytes | None] = {}
    for i, to in moves:
        if i >= len(existing):
            continue
        order = Order()
        order.CopyFrom(existing[i])
        if to is None:
            writes[_key(order)] = None
            continue
        order.status = to
        writes[_key(order)] = order.SerializeToString()
    for seq, (fields, then) in enumerate(new, start=next_sequence):
        order = _order(seq, *fields)
        if then is not None:
            order.status = then
        writes[_key(order)] = order.SerializeToString()
    reference, native = _both(base, list(writes.items()), next_sequence)
    assert native == reference


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.tuples(st.just("create"), st.sampled_from(ADDRESSES[:3]), CUSTOMER_IDS),
            st.tuples(st.just("pay"), st.integers(0, 30), st.booleans()),
            st.tuples(st.just("cancel"), st.integers(0, 30), st.booleans()),
        ),
        min_size=1,
        max_size=14,
    )
)
def test_same_writes_for_blocks_of_transactions(txs):
    """Blocks of real transactions (creates, pays, cancels of orders created in the same block
    or before, and failed txs, whose writes never reach the block): the compiled step's writes
    are the reference's, and the state is the one ``rebuild_indexes`` derives from the orders."""
    chain = Chain()
    made = [chain.create(), chain.create()]
    chain.pay(made[0])
    block = Branch(chain.store)

    def deliver(*msgs):
        try:
            return delivery.deliver(block, chain.block, msgs, chain.routes).responses[0]
        except ChainError:  # a failed tx (wrong amount, signer, status): nothing written
            return None

    for kind, *args in txs:
        if kind == "create":
            customer, customer_id = args
            metadata = {"customer_id": customer_id} if customer_id else None
            r = deliver(create_msg(customer=customer, metadata=metadata))
            if r is not None:
                made.append(r.order_id)
            continue
        target, wrong = args
        oid = made[target % len(made)]
        order = chain.keeper.must_get_order(block, oid)
        if kind == "pay":
            amount = order.total + (1 if wrong else 0)
            deliver(pay_msg(oid, amount, "ussusd", order.customer))
        else:
            signer = STRANGER if wrong else order.customer
            deliver(tx.MsgCancelOrder(signer=signer, order_id=oid, reason="changed"))

    next_sequence = chain.keeper.order_sequence.peek(chain.store)
    reference, native = _both(chain.store, block.changes(), next_sequence)
    assert native == reference

    final = Branch(chain.store)  # the native step's block, committed, against a rebuild
    for k, v in block.changes():
        final.set(k, v) if v is not None else final.delete(k)
    derive.derive_native(chain.keeper.index, chain.store, final, next_sequence)
    final.write()
    assert_indexes_equal_a_rebuild(chain)


def _raised(step, base, writes, next_sequence):
    block = Branch(base)
    for k, v in writes:
        block.set(k, v)
    with pytest.raises(Exception) as e:
        step(OrderIndex(), base, block, next_sequence)
    return type(e.value), str(e.value), block.changes()


@pytest.mark.skipif(not derive.NATIVE, reason="the compiled core is off")
@pytest.mark.parametrize(
    "case", ["long customer id", "move without counters", "bad address", "short counter"]
)
def test_the_same_error_where_the_reference_raises(case):
    """The compiled step declines what the reference cannot do, and the reference raises."""
    base = MemoryKV()
    old = _order(1, CUSTOMER, MERCHANT, 1234, CREATED, "", 10)
    base.set(_key(old), old.SerializeToString())
    if case == "long customer id":  # KeyPartTooLong
        order = _order(2, CUSTOMER, MERCHANT, 5, CREATED, "x" * 256, 11)
        writes, want = [(_key(order), order.SerializeToString())], KeyPartTooLong
    elif case == "move without counters":  # never indexed: a counter would go below zero
        moved = _order(1, CUSTOMER, MERCHANT, 1234, PAID, "", 10)
        writes, want = [(_key(moved), moved.SerializeToString())], struct.error
    elif case == "bad address":
        order = _order(2, CUSTOMER, "nope", 5, CREATED, "", 11)
        writes, want = [(_key(order), order.SerializeToString())], InvalidAddress
    else:  # a stored counter of the wrong width
        OrderIndex().add(base, old)
        counter = OrderIndex.status_counts.store_key(CREATED)
        base.set(counter, b"\x01")
        moved = _order(1, CUSTOMER, MERCHANT, 1234, PAID, "", 10)
        writes, want = [(_key(moved), moved.SerializeToString())], struct.error
    reference = _raised(derive.derive_reference, base, writes, 2)
    assert issubclass(reference[0], want)
    assert _raised(derive.derive_native, base, writes, 2) == reference


@pytest.mark.skipif(not derive.NATIVE, reason="the compiled core is off")
def test_counters_are_read_once():
    """Every counter and histogram key the block's rows touch is read once, whatever the number
    of orders that share it."""
    base = MemoryKV()
    reads: list[bytes] = []

    class Counting(Branch):
        def get(self, key):
            reads.append(key)
            return super().get(key)

    block = Counting(base)
    for seq in range(1, 51):
        order = _order(seq, CUSTOMER, MERCHANT, 1000, CREATED, "c-1", seq)
        block.set(_key(order), order.SerializeToString())
    derive.derive_native(OrderIndex(), base, block, 1)
    assert reads and len(reads) == len(set(reads))
