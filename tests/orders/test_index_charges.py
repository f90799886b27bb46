"""The gas a transaction is charged for its order's index writes (orders/index/charges.py) is
what making those writes through ``GasKV`` costs, and the writes derived once per block
(orders/index/derive.py) leave the indexes exactly as writing them in each transaction did."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import stateset_chain.pb  # noqa: F401
from stateset_chain.crypto import address
from stateset_chain.gas import GasKV, GasMeter
from stateset_chain.orders.errors import InvalidTransition
from stateset_chain.orders.index import OrderIndex, charges
from stateset_chain.orders.keys import LOCAL_PREFIXES
from stateset_chain.orders.lifecycle import CANCELLED, CREATED, HELD, PAID
from stateset_chain.store.kv import Branch, MemoryKV
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
TOTALS = st.one_of(st.integers(0, 20), st.integers(0, 2**64 - 1))


def _order(seq: int, customer: str, merchant: str, total: int, status: int,
           customer_id: str = "") -> Order:
    return Order(
        id=f"ord_{seq:010d}", sequence=seq, customer=customer, merchant=merchant, total=total,
        status=status, created_at=timestamp(seq),
        metadata={"customer_id": customer_id} if customer_id else {},
    )


def _metered(store) -> tuple[GasKV, GasMeter]:
    meter = GasMeter(None)
    return GasKV(store, meter, LOCAL_PREFIXES), meter


@settings(max_examples=60, deadline=None)
@given(
    seq=st.integers(1, 2**40), customer=st.sampled_from(ADDRESSES),
    merchant=st.sampled_from(ADDRESSES), total=TOTALS,
    status=st.sampled_from([CREATED, PAID, HELD]),
    customer_id=st.one_of(st.just(""), st.text(min_size=1, max_size=40)),
)
def test_add_gas_is_what_the_writes_cost(seq, customer, merchant, total, status, customer_id):
    order = _order(seq, customer, merchant, total, status, customer_id)
    store, meter = _metered(MemoryKV())
    OrderIndex().add(store, order)
    assert charges.add_gas(order) == meter.consumed


@settings(max_examples=60, deadline=None)
@given(
    seq=st.integers(2, 2**40), customer=st.sampled_from(ADDRESSES),
    merchant=st.sampled_from(ADDRESSES), total=TOTALS,
    to=st.sampled_from([PAID, CANCELLED]),
)
def test_move_gas_is_what_the_writes_cost_when_no_counter_empties(seq, customer, merchant,
                                                                   total, to):
    """A twin order (same parties, status and total) keeps every lowered counter above zero."""
    index = OrderIndex()
    plain = MemoryKV()
    order = _order(seq, customer, merchant, total, CREATED)
    index.add(plain, order)
    index.add(plain, _order(seq - 1, customer, merchant, total, CREATED))
    store, meter = _metered(plain)
    index.move_status(store, order, to)
    assert charges.move_gas(order) == meter.consumed


def test_a_move_that_empties_counters_is_charged_as_writes_not_deletes():
    """The one deliberate difference (charges.py): alone in its status, the order's move
    deletes counters (100 gas each); it is charged as if it wrote them."""
    index = OrderIndex()
    plain = MemoryKV()
    order = _order(5, CUSTOMER, MERCHANT, 12_340_000, CREATED)
    index.add(plain, order)
    store, meter = _metered(plain)
    index.move_status(store, order, PAID)
    assert charges.move_gas(order) > meter.consumed


def test_indexes_derived_per_block_equal_those_written_per_transaction():
    """One block of several txs (creates, a pay, a cancel of an order created in the same block,
    a fulfil of an older order, and a failed pay), its indexes derived once at its end: they are
    the indexes ``add`` writes for the orders as they end, key for key."""
    chain = Chain()
    before = chain.create()
    chain.pay(before)
    block = Branch(chain.store)

    def deliver(*msgs):
        return delivery.deliver(block, chain.block, msgs, chain.routes).responses[0]

    first = deliver(create_msg()).order_id
    second = deliver(create_msg()).order_id
    deliver(pay_msg(first, chain.keeper.must_get_order(block, first).total, "ussusd", CUSTOMER))
    deliver(tx.MsgCancelOrder(signer=CUSTOMER, order_id=second, reason="changed"))
    deliver(tx.MsgFulfillOrder(signer=MERCHANT, order_id=before))
    with pytest.raises(InvalidTransition):  # a failed tx: its writes never reach the block
        deliver(pay_msg(second, 1, "ussusd", CUSTOMER))
    assert chain.keeper.index.status_count(block, CREATED) == 0  # nothing derived yet
    chain.module.derive_local(chain.store, block)
    block.write()

    assert_indexes_equal_a_rebuild(chain)
    assert [chain.keeper.index.status_count(chain.store, s) for s in (PAID, CANCELLED)] == [1, 1]
    chain.check_invariants()
