"""No personal data in clear on chain: orders carrying distinctive personal data are created
through every path that exists (MsgCreateOrder by the customer and by the merchant,
MsgBatchCreateOrders; subscriptions, conditional orders and create-and-pay do not exist yet) as
real signed txs on the in-process App, and none of those strings appears anywhere in the whole
store (state, node-local indexes, tree nodes, metadata), in any event, tx result or tx byte, or
in what the Orders query answers.
The merchant and the customer then read them back; nobody else can."""

from __future__ import annotations

import json

import pytest

import stateset_chain.pb  # noqa: F401
from stateset_chain.coins import Coin
from stateset_chain.privacy.client import reveal, seal_tracking
from stateset_chain.privacy.seal import DecryptionFailed, open_tracking
from stateset_chain.store.commit import CommitStore
from stateset_chain.store.kv import MemoryKV
from tests.chain import Chain, address
from tests.privacy.sealed import (
    CHAIN_ID,
    KeyBook,
    created_ids,
    get_order,
    lookup,
    open_as,
    order_json,
    register,
    sealed_msg,
    secrets,
)

from stateset.orders.v1 import query_pb2 as orders_query
from stateset.orders.v1 import tx_pb2 as orders_tx

TRACKING = "1ZPRIVATE9TRACK7731"  # the shipped order's tracking number


def forms(text: str) -> list[bytes]:
    """How a string could be written: UTF-8 as is, and as JSON escapes it (event attributes)."""
    return sorted({text.encode(), json.dumps(text)[1:-1].encode(),
                   json.dumps(text, ensure_ascii=False)[1:-1].encode()})


@pytest.fixture(scope="module")
def world():
    raw = MemoryKV()

    def apply(ops):
        for k, v in ops:
            if v is None:
                raw.delete(k)
            else:
                raw.set(k, v)

    chain = Chain.start(n_wallets=5, store=CommitStore(raw, apply))
    customer, merchant, stranger, keyless = (chain.wallets[i] for i in range(4))
    c, m, k = address(customer), address(merchant), address(keyless)
    book = KeyBook()
    for w in (customer, merchant, stranger):
        register(chain, book, w)

    txs = [
        chain.sign(customer, [sealed_msg(chain, order_json(c, m, 0))]),
        chain.sign(customer, [orders_tx.MsgBatchCreateOrders(creator=c, orders=[
            _batch_item(sealed_msg(chain, order_json(c, m, 1))),
            _batch_item(sealed_msg(chain, order_json(c, m, 2))),
        ])]),
        chain.sign(merchant, [_by_merchant(sealed_msg(
            chain, order_json(c, m, 3, client_order_id="private-3")))]),
        chain.sign(keyless, [sealed_msg(chain, order_json(k, m, 4))]),
    ]
    res = chain.block(txs)
    assert [r.code for r in res.tx_results] == [0, 0, 0, 0], [r.log for r in res.tx_results]
    chain.block([])  # one more commit: everything the block wrote is in the raw store
    ids = [i for r in res.tx_results for i in created_ids(r)]
    assert len(ids) == 5
    # the first order is paid, fulfilled and shipped with a distinctive tracking number
    shipped = get_order(chain, ids[0])
    ship = orders_tx.MsgShipOrder(signer=m, order_id=ids[0], carrier="UPS")
    seal_tracking(ship, TRACKING, shipped, chain_id=CHAIN_ID, lookup=lookup(chain))
    ship_txs = [
        chain.sign(customer, [orders_tx.MsgPayOrder(
            payer=c, order_id=ids[0],
            amount=Coin(shipped.denom, shipped.total).to_proto())]),
        chain.sign(merchant, [orders_tx.MsgFulfillOrder(signer=m, order_id=ids[0])]),
        chain.sign(merchant, [ship]),
    ]
    shipping = chain.block(ship_txs)
    assert [r.code for r in shipping.tx_results] == [0, 0, 0], [
        r.log for r in shipping.tx_results]
    chain.block([])
    txs += ship_txs
    res.tx_results.extend(shipping.tx_results)
    return chain, raw, txs, res, ids, book, (c, m, address(stranger), k)


def _batch_item(msg: orders_tx.MsgCreateOrder) -> orders_tx.MsgCreateOrder:
    msg.creator = ""  # filled in by the batch
    return msg


def _by_merchant(msg: orders_tx.MsgCreateOrder) -> orders_tx.MsgCreateOrder:
    msg.creator = msg.merchant
    return msg


def test_no_personal_string_is_anywhere_on_chain(world):
    chain, raw, txs, res, ids, _, _ = world
    listed = chain.query("/stateset.orders.v1.Query/Orders",
                         orders_query.QueryOrdersRequest(limit=100))
    assert listed.code == 0 and len(orders_query.QueryOrdersResponse.FromString(
        listed.value).orders) == 5
    blobs = {
        "store": b"\x00".join(k + b"\x00" + v for k, v in raw.iterate()),
        "query_orders": listed.value,
        "txs": b"\x00".join(txs),
        "finalize_block": res.SerializeToString(),  # events, tx results (data, log, events)
        "events": json.dumps([[e.type, [(a.key, a.value) for a in e.attributes]]
                              for r in res.tx_results for e in r.events]).encode(),
    }
    for i in range(5):
        for secret in [*secrets(i), TRACKING]:
            for form in forms(secret):
                for where, blob in blobs.items():
                    assert form not in blob, f"{secret!r} in clear in {where}"


def test_the_scan_sees_the_orders_and_their_public_fields(world):
    """The scan above would catch a leak: what is public is found by the same search."""
    chain, raw, txs, res, ids, _, _ = world
    store = b"\x00".join(k + b"\x00" + v for k, v in raw.iterate())
    for order_id in ids:
        order = get_order(chain, order_id)
        assert order.shipping_address.country == "US" and order.shipping_address.region == "OR"
        assert order.HasField("personal_data")
        assert order.personal_data.ciphertext in store
        assert order.client_order_id.encode() in store
        assert order.tax_rate_bps == 0 or order.tax > 0  # the public region still prices it


def test_order_created_events_carry_no_ciphertext(world):
    """The OrderCreated event repeats the public order only (the envelope is in state)."""
    chain, raw, txs, res, ids, _, _ = world
    for r in res.tx_results:
        for e in r.events:
            if e.type == "stateset.orders.v1.OrderCreated":
                order = json.loads({a.key: a.value for a in e.attributes}["order"])
                assert "personal_data" not in order


def test_merchant_and_customer_read_a_third_party_cannot(world):
    chain, raw, txs, res, ids, book, (c, m, stranger, keyless) = world
    for i, order_id in enumerate(ids[:4]):
        order = get_order(chain, order_id)
        for reader in (m, c):
            data = open_as(order, reader, book.keys[reader])
            assert data.shipping_address.name == secrets(i)[0]
            assert data.shipping_address.postal_code == secrets(i)[4]
            assert data.email == secrets(i)[7]
            assert data.billing_address.line1 == secrets(i)[8]
            assert data.metadata["loyalty_card"] == secrets(i)[9]
            assert data.note == secrets(i)[10]
        with pytest.raises(DecryptionFailed):
            open_as(order, stranger, book.keys[stranger])
        with pytest.raises(DecryptionFailed):  # the stranger's key in the merchant's slot
            open_as(order, m, book.keys[stranger])


def test_a_customer_without_a_key_gets_an_order_sealed_to_the_merchant_only(world):
    chain, raw, txs, res, ids, book, (c, m, stranger, keyless) = world
    order = get_order(chain, ids[4])
    assert [r.recipient for r in order.personal_data.recipients] == [m]
    assert open_as(order, m, book.keys[m]).shipping_address.city == secrets(4)[3]


def test_the_tracking_number_opens_for_the_merchant_and_customer_only(world):
    chain, raw, txs, res, ids, book, (c, m, stranger, keyless) = world
    order = get_order(chain, ids[0])
    assert order.shipping.carrier == "UPS" and order.shipping.HasField("tracking")
    store = b"\x00".join(k + b"\x00" + v for k, v in raw.iterate())
    assert order.shipping.tracking.ciphertext in store  # the scan would have seen it
    for reader in (m, c):
        assert open_tracking(order, chain_id=CHAIN_ID, recipient=reader,
                             private_keys=book.keys[reader]) == TRACKING
    with pytest.raises(DecryptionFailed):
        open_tracking(order, chain_id=CHAIN_ID, recipient=stranger,
                      private_keys=book.keys[stranger])
    shown = reveal({}, order, chain_id=CHAIN_ID, keys={c: book.keys[c]})
    assert shown["shipping"]["tracking"]["tracking_number"] == TRACKING
    hidden = reveal({}, order, chain_id=CHAIN_ID, keys={stranger: book.keys[stranger]})
    assert hidden["shipping"]["tracking"] == {"sealed_to": [m, c], "redacted": True}
