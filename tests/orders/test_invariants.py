"""Each orders invariant holds on real state and catches a corruption of what it guards."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.bank.state import BankKeeper
from stateset_chain.crypto import address
from stateset_chain.errors import InvariantBroken
from stateset_chain.orders import invariants
from stateset_chain.orders.lifecycle import CREATED, DISPUTED, FULFILLED, PAID, SHIPPED
from stateset_chain.orders.state import OrdersKeeper
from tests.orders.genesis_helpers import busy_chain
from tests.orders.helpers import ESCROW, Chain

KEEPER = OrdersKeeper  # its collections are class attributes
IX = OrdersKeeper.index  # the list indexes and counters


def check(chain: Chain, invariant) -> None:
    invariant(chain.keeper, chain.ctx())


@pytest.fixture
def chain() -> Chain:
    return busy_chain()


def test_all_hold_on_a_busy_chain(chain):
    for invariant in (
        invariants.escrow_balance,
        invariants.order_accounting,
        invariants.indexes_consistent,
    ):
        check(chain, invariant)


def test_escrow_balance_catches_unowned_escrow(chain):
    raw = address.decode(ESCROW)
    BankKeeper.balances.set(chain.store, (raw, "ussusd"), chain.balance(ESCROW) + 1)
    with pytest.raises(InvariantBroken):
        check(chain, invariants.escrow_balance)


def first(chain: Chain, predicate):
    return next(o for _, o in OrdersKeeper.orders.iterate(chain.store) if predicate(o))


def save(chain: Chain, order) -> None:
    OrdersKeeper.orders.set(chain.store, order.id, order)


@pytest.mark.parametrize(
    "corrupt",
    [
        lambda o: setattr(o, "amount_paid", o.amount_paid + 1),
        lambda o: setattr(o, "tax", o.tax + 1),
        lambda o: setattr(o, "payment_status", 1),
        lambda o: setattr(o.payments[0], "refunded", 1),
        lambda o: o.timeline.pop(),
        lambda o: setattr(o, "settled", True),
    ],
)
def test_order_accounting_catches_inconsistent_orders(chain, corrupt):
    order = first(chain, lambda o: o.amount_paid and o.amount_paid == o.total and not o.settled)
    corrupt(order)
    save(chain, order)
    with pytest.raises(InvariantBroken):
        check(chain, invariants.order_accounting)


def test_order_accounting_catches_a_jump_outside_the_table(chain):
    order = first(chain, lambda o: o.status == SHIPPED)
    assert [e.status for e in order.timeline] == [CREATED, PAID, FULFILLED, SHIPPED]
    order.timeline[2].status = DISPUTED  # PAID -> DISPUTED is allowed, DISPUTED -> SHIPPED is not
    save(chain, order)
    with pytest.raises(InvariantBroken):
        check(chain, invariants.order_accounting)


@pytest.mark.parametrize(
    "corrupt",
    [
        lambda c, o: IX.by_status.set(c.store, (SHIPPED, o.sequence), o.id),  # stale entry
        lambda c, o: IX.by_customer.delete(c.store, (address.decode(o.customer), o.sequence)),
        lambda c, o: IX.status_counts.set(c.store, o.status, 99),
        lambda c, o: KEEPER.client_ids.set(c.store, (address.decode(o.merchant), "ghost"), o.id),
        lambda c, o: OrdersKeeper.settlement_queue.add(c.store, (1, o.id)),
        lambda c, o: IX.by_sequence.delete(c.store, o.sequence),
        lambda c, o: IX.by_created.add(c.store, (0, o.sequence)),
        lambda c, o: IX.by_merchant_status.set(  # stale entry under another status
            c.store, (address.decode(o.merchant), SHIPPED, o.sequence), o.id
        ),
        lambda c, o: IX.by_customer_status.delete(
            c.store, (address.decode(o.customer), o.status, o.sequence)
        ),
        lambda c, o: IX.merchant_status_counts.set(
            c.store, (address.decode(o.merchant), o.status), 99
        ),
        lambda c, o: IX.customer_status_counts.delete(
            c.store, (address.decode(o.customer), o.status)
        ),
    ],
)
def test_indexes_consistent_catches_stale_or_missing_entries(chain, corrupt):
    corrupt(chain, first(chain, lambda o: o.sequence == 1))
    with pytest.raises(InvariantBroken):
        check(chain, invariants.indexes_consistent)
