"""The typed views and the webhook outbox on a real PostgreSQL, from events encoded by the app's
own encoder (``stateset_chain.events.typed_attributes``), and the pure helpers they rest on."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from stateset_chain.events import to_json_dict, typed_attributes
from stateset_chain.indexer.views import (
    BLOCK_EVENT,
    RawEvent,
    ViewBatch,
    event_id,
    payment_status,
    rebuild,
    time_text,
)
from stateset_chain.orders import escrow
from stateset_chain.readside import db
from stateset_chain.readside.render import order_json
from stateset_chain.timefmt import timestamp

from cosmos.base.v1beta1.coin_pb2 import Coin
from stateset.bank.v1 import events_pb2 as bank_events
from stateset.orders.v1 import events_pb2 as order_events
from stateset.orders.v1.orders_pb2 import (
    Order,
    OrderItem,
    OrderStatus,
    Payment,
    PaymentStatus,
    TimelineEntry,
)

T0 = 1_767_225_600_123_456_789  # 2026-01-01T00:00:00.123456789Z
ALICE, CAROL = "stateset1alice", "stateset1carol"


def raw(msg, height: int, tx: int, index: int, time_ns: int = T0) -> RawEvent:
    attrs = [*typed_attributes(msg), ("msg_index", "0")]
    return RawEvent(height, tx, index, msg.DESCRIPTOR.full_name, attrs, time_ns)


def new_order() -> Order:
    return Order(
        id="ord_0000000001", sequence=1, customer=ALICE, merchant=CAROL, creator=ALICE,
        currency="ssusd", denom="ussusd", subtotal=25_000_000, total=25_000_000,
        status=OrderStatus.ORDER_STATUS_CREATED,
        payment_status=PaymentStatus.PAYMENT_STATUS_UNPAID,
        items=[OrderItem(sku="A", name="Thing", quantity=2, unit_price="12.5",
                         unit_price_amount=12_500_000, line_total=25_000_000)],
        timeline=[TimelineEntry(status=OrderStatus.ORDER_STATUS_CREATED, height=4,
                                time=timestamp(T0))],
        created_at=timestamp(T0), updated_at=timestamp(T0),
    )


def lifecycle_events() -> list[RawEvent]:
    order = new_order()
    payment = Payment(id="pay_1", payer=ALICE, amount=25_000_000, denom="ussusd",
                      method="wallet", height=5, time=timestamp(T0 + 10**9))
    return [
        raw(order_events.OrderCreated(order=order), 4, 0, 0),
        raw(bank_events.CoinsTransferred(sender=ALICE, recipient=CAROL,
                                         amount=[Coin(denom="ussusd", amount="7")]), 4, 0, 1),
        raw(order_events.PaymentReceived(
            order_id=order.id, payment=payment, amount_paid=25_000_000, amount_due=0,
            payment_status=PaymentStatus.PAYMENT_STATUS_PAID), 5, 2, 0, T0 + 10**9),
        raw(order_events.OrderPaid(order_id=order.id, customer=ALICE, merchant=CAROL,
                                   payment=payment, total=25_000_000, denom="ussusd"),
            5, 2, 1, T0 + 10**9),
    ]


def apply(url: str, events: list[RawEvent]) -> None:
    with db.connect(url) as conn, conn.transaction():
        batch = ViewBatch(conn)
        batch.apply_all(events)
        batch.flush()


def test_the_order_doc_follows_the_events_like_the_orders_module(migrated_url):
    events = lifecycle_events()
    apply(migrated_url, events[:2])
    apply(migrated_url, events[2:])  # a second transaction loads the stored order
    expected = new_order()
    expected.payments.append(Payment(id="pay_1", payer=ALICE, amount=25_000_000, denom="ussusd",
                                     method="wallet", height=5, time=timestamp(T0 + 10**9)))
    expected.amount_paid = 25_000_000
    expected.payment_status = PaymentStatus.PAYMENT_STATUS_PAID
    expected.status = OrderStatus.ORDER_STATUS_PAID
    expected.timeline.append(TimelineEntry(status=OrderStatus.ORDER_STATUS_PAID, height=5,
                                           time=timestamp(T0 + 10**9)))
    expected.updated_at.CopyFrom(timestamp(T0 + 10**9))
    with db.connect(migrated_url) as conn:
        doc, status, paid = conn.execute(
            "SELECT doc, status, amount_paid_decimal::text FROM orders").fetchone()
        timeline = conn.execute(
            "SELECT status, height FROM order_timeline ORDER BY index").fetchall()
        balances = dict(conn.execute("SELECT address, amount FROM balances").fetchall())
    assert doc == to_json_dict(expected)
    assert (status, paid) == ("PAID", "25.000000")
    assert timeline == [("CREATED", 4), ("PAID", 5)]
    assert balances == {ALICE: -7, CAROL: 7}  # deltas (no genesis in this test)


def test_outbox_rows_have_stable_ids_and_the_api_shape(migrated_url):
    apply(migrated_url, lifecycle_events())
    with db.connect(migrated_url) as conn:
        rows = conn.execute(
            "SELECT id, event_type, payload FROM webhook_outbox ORDER BY seq").fetchall()
    assert [(r[0], r[1]) for r in rows] == [
        ("evt_4_0_0", "order.created"), ("evt_5_2_0", "payment.received"),
        ("evt_5_2_1", "order.paid"),
    ]
    paid = rows[2][2]
    with db.connect(migrated_url) as conn:
        doc, api_json = conn.execute("SELECT doc, api_json FROM orders").fetchone()
    # the order's API JSON, stored with the row, is the last webhook's data.order, as text
    assert api_json == order_json(doc)
    assert json.loads(api_json) == paid["data"]["order"]
    assert paid["id"] == "evt_5_2_1" and paid["event"] == "order.paid"
    assert paid["data"]["order"]["status"] == "PAID"
    assert paid["data"]["order"]["total"] == "25.00"
    assert paid["data"]["payment"]["amount"] == "25.00"
    assert paid["timestamp"] == time_text(T0 + 10**9)
    assert event_id(9, BLOCK_EVENT, 3) == "evt_9_b_3"


def test_rebuild_from_raw_events_gives_the_same_views(migrated_url):
    from stateset_chain.indexer.decode import Block
    from stateset_chain.indexer.ingest import write_raw

    events = lifecycle_events()
    blocks = [
        Block(height=h, hash=f"{h:064X}", time_ns=t, time_text=time_text(t), proposer="P",
              app_hash="", last_results_hash="", result_app_hash="",
              events=[e for e in events if e.height == h])
        for h, t in ((4, T0), (5, T0 + 10**9))
    ]
    with db.connect(migrated_url) as conn, conn.transaction():
        with conn.cursor() as cur:
            write_raw(cur, blocks, [])
        batch = ViewBatch(conn)
        batch.apply_all(events)
        batch.flush()
    with db.connect(migrated_url) as conn:
        before = conn.execute("SELECT doc FROM orders").fetchall()
        assert rebuild(conn) == len(events)
        after = conn.execute("SELECT doc FROM orders").fetchall()
        outbox = conn.execute("SELECT count(*) FROM webhook_outbox").fetchone()[0]
    assert before == after
    assert outbox == 3  # a rebuild leaves the outbox as it is


@given(
    total=st.integers(1, 10**12), paid=st.integers(0, 10**12), refunded=st.integers(0, 10**12),
    settled=st.booleans(),
)
def test_payment_status_on_json_equals_the_modules(total, paid, refunded, settled):
    order = Order(total=total, amount_paid=paid, amount_refunded=min(refunded, paid),
                  settled=settled)
    assert payment_status(to_json_dict(order)) == PaymentStatus.Name(escrow.payment_status(order))


@given(st.integers(0, 253_402_300_799 * 10**9 + 999_999_999))
def test_time_text_is_what_proto_json_writes(ns):
    assert time_text(ns) == to_json_dict(TimelineEntry(time=timestamp(ns)))["time"]


def test_holds_and_releases_are_read_from_the_events_not_inferred(migrated_url):
    """A fraud hold at payment released by the merchant, and a compliance freeze at settlement
    released by the compliance authority after the delisting, driven through the orders and
    compliance modules: the views' order equals the chain's, hold kind, held_from, the CLEAR
    decision and the new due time all taken from OrderHeld / OrderReleased."""
    from tests.compliance.helpers import CUSTOMER, MERCHANT, OFFICER, CChain
    from tests.orders.helpers import RETURN_WINDOW, ship_msg

    from stateset.orders.v1 import tx_pb2 as tx

    c = CChain()
    c.fraud_params(single_order={"amount": "1", "weight_bps": 9000}, hold_threshold_bps=5000)
    seen: list[RawEvent] = []

    def step(run) -> None:
        run()
        tx_index = sum(1 for e in seen if e.height == c.block.height)
        for i, e in enumerate(c.events):
            seen.append(RawEvent(c.block.height, tx_index, i, e.type,
                                 [(a.key, a.value) for a in e.attributes], c.block.time_ns))

    created: list[str] = []
    step(lambda: created.append(c.create()))
    held = created[0]
    step(lambda: c.pay(held))
    assert c.order(held).hold_reason == "fraud_review"
    step(lambda: c.deliver(tx.MsgReleaseOrder(signer=MERCHANT, order_id=held, reason="ok")))
    step(lambda: created.append(c.create()))
    frozen = created[1]
    step(lambda: c.pay(frozen))
    step(lambda: c.deliver(tx.MsgReleaseOrder(signer=MERCHANT, order_id=frozen, reason="ok")))
    step(lambda: c.deliver(tx.MsgFulfillOrder(signer=MERCHANT, order_id=frozen)))
    step(lambda: c.deliver(ship_msg(frozen)))
    step(lambda: c.deliver(tx.MsgDeliverOrder(signer=CUSTOMER, order_id=frozen)))
    step(lambda: c.sanction(CUSTOMER))
    step(lambda: c.advance(RETURN_WINDOW + 1))
    assert c.order(frozen).hold_reason == "compliance"
    step(lambda: c.unsanction(CUSTOMER))
    step(lambda: c.advance(60))
    step(lambda: c.deliver(tx.MsgReleaseOrder(signer=OFFICER, order_id=frozen, reason="ok")))
    assert c.order(frozen).status == OrderStatus.ORDER_STATUS_DELIVERED
    apply(migrated_url, seen)
    with db.connect(migrated_url) as conn:
        docs = dict(conn.execute("SELECT id, doc FROM orders").fetchall())
    for order_id in (held, frozen):
        chain = c.order(order_id)
        chain.ClearField("personal_data")
        assert docs[order_id] == to_json_dict(chain), order_id


def test_the_hold_kind_and_held_from_are_the_events_whatever_the_reason_text(migrated_url):
    """The views take ``hold_reason`` and ``held_from`` from OrderHeld, and the status and
    decision from OrderReleased: a reason text that names no kind changes nothing."""
    from stateset.compliance.v1.compliance_pb2 import ComplianceDecision, ComplianceStatus

    events = lifecycle_events()
    paid = OrderStatus.ORDER_STATUS_PAID
    events.append(raw(order_events.OrderHeld(
        order_id="ord_0000000001", signer=CAROL, reason="see the ticket", hold_reason="compliance",
        held_from=paid), 6, 0, 0, T0 + 2 * 10**9))
    apply(migrated_url, events)
    with db.connect(migrated_url) as conn:
        doc = conn.execute("SELECT doc FROM orders").fetchone()[0]
    assert (doc["hold_reason"], doc["held_from"], doc["status"]) == (
        "compliance", "ORDER_STATUS_PAID", "ORDER_STATUS_HELD")
    clear = ComplianceDecision(status=ComplianceStatus.COMPLIANCE_STATUS_CLEAR, rule="screened",
                               height=7, time=timestamp(T0 + 3 * 10**9))
    apply(migrated_url, [raw(order_events.OrderReleased(
        order_id="ord_0000000001", signer=CAROL, reason="ok", hold_reason="compliance",
        status=paid, compliance=clear), 7, 0, 0, T0 + 3 * 10**9)])
    with db.connect(migrated_url) as conn:
        doc = conn.execute("SELECT doc FROM orders").fetchone()[0]
    assert (doc["hold_reason"], doc["status"]) == ("", "ORDER_STATUS_PAID")
    assert doc["compliance"] == to_json_dict(clear)


class _CountingConnection:
    """A real connection that counts the statements reading ``orders`` (round trips)."""

    def __init__(self, conn) -> None:
        self.conn, self.order_reads = conn, 0

    def execute(self, query, *args, **kwargs):
        if "FROM orders " in query:
            self.order_reads += 1
        return self.conn.execute(query, *args, **kwargs)

    def cursor(self, *args, **kwargs):
        return self.conn.cursor(*args, **kwargs)


def test_a_batch_of_new_orders_reads_the_orders_table_once(migrated_url):
    """Each create emits FraudAssessed (naming the order) before OrderCreated: the batch must
    not ask the database for each of those new orders again."""
    from stateset.compliance.v1 import compliance_pb2
    from stateset.compliance.v1 import events_pb2 as compliance_events

    events = []
    for n in range(1, 51):
        order = new_order()
        order.id, order.sequence = f"ord_{n:010d}", n
        events += [
            raw(compliance_events.FraudAssessed(
                order_id=order.id, customer=ALICE,
                assessment=compliance_pb2.FraudAssessment(score_bps=0)), 4, 0, 2 * n),
            raw(order_events.OrderCreated(order=order), 4, 0, 2 * n + 1),
        ]
    with db.connect(migrated_url) as conn, conn.transaction():
        counting = _CountingConnection(conn)
        batch = ViewBatch(counting)  # type: ignore[arg-type]
        batch.apply_all(events)
        batch.flush()
        assert counting.order_reads == 1
        assert conn.execute("SELECT count(*) FROM orders").fetchone()[0] == 50


def test_a_dispute_in_the_outbox_is_the_orders_rendering_taken_or_made():
    from stateset_chain.indexer.outbox import outbox_row
    from stateset_chain.readside.render import render_order

    from stateset.orders.v1.orders_pb2 import Dispute

    order = to_json_dict(new_order())
    order["dispute"] = to_json_dict(Dispute(opened_by=ALICE, reason="late", evidence=["x"],
                                            refund_amount=5_000_000))
    ev = raw(order_events.OrderCreated(order=new_order()), 9, 1, 3)
    held = outbox_row(ev, "order.disputed", order, {"dispute": order["dispute"]})[6].obj
    assert held["data"]["dispute"] == render_order(order)["dispute"]
    other = dict(order["dispute"], reason="other")  # not the order's own: rendered on its own
    made = outbox_row(ev, "order.disputed", order, {"dispute": other})[6].obj
    assert made["data"]["dispute"] == render_order({**order, "dispute": other})["dispute"]
    assert made["data"]["dispute"]["reason"] == "other"
