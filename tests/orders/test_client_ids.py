"""Hole 2 of the hardening review: client order ids were one global namespace, so an outsider
could take a merchant's invoice number first (the merchant's create then failed) and a lookup by
that id returned the outsider's order, which a customer might pay. Client order ids now belong
to the merchant: unique per merchant, set only when the merchant creates the order, and looked up
with the merchant."""

from __future__ import annotations

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.errors import InvalidAddress, InvalidRequest
from stateset_chain.orders.errors import ClientOrderIdNotMerchants, DuplicateClientOrderId
from tests.orders.helpers import CUSTOMER, MERCHANT, STRANGER, Chain
from tests.orders.test_queries import query

from stateset.orders.v1 import query_pb2 as q


def by_client_id(chain: Chain, merchant: str, cid: str):
    req = q.QueryOrderRequest(client_order_id=cid, merchant=merchant)
    return query(chain, "Order", req).order


def test_another_merchant_using_the_same_id_does_not_take_it():
    chain = Chain()
    theirs = chain.create(creator=STRANGER, customer=CUSTOMER, merchant=STRANGER,
                          client_order_id="INV-1")
    ours = chain.create(creator=MERCHANT, client_order_id="INV-1")
    assert by_client_id(chain, MERCHANT, "INV-1").id == ours
    assert by_client_id(chain, STRANGER, "INV-1").id == theirs


def test_an_outsider_cannot_write_into_the_merchants_namespace():
    """A customer (anyone) may create an order naming the merchant, but not with a client id:
    that namespace is the merchant's invoice numbers."""
    chain = Chain()
    with pytest.raises(ClientOrderIdNotMerchants) as refused:
        chain.create(creator=CUSTOMER, merchant=MERCHANT, client_order_id="INV-2")
    assert (refused.value.codespace, refused.value.code) == ("orders", 41)
    oid = chain.create(creator=MERCHANT, client_order_id="INV-2")
    assert by_client_id(chain, MERCHANT, "INV-2").id == oid


def test_a_merchant_cannot_use_its_own_id_twice():
    chain = Chain()
    chain.create(creator=MERCHANT, client_order_id="INV-3")
    with pytest.raises(DuplicateClientOrderId):
        chain.create(creator=MERCHANT, client_order_id="INV-3")


def test_a_client_id_lookup_needs_the_merchant():
    chain = Chain()
    chain.create(creator=MERCHANT, client_order_id="INV-4")
    with pytest.raises(InvalidRequest):
        query(chain, "Order", q.QueryOrderRequest(client_order_id="INV-4"))
    with pytest.raises(InvalidAddress):
        query(chain, "Order", q.QueryOrderRequest(client_order_id="INV-4", merchant="nope"))
    with pytest.raises(InvalidRequest):  # merchant without a client id is not a lookup
        query(chain, "Order", q.QueryOrderRequest(merchant=MERCHANT))
