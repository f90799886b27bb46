"""A golden block sequence: the same inputs give the same app hash and the same block results.

Pinned before the structure work (issue 9) so that a refactor which changes nothing that
consensus sees keeps both digests. A change that legitimately alters state or results (a new
module's genesis, a new event attribute, an APP_VERSION bump) updates the pins in the same commit
and says why in its message.

The sequence touches bank sends (one failing), order create/pay/fulfil/cancel/hold/release/refund/
dispute, a tx that does not decode, and empty blocks; what is pinned is the last app hash and a
SHA-256 over every block's deterministic FinalizeBlock response bytes (codes, logs, gas, events).
"""

from __future__ import annotations

import hashlib

import stateset_chain.pb  # noqa: F401
from stateset_chain.coins import SSUSD, USDC, Coin
from tests.chain import Chain, address

from stateset.orders.v1 import query_pb2
from stateset.orders.v1 import tx_pb2 as orders_tx

# Re-pinned by issue 14 (layout 11 also holds the compliance store): the compliance module's
# genesis params and module version, the orders' compliance decision and fraud score,
# FraudAssessed events at create and pay; the localnet genesis names the first demo account the
# chain and compliance authority. Results re-pinned when OrderHeld gained hold_reason/held_from
# and OrderReleased hold_reason/status/compliance/settlement_due (event bytes only: the app hash
# is unchanged, events are not state). Results re-pinned by VAT and import duty (issue 14,
# part 3): OrderCreated's JSON prints the order's and items' new zero fields. Results re-pinned
# by issue 13 (the app hash is unchanged): an order's status change no longer reads the
# conditional orders waiting on it inside the tx; it writes one "changed" mark that the end-block
# consumes, so the gas of every status-changing tx differs.
# Re-pinned by issue 14's oracle (layout 12 also holds the oracle store): the oracle module's
# genesis (params, the localnet's two feeders and EUR/GBP/JPY/CAD rates), its module version and
# the layout version 12; the block results change with the app hash each response carries (the
# sequence sends no oracle tx, and no end block aggregates without a submission). Both
# re-pinned by layout 13: APP_VERSION, the orders' and compliance module versions (2), the
# compliance params' freeze_drain_limit, the index of open orders by party written by every
# payment, refund and settlement (state and gas). Results re-pinned by fiat pricing (issue 14,
# part 3; app hash unchanged): OrderPaid says currency and amount_paid, OrderCreated's order its
# new zero fields. Results re-pinned by issue 12's derived order indexes (app hash unchanged:
# the indexes are node-local): a transaction is charged its order's index writes as a pure
# function of the order (orders/index/charges.py), the writes made once at the block's end, so a
# status move that empties a counter is charged as a write, not a delete: 9 status-changing txs
# of the sequence use 1,065-2,748 more gas; codes, logs and events are unchanged. Results
# re-pinned by issue 12's small events (app hash unchanged): OrderCreated's order leaves out the
# CREATED timeline entry, created_at, updated_at and fraud (its block and the FraudAssessed
# before it say them), OrderPaid the payment (the PaymentReceived before it carries it).
GOLDEN_APP_HASH = "26238c75fc109b11230340257ac307450f839b1353f907bd48edc1a6dacdc5c6"
GOLDEN_RESULTS = "291bb69ea9cd6fd8df94a72da9a441e99dd1568238a0ea07d82738d5b105ac06"


def run_sequence() -> tuple[str, str]:
    chain = Chain.start(n_wallets=5)
    w = chain.wallets
    results = hashlib.sha256()
    last = [b""]

    def block(txs: list[bytes]) -> list:
        res = chain.block(txs)
        results.update(res.SerializeToString(deterministic=True))
        last[0] = res.app_hash
        return list(res.tx_results)

    customers, merchant = w[:3], w[3]
    m = address(merchant)
    block([
        chain.send(w[0], address(w[1]), 1_250_000),
        chain.send(w[1], address(w[2]), 3_000_000, denom=SSUSD),
        chain.send(w[4], address(w[0]), 10**15),  # more than the balance: refused
        b"\x0a\x03not a tx",
        *[chain.create_order(customers[i % 3], merchant, i) for i in range(6)],
    ])
    listed = query_pb2.QueryOrdersResponse.FromString(
        chain.query("/stateset.orders.v1.Query/Orders",
                    query_pb2.QueryOrdersRequest(merchant=m)).value
    ).orders
    orders = sorted(listed, key=lambda o: o.name)
    assert len(orders) == 6, [o.name for o in orders]

    def payer(order):
        return next(x for x in customers if address(x) == order.customer)

    block([
        chain.sign(payer(o), [orders_tx.MsgPayOrder(
            payer=o.customer, order_id=o.id, amount=Coin(SSUSD, o.total).to_proto())])
        for o in orders[:4]
    ] + [
        chain.sign(payer(orders[5]), [orders_tx.MsgCancelOrder(
            signer=orders[5].customer, order_id=orders[5].id, reason="changed my mind")]),
    ])
    block([
        chain.sign(merchant, [orders_tx.MsgFulfillOrder(signer=m, order_id=orders[0].id)]),
        chain.sign(merchant, [orders_tx.MsgHoldOrder(signer=m, order_id=orders[1].id,
                                                     reason="address check")]),
        chain.sign(merchant, [orders_tx.MsgRefundOrder(
            signer=m, order_id=orders[2].id, amount=str(orders[2].total // 3), reason="part")]),
        chain.sign(payer(orders[3]), [orders_tx.MsgDisputeOrder(
            signer=orders[3].customer, order_id=orders[3].id, reason="not as described")]),
        chain.send(w[2], address(w[4]), 7, denom=USDC, memo="golden"),
    ])
    block([
        chain.sign(merchant, [orders_tx.MsgReleaseOrder(signer=m, order_id=orders[1].id,
                                                        reason="checked")]),
        chain.sign(merchant, [orders_tx.MsgRefundOrder(  # more than what is left: refused
            signer=m, order_id=orders[2].id, amount=str(orders[2].total), reason="too much")]),
    ])
    for _ in range(3):
        block([])
    return last[0].hex(), results.hexdigest()


def test_the_golden_sequence_gives_the_pinned_app_hash_and_results():
    app_hash, digest = run_sequence()
    assert (app_hash, digest) == (GOLDEN_APP_HASH, GOLDEN_RESULTS)


def test_the_golden_sequence_is_deterministic():
    assert run_sequence() == run_sequence()
