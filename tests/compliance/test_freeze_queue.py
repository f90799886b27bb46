"""A new sanction freezes the party's escrow at the end of the block that listed it: the freeze
queue, the orders' consensus index of open orders by party, the per-block bound and its
carry-over, and the release after the delisting."""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.coins import SSUSD, Coin
from stateset_chain.events import parse_typed_event
from stateset_chain.orders.lifecycle import DELIVERED, FULFILLED, HELD, PAID, SHIPPED
from tests.chain import Chain, address
from tests.compliance.helpers import CUSTOMER, MERCHANT, OFFICER, STRANGER, CChain
from tests.orders.helpers import RETURN_WINDOW, ship_msg

from stateset.compliance.v1 import events_pb2 as cev
from stateset.compliance.v1 import query_pb2 as cq
from stateset.compliance.v1 import tx_pb2 as ctx_tx
from stateset.orders.v1 import events_pb2 as oev
from stateset.orders.v1 import query_pb2 as oq
from stateset.orders.v1 import tx_pb2 as otx


def typed(events, cls) -> list:
    return [parse_typed_event(e, cls) for e in events if e.type == cls.DESCRIPTOR.full_name]


def order_of(chain: Chain, order_id: str):
    res = chain.query("/stateset.orders.v1.Query/Order", oq.QueryOrderRequest(order_id=order_id))
    assert res.code == 0, res.log
    return oq.QueryOrderResponse.FromString(res.value).order


def test_sanctioning_a_merchant_freezes_its_three_paid_orders_at_that_blocks_end():
    """Through the real app: three PAID orders of one merchant, then MsgAddSanction of the
    merchant. At the end of that block all three are HELD ``compliance`` (OrderHeld and
    OrderFrozen each, in the block's end-block events), the queue is empty, nothing moves; after
    MsgRemoveSanction the compliance authority's release passes screening and the merchant can
    go on."""
    chain = Chain.start(n_wallets=4)
    admin, customer, merchant, other = chain.wallets
    c, m = address(customer), address(merchant)
    res = chain.block([chain.sign(customer, [otx.MsgCreateOrder(
        creator=c, customer=c, merchant=m, name=f"order {i}",
        items=[{"sku": f"S{i}", "name": "thing", "quantity": 1, "unit_price": "3.50"}],
    )]) for i in range(3)] + [chain.create_order(other, admin, 9)])
    assert [r.code for r in res.tx_results] == [0, 0, 0, 0], [r.log for r in res.tx_results]
    listed = oq.QueryOrdersResponse.FromString(chain.query(
        "/stateset.orders.v1.Query/Orders", oq.QueryOrdersRequest(merchant=m)).value).orders
    ids = sorted(o.id for o in listed)
    res = chain.block([chain.sign(customer, [otx.MsgPayOrder(
        payer=c, order_id=oid, amount=Coin(SSUSD, 3_500_000).to_proto())]) for oid in ids])
    assert [r.code for r in res.tx_results] == [0, 0, 0], [r.log for r in res.tx_results]
    merchant_before = chain.balance(m, SSUSD)

    res = chain.block([chain.sign(admin, [ctx_tx.MsgAddSanction(
        signer=address(admin), address=m, reason="listed", list_source="OFAC SDN")])])
    assert res.tx_results[0].code == 0, res.tx_results[0].log
    held = typed(res.events, oev.OrderHeld)
    frozen = typed(res.events, cev.OrderFrozen)
    assert sorted(e.order_id for e in held) == ids
    assert sorted(e.order_id for e in frozen) == ids
    assert {(e.hold_reason, e.held_from) for e in held} == {("compliance", PAID)}
    assert {(f.decision.rule, f.decision.detail) for f in frozen} == {
        ("sanctioned_party", f"merchant {m}")}
    for oid in ids:
        order = order_of(chain, oid)
        assert (order.status, order.hold_reason, order.held_from) == (HELD, "compliance", PAID)
    queue = cq.QueryFreezeQueueResponse.FromString(chain.query(
        "/stateset.compliance.v1.Query/FreezeQueue", cq.QueryFreezeQueueRequest()).value)
    assert list(queue.tasks) == []
    # the other merchant's order is untouched
    other_order = oq.QueryOrdersResponse.FromString(chain.query(
        "/stateset.orders.v1.Query/Orders",
        oq.QueryOrdersRequest(merchant=address(admin))).value).orders[0]
    assert other_order.status != HELD

    # frozen: the merchant cannot move it on; the escrow stays
    res = chain.block([chain.sign(merchant, [otx.MsgFulfillOrder(signer=m, order_id=ids[0])])])
    assert (res.tx_results[0].codespace, res.tx_results[0].code) == ("orders", 5)
    assert chain.balance(m, SSUSD) == merchant_before
    # a release while still sanctioned fails screening
    res = chain.block([chain.sign(admin, [otx.MsgReleaseOrder(
        signer=address(admin), order_id=ids[0], reason="check")])])
    assert (res.tx_results[0].codespace, res.tx_results[0].code) == ("compliance", 26)

    res = chain.block([chain.sign(admin, [ctx_tx.MsgRemoveSanction(
        signer=address(admin), address=m, reason="delisted")])])
    assert res.tx_results[0].code == 0
    res = chain.block([chain.sign(admin, [otx.MsgReleaseOrder(
        signer=address(admin), order_id=oid, reason="cleared")]) for oid in ids])
    assert [r.code for r in res.tx_results] == [0, 0, 0], [r.log for r in res.tx_results]
    released = [e for r in res.tx_results for e in typed(r.events, oev.OrderReleased)]
    assert {(e.hold_reason, e.status, e.compliance.rule) for e in released} == {
        ("compliance", PAID, "screened")}
    for oid in ids:
        assert order_of(chain, oid).status == PAID
    res = chain.block([chain.sign(merchant, [otx.MsgFulfillOrder(signer=m, order_id=ids[0])])])
    assert res.tx_results[0].code == 0, res.tx_results[0].log


def delivered(c: CChain, payer: str = CUSTOMER, **create) -> str:
    oid = c.create(**create)
    c.pay(oid, payer=payer)
    c.deliver(otx.MsgFulfillOrder(signer=MERCHANT, order_id=oid))
    c.deliver(ship_msg(oid))
    c.deliver(otx.MsgDeliverOrder(signer=MERCHANT, order_id=oid))
    return oid


def test_every_status_holding_escrow_freezes_and_none_settles_until_released():
    """PAID, FULFILLED, SHIPPED and DELIVERED orders of a sanctioned customer are frozen at the
    block's end, each HELD from its status; past the return window nothing settles; after the
    delisting each release returns to held_from and the delivered one settles at once."""
    c = CChain()
    paid = c.paid_order()
    fulfilled = c.paid_order()
    c.deliver(otx.MsgFulfillOrder(signer=MERCHANT, order_id=fulfilled))
    shipped = c.paid_order()
    c.deliver(otx.MsgFulfillOrder(signer=MERCHANT, order_id=shipped))
    c.deliver(ship_msg(shipped))
    done = delivered(c)
    unpaid = c.create()
    c.sanction(CUSTOMER)
    c.advance(1)
    status = {oid: c.order(oid).held_from for oid in (paid, fulfilled, shipped, done)}
    assert status == {paid: PAID, fulfilled: FULFILLED, shipped: SHIPPED, done: DELIVERED}
    assert {c.order(oid).hold_reason for oid in status} == {"compliance"}
    assert c.order(unpaid).status != HELD  # no escrow, nothing to freeze
    assert sorted(e.order_id for e in c.typed(cev.OrderFrozen)) == sorted(status)
    merchant = c.balance(MERCHANT)
    c.advance(RETURN_WINDOW + 1)
    assert c.typed(oev.OrderSettled) == [] and c.balance(MERCHANT) == merchant
    c.unsanction(CUSTOMER)
    for oid in status:
        c.deliver(otx.MsgReleaseOrder(signer=OFFICER, order_id=oid, reason="cleared"))
        assert c.order(oid).status == status[oid]
    c.advance(1)
    assert [e.order_id for e in c.typed(oev.OrderSettled)] == [done]
    c.check_invariants()


def test_the_drain_limit_bounds_a_block_and_the_rest_carries_over():
    """With freeze_drain_limit 2 and five open orders of the sanctioned merchant, the end block
    freezes two per block in sequence order, keeping the cursor in the queue between blocks."""
    c = CChain(compliance_genesis={"params": {"freeze_drain_limit": 2}})
    ids = [c.paid_order() for _ in range(5)]
    c.sanction(MERCHANT)
    tasks = dict(c.compliance.all_freeze_tasks(c.store))
    assert tasks == {MERCHANT: 0}
    frozen = []
    for want in (2, 2, 1):
        c.advance(1)
        got = [e.order_id for e in c.typed(cev.OrderFrozen)]
        assert len(got) == want
        frozen += got
        c.check_invariants()
    assert frozen == ids  # sequence order, each once
    assert dict(c.compliance.all_freeze_tasks(c.store)) == {}


def test_a_delisting_before_the_end_block_empties_the_queue_and_freezes_nothing():
    c = CChain()
    oid = c.paid_order()
    c.sanction(MERCHANT)
    c.unsanction(MERCHANT)
    assert dict(c.compliance.all_freeze_tasks(c.store)) == {}
    c.advance(1)
    assert c.order(oid).status == PAID and c.typed(cev.OrderFrozen) == []


def test_a_sanctioned_payer_who_is_neither_customer_nor_merchant_freezes_the_order():
    """Whoever paid is a party: STRANGER pays the customer's order, STRANGER is sanctioned."""
    c = CChain()
    oid = c.create()
    c.pay(oid, payer=STRANGER)
    c.sanction(STRANGER)
    c.advance(1)
    order = c.order(oid)
    assert (order.status, order.compliance.detail) == (HELD, f"payer {STRANGER}")


def test_the_open_index_holds_escrow_holding_orders_only():
    """Entries appear with the first money and go when the escrow is empty (a full refund, the
    settlement); the invariant checks it after each step."""
    c = CChain()
    paid = c.paid_order()
    refunded = c.paid_order()
    settled = delivered(c)
    c.check_invariants()
    c.deliver(otx.MsgRefundOrder(signer=MERCHANT, order_id=refunded, reason="all"))
    c.advance(RETURN_WINDOW + 1)
    assert c.order(settled).settled
    open_ids = {oid for _, oid in c.keeper.all_open_entries(c.store)}
    assert open_ids == {paid}
    c.check_invariants()
