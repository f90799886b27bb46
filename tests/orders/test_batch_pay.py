"""MsgBatchPayOrders: one payer pays several orders under one signature, all or nothing."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.coins import Coin
from stateset_chain.orders.errors import (
    BatchTooLarge,
    EmptyBatch,
    InvalidAmount,
    InvalidOrderId,
    Overpayment,
)
from tests.orders.helpers import CUSTOMER, ESCROW, STRANGER, UNIT, Chain, item

from stateset.orders.v1 import events_pb2
from stateset.orders.v1 import tx_pb2 as tx
from stateset.orders.v1.orders_pb2 import OrderStatus


def payments(*pairs, payer=STRANGER) -> tx.MsgBatchPayOrders:
    return tx.MsgBatchPayOrders(
        payer=payer,
        payments=[
            tx.PayOrderItem(order_id=oid, amount=Coin("ussusd", amount).to_proto())
            for oid, amount in pairs
        ],
    )


def orders(chain: Chain, n: int) -> list[str]:
    return [chain.create(items=[item(price="10")]) for _ in range(n)]


def test_batch_pays_every_order():
    chain = Chain()
    oids = orders(chain, 3)
    response = chain.deliver(payments(*[(o, 10 * UNIT) for o in oids]))
    assert [r.status for r in response.payments] == [OrderStatus.ORDER_STATUS_PAID] * 3
    assert all(chain.order(o).payments[0].payer == STRANGER for o in oids)
    assert chain.balance(ESCROW) == 30 * UNIT
    assert len(chain.typed(events_pb2.OrderPaid)) == 3
    chain.check_invariants()


def test_one_order_twice_in_a_batch_is_two_partial_payments():
    chain = Chain()
    [oid] = orders(chain, 1)
    response = chain.deliver(payments((oid, 4 * UNIT), (oid, 6 * UNIT)))
    assert [r.amount_paid for r in response.payments] == [4 * UNIT, 10 * UNIT]
    assert chain.order(oid).status == OrderStatus.ORDER_STATUS_PAID


def test_one_refused_payment_refuses_the_batch():
    chain = Chain()
    oids = orders(chain, 3)
    before = list(chain.store.iterate())
    with pytest.raises(Overpayment):
        chain.deliver(payments((oids[0], 10 * UNIT), (oids[1], 10 * UNIT), (oids[2], 11 * UNIT)))
    assert list(chain.store.iterate()) == before


def test_empty_and_oversized_batches_are_refused():
    chain = Chain()
    with pytest.raises(EmptyBatch):
        chain.deliver(payments())
    oids = orders(chain, 6)
    with pytest.raises(BatchTooLarge):
        chain.deliver(payments(*[(o, UNIT) for o in oids]))


def test_validate_checks_every_payment():
    chain = Chain()
    [oid] = orders(chain, 1)
    with pytest.raises(InvalidAmount):
        chain.deliver(payments((oid, 1), (oid, 0)))
    with pytest.raises(InvalidOrderId):
        chain.deliver(payments((oid, 1), ("nope", 1)))


def test_signer_is_the_payer():
    assert Chain().signers(payments(payer=CUSTOMER)) == [CUSTOMER]
