"""MsgBatchCreateOrders: up to max_batch_size orders under one signature, all or nothing."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.errors import InvalidAddress
from stateset_chain.orders.errors import (
    BatchCreatorMismatch,
    BatchTooLarge,
    BlockedSettlementRecipient,
    DuplicateClientOrderId,
    EmptyBatch,
    NoItems,
)
from tests.orders.helpers import (
    BLOCKED,
    BLOCKED_IDS,
    CUSTOMER,
    MERCHANT,
    STRANGER,
    SUPPLIER,
    Chain,
    create_msg,
)

from stateset.orders.v1 import events_pb2
from stateset.orders.v1 import tx_pb2 as tx
from stateset.orders.v1.orders_pb2 import RevenueSplit


def batch(n: int, creator: str = MERCHANT, **kwargs) -> tx.MsgBatchCreateOrders:
    """``n`` orders; with client order ids when the merchant creates them (only it may)."""
    inner = [
        create_msg(creator="", client_order_id=f"b-{i}" if creator == MERCHANT else "", **kwargs)
        for i in range(n)
    ]
    return tx.MsgBatchCreateOrders(creator=creator, orders=inner)


def test_batch_creates_every_order_in_order():
    chain = Chain()
    response = chain.deliver(batch(5))
    oids = [r.order_id for r in response.orders]
    assert [chain.order(o).sequence for o in oids] == [1, 2, 3, 4, 5]
    assert [chain.order(o).client_order_id for o in oids] == [f"b-{i}" for i in range(5)]
    assert all(chain.order(o).creator == MERCHANT for o in oids)
    assert len(chain.typed(events_pb2.OrderCreated)) == 5
    chain.check_invariants()


def test_inner_creator_may_repeat_the_batch_creator():
    chain = Chain()
    msg = batch(2, creator=CUSTOMER)
    msg.orders[0].creator = CUSTOMER
    assert len(chain.deliver(msg).orders) == 2


def test_inner_creator_must_match():
    msg = batch(2)
    msg.orders[1].creator = CUSTOMER
    with pytest.raises(BatchCreatorMismatch):
        Chain().deliver(msg)


def test_the_batch_creator_must_be_a_party_of_each_order():
    from stateset_chain.orders.errors import CreatorNotParty

    with pytest.raises(CreatorNotParty):
        Chain().deliver(batch(1, creator=STRANGER))


def test_empty_batch_is_refused():
    with pytest.raises(EmptyBatch):
        Chain().deliver(tx.MsgBatchCreateOrders(creator=MERCHANT))


def test_batch_over_the_param_limit_is_refused():
    with pytest.raises(BatchTooLarge):
        Chain().deliver(batch(6))


def test_validate_checks_every_order():
    msg = batch(3)
    del msg.orders[2].items[:]
    with pytest.raises(NoItems):
        Chain().deliver(msg)
    with pytest.raises(InvalidAddress):
        Chain().deliver(batch(1, creator="nobody"))


def test_one_refused_order_refuses_the_batch():
    chain = Chain()
    msg = batch(3)
    msg.orders[2].client_order_id = "b-0"  # duplicates the first order of the batch
    before = list(chain.store.iterate())
    with pytest.raises(DuplicateClientOrderId):
        chain.deliver(msg)
    assert list(chain.store.iterate()) == before
    assert chain.keeper.order_count(chain.store) == 0


def test_signer_is_the_batch_creator():
    assert Chain().signers(batch(1)) == [MERCHANT]


@pytest.mark.parametrize(("blocked", "reason"), BLOCKED, ids=BLOCKED_IDS)
def test_a_blocked_merchant_in_one_order_refuses_the_batch(blocked, reason):
    chain = Chain()
    msg = batch(3, creator=CUSTOMER)
    msg.orders[2].merchant = blocked  # the first two orders were fine
    before = list(chain.store.iterate())
    with pytest.raises(BlockedSettlementRecipient) as refused:
        chain.deliver(msg)
    assert refused.value.code == 38
    assert f"merchant {blocked} is {reason}" in refused.value.log
    assert list(chain.store.iterate()) == before


@pytest.mark.parametrize(("blocked", "reason"), BLOCKED, ids=BLOCKED_IDS)
def test_a_blocked_supplier_in_one_order_refuses_the_batch(blocked, reason):
    chain = Chain()
    msg = batch(2, split=RevenueSplit(supplier=SUPPLIER, merchant_bps=9000, supplier_bps=1000))
    msg.orders[1].revenue_split.supplier = blocked
    before = list(chain.store.iterate())
    with pytest.raises(BlockedSettlementRecipient) as refused:
        chain.deliver(msg)
    assert f"supplier {blocked} is {reason}" in refused.value.log
    assert list(chain.store.iterate()) == before
    msg.orders[1].revenue_split.supplier = SUPPLIER
    assert len(chain.deliver(msg).orders) == 2
