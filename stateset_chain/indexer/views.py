"""The typed views: orders and their parts, CCTP transfers, unclaimed funds, balances.

They are kept from the chain's typed events alone (``stateset_chain/events.py``: each attribute
is a proto field's JSON), so the same code serves live ingest and ``rebuild`` (which replays the
``events`` table). Each order is held as the ``Order`` proto the chain itself stores, changed by
each event the way the orders module changed it (the status moves through the same timeline
stamps, refunds walk the payments oldest first, ``payment_status`` is derived by the module's own
``escrow.payment_status``); ``orders.doc`` is then exactly what the chain's ``Order`` query returns,
and the tests compare the two.

A ``ViewBatch`` lives for one database transaction: it loads the orders it needs, applies the
events of one or more blocks in chain order, and ``flush`` writes every change (plus the webhook
outbox rows, see ``outbox``) with COPY and batched statements. ``VIEWS_VERSION`` names the
derivation; bump it when the derivation changes and the views are rebuilt on the next start.

Genesis balances enter as synthetic raw events at height 0 (type ``genesis.balance``, attributes
``address`` and ``coins``), so a rebuild needs nothing but the ``events`` table.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from google.protobuf import json_format
from google.protobuf.message import Message
from psycopg import Connection
from psycopg.types.json import Jsonb

import stateset_chain.pb  # noqa: F401
from stateset_chain.crypto import address
from stateset_chain.events import to_json_dict
from stateset_chain.orders.escrow import payment_status
from stateset_chain.orders.lifecycle import status_name
from stateset_chain.orders.timefmt import NS, timestamp

from stateset.bank.v1 import events_pb2 as bank_events
from stateset.cctp.v1 import events_pb2 as cctp_events
from stateset.crosschain.v1 import events_pb2 as crosschain_events
from stateset.orders.v1 import events_pb2 as order_events
from stateset.orders.v1.orders_pb2 import (
    DisputeOutcome,
    Order,
    OrderStatus,
    PaymentStatus,
    Refund,
    TimelineEntry,
)

VIEWS_VERSION = 1
VIEW_NAME = "typed"
GENESIS_BALANCE = "genesis.balance"
BLOCK_EVENT = -1  # tx_index of a FinalizeBlock event

# The tables a rebuild empties (the raw tables, the watermark and the outbox stay).
TYPED_TABLES = (
    "holds", "disputes", "settlements", "shipments", "refunds", "payments", "order_timeline",
    "order_items", "orders", "cctp_transfers", "unclaimed_funds", "balances",
)

EVENT_CLASSES: dict[str, type[Message]] = {
    cls.DESCRIPTOR.full_name: cls
    for module in (order_events, cctp_events, crosschain_events, bank_events)
    for cls in (getattr(module, name) for name in module.DESCRIPTOR.message_types_by_name)
}


@dataclass(frozen=True)
class RawEvent:
    """One event as the chain emitted it: where (height, tx index or -1, index) and what."""

    height: int
    tx_index: int
    index: int
    type: str
    attributes: Sequence[tuple[str, str]]
    time_ns: int  # the block time

    def typed(self) -> Message | None:
        """The typed event, or None for an event type of no view (or an unreadable one)."""
        cls = EVENT_CLASSES.get(self.type)
        if cls is None:
            return None
        names = cls.DESCRIPTOR.fields_by_name
        data = {k: json.loads(v) for k, v in self.attributes if k in names}
        return json_format.ParseDict(data, cls(), ignore_unknown_fields=True)

    def attribute(self, key: str) -> str | None:
        for k, v in self.attributes:
            if k == key:
                return v
        return None


def event_id(height: int, tx_index: int, index: int) -> str:
    """The stable id of an event: ``evt_<height>_<tx index | b>_<event index>``."""
    tx = "b" if tx_index == BLOCK_EVENT else str(tx_index)
    return f"evt_{height}_{tx}_{index}"


def _dt(ts) -> datetime | None:
    """A Timestamp field (``HasField`` checked by the caller) as an aware datetime."""
    return datetime.fromtimestamp(ts.seconds, UTC).replace(microsecond=ts.nanos // 1000)


def _opt_dt(msg: Message, name: str) -> datetime | None:
    return _dt(getattr(msg, name)) if msg.HasField(name) else None


def _ns_dt(ns: int) -> datetime:
    seconds, rest = divmod(ns, NS)
    return datetime.fromtimestamp(seconds, UTC).replace(microsecond=rest // 1000)


def _hex(data: bytes) -> str:
    return data.hex()


def _account_of_bytes32(data: bytes) -> str:
    """A bytes32 mint recipient as a local bech32 address (its last 20 bytes), else hex."""
    if len(data) == 32 and data[:12] == bytes(12):
        return address.encode(data[12:])
    return data.hex()


def _short(status: int) -> str:
    return status_name(status)


def _payment_short(status: int) -> str:
    return PaymentStatus.Name(status).removeprefix("PAYMENT_STATUS_")


@dataclass
class _TxScratch:
    """CCTP events of one tx that only make a row together."""

    last_message_hash: str = ""
    pending_mint: tuple[str, int, str] | None = None  # (recipient, amount, token)
    inbound_link: dict[tuple[int, int], tuple[str, str, str]] = field(default_factory=dict)


class ViewBatch:
    """The view changes of one transaction (see the module docstring)."""

    def __init__(self, conn: Connection, outbox: bool = True) -> None:
        self.conn = conn
        self.write_outbox = outbox
        self.orders: dict[str, Order] = {}
        self.created: set[str] = set()       # orders inserted in this batch
        self.dirty: set[str] = set()         # orders changed in this batch
        self.order_heights: dict[str, int] = {}
        self.balances: dict[tuple[str, str], list[int]] = {}  # -> [delta, height]
        self.cctp: dict[tuple[str, int, int], dict[str, Any]] = {}
        self.ops: list[tuple[str, tuple]] = []  # holds + unclaimed, in chain order
        self.outbox_rows: list[tuple] = []
        self.events_applied = 0
        self._scratch = _TxScratch()
        self._scratch_key: tuple[int, int] | None = None

    # -- loading ----------------------------------------------------------------------------

    def prefetch(self, events: Iterable[RawEvent]) -> None:
        """Load, in one query, every stored order these events touch."""
        wanted = set()
        for ev in events:
            if ev.type.startswith("stateset.orders.v1.") or ev.type.startswith(
                "stateset.cctp.v1.CrossChain"
            ):
                raw = ev.attribute("order_id")
                if raw:
                    wanted.add(json.loads(raw))
        self._load(wanted - self.orders.keys())

    def _load(self, ids: set[str]) -> None:
        if not ids:
            return
        rows = self.conn.execute(
            "SELECT id, doc, updated_height FROM orders WHERE id = ANY(%s)", (list(ids),)
        ).fetchall()
        for oid, doc, height in rows:
            self.orders[oid] = json_format.ParseDict(doc, Order(), ignore_unknown_fields=True)
            self.order_heights.setdefault(oid, height)

    def order(self, oid: str) -> Order | None:
        if oid not in self.orders:
            self._load({oid})
        return self.orders.get(oid)

    # -- applying ---------------------------------------------------------------------------

    def apply(self, ev: RawEvent) -> None:
        """Apply one event (events must come in chain order)."""
        key = (ev.height, ev.tx_index)
        if key != self._scratch_key:
            self._scratch, self._scratch_key = _TxScratch(), key
        if ev.type == GENESIS_BALANCE:
            self._genesis_balance(ev)
            return
        handler = _HANDLERS.get(ev.type)
        if handler is None:
            return
        typed = ev.typed()
        assert typed is not None
        handler(self, ev, typed)
        self.events_applied += 1

    def apply_all(self, events: Sequence[RawEvent]) -> None:
        self.prefetch(events)
        for ev in events:
            self.apply(ev)

    # orders ---------------------------------------------------------------------------------

    def _touch(self, ev: RawEvent, order: Order) -> None:
        self.dirty.add(order.id)
        self.order_heights[order.id] = ev.height

    def _transition(self, ev: RawEvent, order: Order, to: int) -> None:
        """What ``lifecycle.transition`` does to the order: status, timeline, updated_at."""
        now = timestamp(ev.time_ns)
        order.status = to
        order.timeline.append(TimelineEntry(status=to, height=ev.height, time=now))
        order.updated_at.CopyFrom(now)

    def _must_order(self, ev: RawEvent, oid: str) -> Order:
        order = self.order(oid)
        if order is None:
            raise ViewError(f"{ev.type} at {ev.height}/{ev.tx_index}/{ev.index}: no order {oid}")
        self._touch(ev, order)
        return order

    def _outbox(self, ev: RawEvent, kind: str, order: Order | None, **data: Any) -> None:
        if not self.write_outbox:
            return
        from stateset_chain.indexer.outbox import outbox_row

        self.outbox_rows.append(outbox_row(ev, kind, order, data))

    def _order_created(self, ev: RawEvent, e: order_events.OrderCreated) -> None:
        order = Order()
        order.CopyFrom(e.order)
        self.orders[order.id] = order
        self.created.add(order.id)
        self._touch(ev, order)
        self._outbox(ev, "order.created", order)

    def _payment_received(self, ev: RawEvent, e: order_events.PaymentReceived) -> None:
        order = self._must_order(ev, e.order_id)
        order.payments.append(e.payment)
        order.amount_paid = e.amount_paid
        order.payment_status = payment_status(order)
        self._outbox(ev, "payment.received", order, payment=e.payment)

    def _order_paid(self, ev: RawEvent, e: order_events.OrderPaid) -> None:
        order = self._must_order(ev, e.order_id)
        self._transition(ev, order, OrderStatus.ORDER_STATUS_PAID)
        self._outbox(ev, "order.paid", order, payment=e.payment)

    def _order_fulfilled(self, ev: RawEvent, e: order_events.OrderFulfilled) -> None:
        order = self._must_order(ev, e.order_id)
        self._transition(ev, order, OrderStatus.ORDER_STATUS_FULFILLED)
        self._outbox(ev, "order.fulfilled", order)

    def _order_shipped(self, ev: RawEvent, e: order_events.OrderShipped) -> None:
        order = self._must_order(ev, e.order_id)
        self._transition(ev, order, OrderStatus.ORDER_STATUS_SHIPPED)
        order.shipping.CopyFrom(e.shipping)
        self._outbox(ev, "order.shipped", order)

    def _order_delivered(self, ev: RawEvent, e: order_events.OrderDelivered) -> None:
        order = self._must_order(ev, e.order_id)
        self._transition(ev, order, OrderStatus.ORDER_STATUS_DELIVERED)
        order.shipping.delivered_at.CopyFrom(e.delivered_at)
        order.settlement_due.CopyFrom(e.settlement_due)
        self._outbox(ev, "order.delivered", order)

    def _order_cancelled(self, ev: RawEvent, e: order_events.OrderCancelled) -> None:
        order = self._must_order(ev, e.order_id)
        self._transition(ev, order, OrderStatus.ORDER_STATUS_CANCELLED)
        refund = e.refund if e.HasField("refund") and e.refund.id else None
        if refund is not None:
            self._refund(order, refund)
        self._outbox(ev, "order.cancelled", order, refund=refund, reason=e.reason,
                     signer=e.signer)

    def _order_held(self, ev: RawEvent, e: order_events.OrderHeld) -> None:
        order = self._must_order(ev, e.order_id)
        self._transition(ev, order, OrderStatus.ORDER_STATUS_HELD)
        order.held_by = e.signer
        index = sum(1 for t in order.timeline if t.status == OrderStatus.ORDER_STATUS_HELD) - 1
        self.ops.append(("hold", (
            order.id, index, e.signer, e.reason, ev.height, _ns_dt(ev.time_ns),
        )))
        self._outbox(ev, "order.held", order, reason=e.reason, signer=e.signer)

    def _order_released(self, ev: RawEvent, e: order_events.OrderReleased) -> None:
        order = self._must_order(ev, e.order_id)
        index = sum(1 for t in order.timeline if t.status == OrderStatus.ORDER_STATUS_HELD) - 1
        self._transition(ev, order, OrderStatus.ORDER_STATUS_PAID)
        order.held_by = ""
        self.ops.append(("release", (
            e.signer, e.reason, ev.height, _ns_dt(ev.time_ns), order.id, index,
        )))
        self._outbox(ev, "order.released", order, reason=e.reason, signer=e.signer)

    def _order_returned(self, ev: RawEvent, e: order_events.OrderReturned) -> None:
        order = self._must_order(ev, e.order_id)
        _unschedule(order)
        self._transition(ev, order, OrderStatus.ORDER_STATUS_RETURNED)
        self._outbox(ev, "order.returned", order, reason=e.reason, signer=e.signer)

    def _order_refunded(self, ev: RawEvent, e: order_events.OrderRefunded) -> None:
        order = self._must_order(ev, e.order_id)
        self._refund(order, e.refund)
        if e.status != order.status:  # a refund that finishes the order (or a resolution's)
            self._transition(ev, order, e.status)
        self._outbox(ev, "order.refunded", order, refund=e.refund)

    def _order_disputed(self, ev: RawEvent, e: order_events.OrderDisputed) -> None:
        order = self._must_order(ev, e.order_id)
        order.dispute.CopyFrom(e.dispute)
        _unschedule(order)
        self._transition(ev, order, OrderStatus.ORDER_STATUS_DISPUTED)
        self._outbox(ev, "order.disputed", order, dispute=e.dispute)

    def _order_resolved(self, ev: RawEvent, e: order_events.OrderResolved) -> None:
        order = self._must_order(ev, e.order_id)
        if order.status != OrderStatus.ORDER_STATUS_RESOLVED:  # not yet moved by a refund
            self._transition(ev, order, OrderStatus.ORDER_STATUS_RESOLVED)
        order.dispute.CopyFrom(e.dispute)
        self._outbox(ev, "order.resolved", order, dispute=e.dispute)

    def _order_settled(self, ev: RawEvent, e: order_events.OrderSettled) -> None:
        order = self._must_order(ev, e.order_id)
        order.amount_settled += e.settlement.amount
        order.settled = True
        order.settlement.CopyFrom(e.settlement)
        order.payment_status = payment_status(order)
        self._outbox(ev, "order.settled", order, settlement=e.settlement)

    def _refund(self, order: Order, refund: Refund) -> None:
        """What ``escrow.refund`` does to the order: payments refunded oldest first."""
        left = refund.amount
        for payment in order.payments:
            part = min(left, payment.amount - payment.refunded)
            if part == 0:
                continue
            payment.refunded += part
            left -= part
            if left == 0:
                break
        order.refunds.append(refund)
        order.amount_refunded += refund.amount
        order.payment_status = payment_status(order)

    # cctp and cross-chain -------------------------------------------------------------------

    def _message_sent(self, ev: RawEvent, e: cctp_events.MessageSent) -> None:
        from stateset_chain.cctp.codec import keccak256

        self._scratch.last_message_hash = keccak256(e.message).hex()

    def _deposit_for_burn(self, ev: RawEvent, e: cctp_events.DepositForBurn) -> None:
        key = ("out", e.destination_domain, e.nonce)
        row = self.cctp.setdefault(key, {"order_id": None, "payment_id": None})
        row.update(
            amount=int(e.amount), token=e.burn_token, local_account=e.depositor,
            remote_account=_hex(e.mint_recipient), height=ev.height, tx_index=ev.tx_index,
            time=_ns_dt(ev.time_ns),
            message_hash=self._scratch.last_message_hash or row.get("message_hash", ""),
        )

    def _mint_and_withdraw(self, ev: RawEvent, e: cctp_events.MintAndWithdraw) -> None:
        recipient = _account_of_bytes32(e.mint_recipient)
        self._scratch.pending_mint = (recipient, int(e.amount), e.mint_token)

    def _message_received(self, ev: RawEvent, e: cctp_events.MessageReceived) -> None:
        mint, self._scratch.pending_mint = self._scratch.pending_mint, None
        if mint is None:
            return  # a message that minted nothing here (not a transfer)
        recipient, amount, token = mint
        link = self._scratch.inbound_link.get((e.source_domain, e.nonce), ("", "", ""))
        order_id, payment_id, message_hash = link
        self.cctp[("in", e.source_domain, e.nonce)] = {
            "amount": amount, "token": token, "local_account": recipient,
            "remote_account": _hex(e.sender), "message_hash": message_hash,
            "order_id": order_id or None, "payment_id": payment_id or None,
            "height": ev.height, "tx_index": ev.tx_index, "time": _ns_dt(ev.time_ns),
        }

    def _cross_chain_payment(self, ev: RawEvent, e: cctp_events.CrossChainPaymentReceived) -> None:
        self._scratch.inbound_link[(e.source_domain, e.nonce)] = (
            e.order_id, e.payment_id, _hex(e.message_hash),
        )
        order = self.order(e.order_id)
        payment = next((p for p in order.payments if p.id == e.payment_id), None) if order else None
        self._outbox(ev, "payment.cross_chain_received", order, payment=payment)

    def _cross_chain_refund(self, ev: RawEvent, e: cctp_events.CrossChainRefundInitiated) -> None:
        key = ("out", e.destination_domain, e.nonce)
        row = self.cctp.setdefault(key, {})
        row.update(order_id=e.order_id, payment_id=e.payment_id)
        row.setdefault("message_hash", _hex(e.message_hash))
        order = self.order(e.order_id)
        transfer = {
            "destination_domain": e.destination_domain, "amount": e.amount,
            "message_hash": _hex(e.message_hash), "mint_recipient": _hex(e.mint_recipient),
            "nonce": e.nonce, "payment_id": e.payment_id,
        }
        self._outbox(ev, "refund.cross_chain_initiated", order, transfer=transfer)

    def _unclaimed_credited(
        self, ev: RawEvent, e: crosschain_events.UnclaimedFundsCredited
    ) -> None:
        r = e.record
        link = ("", "", _hex(r.message_hash))
        self._scratch.inbound_link.setdefault((r.source_domain, r.nonce), link)
        self.ops.append(("unclaimed", (
            _hex(r.message_hash), r.source_domain, _hex(r.original_sender), r.nonce,
            int(r.amount or 0), r.denom, r.order_id, r.payment_id,
            type(r).DESCRIPTOR.fields_by_name["reason"].enum_type.values_by_number[r.reason].name
            .removeprefix("UNCLAIMED_REASON_"),
            r.detail, r.height, _opt_dt(r, "time") or _ns_dt(ev.time_ns),
        )))

    def _unclaimed_left(self, message_hash: bytes, remaining: str) -> None:
        left = int(remaining or 0)
        if left:
            self.ops.append(("unclaimed_left", (left, _hex(message_hash))))
        else:  # the record is removed on chain once empty
            self.ops.append(("unclaimed_gone", (_hex(message_hash),)))

    def _unclaimed_refunded(
        self, ev: RawEvent, e: crosschain_events.UnclaimedFundsRefunded
    ) -> None:
        self._unclaimed_left(e.message_hash, e.remaining)

    def _unclaimed_claimed(self, ev: RawEvent, e: crosschain_events.UnclaimedFundsClaimed) -> None:
        self._unclaimed_left(e.message_hash, e.remaining)

    # balances -------------------------------------------------------------------------------

    def _credit(self, addr: str, denom: str, amount: int, height: int) -> None:
        entry = self.balances.setdefault((addr, denom), [0, height])
        entry[0] += amount
        entry[1] = height

    def _coins_transferred(self, ev: RawEvent, e: bank_events.CoinsTransferred) -> None:
        for coin in e.amount:
            self._credit(e.sender, coin.denom, -int(coin.amount), ev.height)
            self._credit(e.recipient, coin.denom, int(coin.amount), ev.height)

    def _coins_minted(self, ev: RawEvent, e: bank_events.CoinsMinted) -> None:
        module = address.module_address(e.module)
        for coin in e.amount:
            self._credit(module, coin.denom, int(coin.amount), ev.height)

    def _coins_burned(self, ev: RawEvent, e: bank_events.CoinsBurned) -> None:
        module = address.module_address(e.module)
        for coin in e.amount:
            self._credit(module, coin.denom, -int(coin.amount), ev.height)

    def _genesis_balance(self, ev: RawEvent) -> None:
        addr = json.loads(ev.attribute("address") or '""')
        for coin in json.loads(ev.attribute("coins") or "[]"):
            self._credit(addr, coin["denom"], int(coin["amount"]), 0)

    # -- writing ----------------------------------------------------------------------------

    def flush(self) -> None:
        """Write every change of this batch (inside the caller's transaction)."""
        self._flush_orders()
        self._flush_ops()
        self._flush_cctp()
        self._flush_balances()
        self._flush_outbox()

    def _flush_orders(self) -> None:
        if not self.dirty:
            return
        ids = sorted(self.dirty)
        orders = [self.orders[i] for i in ids]
        docs = {o.id: to_json_dict(o) for o in orders}
        with self.conn.cursor() as cur:
            cur.executemany(_UPSERT_ORDER, [self._order_row(o, docs[o.id]) for o in orders])
            for table in ("order_timeline", "payments", "refunds", "shipments", "settlements",
                          "disputes"):
                cur.execute(f"DELETE FROM {table} WHERE order_id = ANY(%s)", (ids,))
            new = [o for o in orders if o.id in self.created]
            _copy(cur, "order_items", _ITEM_COLUMNS, (r for o in new for r in _item_rows(o)))
            _copy(cur, "order_timeline", _TIMELINE_COLUMNS,
                  (r for o in orders for r in _timeline_rows(o)))
            _copy(cur, "payments", _PAYMENT_COLUMNS, (r for o in orders for r in _payment_rows(o)))
            _copy(cur, "refunds", _REFUND_COLUMNS,
                  (r for o in orders for r in _refund_rows(o, docs[o.id])))
            _copy(cur, "shipments", _SHIPMENT_COLUMNS,
                  (r for o in orders for r in _shipment_rows(o)))
            _copy(cur, "settlements", _SETTLEMENT_COLUMNS,
                  (r for o in orders for r in _settlement_rows(o)))
            _copy(cur, "disputes", _DISPUTE_COLUMNS, (r for o in orders for r in _dispute_rows(o)))

    def _order_row(self, o: Order, doc: dict) -> tuple:
        created_ns = o.created_at.seconds * NS + o.created_at.nanos
        created_height = o.timeline[0].height if o.timeline else self.order_heights[o.id]
        return (
            o.id, o.sequence, o.client_order_id, o.name, o.number, o.source, o.customer,
            o.merchant, o.creator, o.currency, o.denom, o.preferred_payment_method, o.subtotal,
            o.tax_rate_bps, o.tax, o.shipping_fee, o.total, _short(o.status),
            _payment_short(o.payment_status), o.amount_paid, o.amount_refunded, o.amount_settled,
            Jsonb(doc.get("shipping_address", {})), Jsonb(dict(o.metadata)),
            Jsonb(doc["revenue_split"]) if o.HasField("revenue_split") else None,
            o.held_by, _opt_dt(o, "settlement_due"), o.settled, _ns_dt(created_ns),
            _opt_dt(o, "updated_at") or _ns_dt(created_ns), created_height,
            self.order_heights[o.id], Jsonb(doc),
        )

    def _flush_ops(self) -> None:
        with self.conn.cursor() as cur:
            for kind, args in self.ops:
                cur.execute(_OPS[kind], args)

    def _flush_cctp(self) -> None:
        rows = []
        for (direction, domain, nonce), r in sorted(self.cctp.items()):
            if "height" not in r:  # a link to a transfer written by an earlier batch
                rows.append((direction, domain, nonce, r.get("order_id"), r.get("payment_id")))
                continue
            self.conn.execute(_UPSERT_CCTP, (
                direction, domain, nonce, r["amount"], r["token"], r["local_account"],
                r["remote_account"], r.get("message_hash", ""), r.get("order_id"),
                r.get("payment_id"), r["height"], r["tx_index"], r["time"],
            ))
        for direction, domain, nonce, order_id, payment_id in rows:
            self.conn.execute(
                "UPDATE cctp_transfers SET order_id = %s, payment_id = %s "
                "WHERE direction = %s AND remote_domain = %s AND nonce = %s",
                (order_id, payment_id, direction, domain, nonce),
            )

    def _flush_balances(self) -> None:
        rows = [(a, d, delta, h) for (a, d), (delta, h) in sorted(self.balances.items())]
        if not rows:
            return
        with self.conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO balances (address, denom, amount, height) VALUES (%s, %s, %s, %s) "
                "ON CONFLICT (address, denom) DO UPDATE "
                "SET amount = balances.amount + EXCLUDED.amount, height = EXCLUDED.height",
                rows,
            )

    def _flush_outbox(self) -> None:
        if not self.outbox_rows:
            return
        from stateset_chain.indexer.outbox import OUTBOX_COLUMNS

        with self.conn.cursor() as cur:
            _copy(cur, "webhook_outbox", OUTBOX_COLUMNS, self.outbox_rows)


class ViewError(RuntimeError):
    """An event the views cannot apply (an order they do not know): the views are broken."""


def _unschedule(order: Order) -> None:
    """What ``settlement.unschedule`` does to the order."""
    if order.HasField("settlement_due") and not order.settled:
        order.ClearField("settlement_due")


_HANDLERS = {
    "stateset.orders.v1.OrderCreated": ViewBatch._order_created,
    "stateset.orders.v1.PaymentReceived": ViewBatch._payment_received,
    "stateset.orders.v1.OrderPaid": ViewBatch._order_paid,
    "stateset.orders.v1.OrderFulfilled": ViewBatch._order_fulfilled,
    "stateset.orders.v1.OrderShipped": ViewBatch._order_shipped,
    "stateset.orders.v1.OrderDelivered": ViewBatch._order_delivered,
    "stateset.orders.v1.OrderCancelled": ViewBatch._order_cancelled,
    "stateset.orders.v1.OrderHeld": ViewBatch._order_held,
    "stateset.orders.v1.OrderReleased": ViewBatch._order_released,
    "stateset.orders.v1.OrderReturned": ViewBatch._order_returned,
    "stateset.orders.v1.OrderRefunded": ViewBatch._order_refunded,
    "stateset.orders.v1.OrderDisputed": ViewBatch._order_disputed,
    "stateset.orders.v1.OrderResolved": ViewBatch._order_resolved,
    "stateset.orders.v1.OrderSettled": ViewBatch._order_settled,
    "stateset.cctp.v1.MessageSent": ViewBatch._message_sent,
    "stateset.cctp.v1.DepositForBurn": ViewBatch._deposit_for_burn,
    "stateset.cctp.v1.MintAndWithdraw": ViewBatch._mint_and_withdraw,
    "stateset.cctp.v1.MessageReceived": ViewBatch._message_received,
    "stateset.cctp.v1.CrossChainPaymentReceived": ViewBatch._cross_chain_payment,
    "stateset.cctp.v1.CrossChainRefundInitiated": ViewBatch._cross_chain_refund,
    "stateset.crosschain.v1.UnclaimedFundsCredited": ViewBatch._unclaimed_credited,
    "stateset.crosschain.v1.UnclaimedFundsRefunded": ViewBatch._unclaimed_refunded,
    "stateset.crosschain.v1.UnclaimedFundsClaimed": ViewBatch._unclaimed_claimed,
    "stateset.bank.v1.CoinsTransferred": ViewBatch._coins_transferred,
    "stateset.bank.v1.CoinsMinted": ViewBatch._coins_minted,
    "stateset.bank.v1.CoinsBurned": ViewBatch._coins_burned,
}

_ORDER_COLUMNS = (
    "id", "sequence", "client_order_id", "name", "number", "source", "customer", "merchant",
    "creator", "currency", "denom", "preferred_payment_method", "subtotal", "tax_rate_bps", "tax",
    "shipping_fee", "total", "status", "payment_status", "amount_paid", "amount_refunded",
    "amount_settled", "shipping_address", "metadata", "revenue_split", "held_by",
    "settlement_due", "settled", "created_at", "updated_at", "created_height", "updated_height",
    "doc",
)
_UPSERT_ORDER = (
    f"INSERT INTO orders ({', '.join(_ORDER_COLUMNS)}) "
    f"VALUES ({', '.join(['%s'] * len(_ORDER_COLUMNS))}) ON CONFLICT (id) DO UPDATE SET "
    + ", ".join(f"{c} = EXCLUDED.{c}" for c in _ORDER_COLUMNS[1:])
)

_ITEM_COLUMNS = ("order_id", "index", "sku", "product_id", "name", "description", "quantity",
                 "unit_price", "unit_price_amount", "line_total")
_TIMELINE_COLUMNS = ("order_id", "index", "status", "height", "time")
_PAYMENT_COLUMNS = ("id", "order_id", "index", "payer", "amount", "denom", "method", "refunded",
                    "height", "time", "cross_chain", "source_domain", "message_hash",
                    "original_sender", "cross_chain_nonce")
_REFUND_COLUMNS = ("id", "order_id", "index", "amount", "denom", "reason", "signer", "payouts",
                   "height", "time")
_SHIPMENT_COLUMNS = ("order_id", "method", "carrier", "tracking_number", "estimated_delivery",
                     "shipped_at", "delivered_at")
_SETTLEMENT_COLUMNS = ("order_id", "party", "recipient", "amount", "denom", "height", "time")
_DISPUTE_COLUMNS = ("order_id", "opened_by", "reason", "evidence", "previous_status",
                    "opened_at", "outcome", "refund_amount", "note", "resolved_by", "resolved_at")


def _item_rows(o: Order):
    for i, it in enumerate(o.items):
        yield (o.id, i, it.sku, it.product_id, it.name, it.description, it.quantity,
               it.unit_price, it.unit_price_amount, it.line_total)


def _timeline_rows(o: Order):
    for i, t in enumerate(o.timeline):
        yield (o.id, i, _short(t.status), t.height, _dt(t.time))


def _payment_rows(o: Order):
    for i, p in enumerate(o.payments):
        cc = p.cross_chain if p.HasField("cross_chain") else None
        yield (p.id, o.id, i, p.payer, p.amount, p.denom, p.method, p.refunded, p.height,
               _dt(p.time), cc is not None, cc.source_domain if cc else None,
               cc.message_hash if cc else None, cc.original_sender if cc else None,
               cc.nonce if cc else None)


def _refund_rows(o: Order, doc: dict):
    for i, r in enumerate(o.refunds):
        payouts = doc["refunds"][i].get("payouts", [])
        yield (r.id, o.id, i, r.amount, r.denom, r.reason, r.signer, Jsonb(payouts), r.height,
               _dt(r.time))


def _shipment_rows(o: Order):
    s = o.shipping
    if not (s.carrier or s.HasField("shipped_at") or s.method):
        return
    yield (o.id, s.method, s.carrier, s.tracking_number, _opt_dt(s, "estimated_delivery"),
           _opt_dt(s, "shipped_at"), _opt_dt(s, "delivered_at"))


def _settlement_rows(o: Order):
    if not o.HasField("settlement"):
        return
    s = o.settlement
    for party, recipient, amount in (("merchant", s.merchant, s.merchant_amount),
                                     ("supplier", s.supplier, s.supplier_amount),
                                     ("platform", s.platform, s.platform_amount)):
        if amount:
            yield (o.id, party, recipient, amount, s.denom, s.height, _dt(s.time))


def _dispute_rows(o: Order):
    if not o.HasField("dispute"):
        return
    d = o.dispute
    resolved = d.outcome != DisputeOutcome.DISPUTE_OUTCOME_UNSPECIFIED
    yield (o.id, d.opened_by, d.reason, Jsonb(list(d.evidence)), _short(d.previous_status),
           _dt(d.opened_at),
           DisputeOutcome.Name(d.outcome).removeprefix("DISPUTE_OUTCOME_") if resolved else None,
           d.refund_amount if resolved else None, d.note if resolved else None,
           d.resolved_by if resolved else None, _opt_dt(d, "resolved_at"))


_OPS = {
    "hold": "INSERT INTO holds (order_id, index, held_by, reason, held_height, held_at) "
            "VALUES (%s, %s, %s, %s, %s, %s)",
    "release": "UPDATE holds SET released_by = %s, release_reason = %s, released_height = %s, "
               "released_at = %s WHERE order_id = %s AND index = %s",
    "unclaimed": "INSERT INTO unclaimed_funds (message_hash, source_domain, original_sender, "
                 "nonce, amount, denom, order_id, payment_id, reason, detail, height, time) "
                 "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
                 "ON CONFLICT (message_hash) DO UPDATE SET amount = EXCLUDED.amount, "
                 "reason = EXCLUDED.reason, detail = EXCLUDED.detail",
    "unclaimed_left": "UPDATE unclaimed_funds SET amount = %s WHERE message_hash = %s",
    "unclaimed_gone": "DELETE FROM unclaimed_funds WHERE message_hash = %s",
}

_UPSERT_CCTP = (
    "INSERT INTO cctp_transfers (direction, remote_domain, nonce, amount, token, local_account, "
    "remote_account, message_hash, order_id, payment_id, height, tx_index, time) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
    "ON CONFLICT (direction, remote_domain, nonce) DO UPDATE SET amount = EXCLUDED.amount, "
    "local_account = EXCLUDED.local_account, remote_account = EXCLUDED.remote_account, "
    "message_hash = COALESCE(NULLIF(EXCLUDED.message_hash, ''), cctp_transfers.message_hash), "
    "order_id = COALESCE(EXCLUDED.order_id, cctp_transfers.order_id), "
    "payment_id = COALESCE(EXCLUDED.payment_id, cctp_transfers.payment_id)"
)


def _copy(cur, table: str, columns: Sequence[str], rows: Iterable[tuple]) -> None:
    rows = list(rows)
    if not rows:
        return
    with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


# -- rebuild --------------------------------------------------------------------------------


def stored_version(conn: Connection) -> int | None:
    row = conn.execute("SELECT version FROM view_versions WHERE view = %s", (VIEW_NAME,)).fetchone()
    return row[0] if row else None


def set_version(conn: Connection, version: int = VIEWS_VERSION) -> None:
    conn.execute(
        "INSERT INTO view_versions (view, version) VALUES (%s, %s) "
        "ON CONFLICT (view) DO UPDATE SET version = EXCLUDED.version",
        (VIEW_NAME, version),
    )


def read_events(conn: Connection, after: int = -1, upto: int | None = None,
                chunk: int = 2000) -> Iterable[list[RawEvent]]:
    """The stored raw events in chain order, ``chunk`` heights at a time."""
    top = conn.execute("SELECT coalesce(max(height), -1) FROM events").fetchone()
    last = top[0] if top else -1
    if upto is not None:
        last = min(last, upto)
    start = after + 1
    while start <= last:
        end = min(start + chunk - 1, last)
        attributes: dict[tuple[int, int, int], list[tuple[str, str]]] = {}
        for h, t, e, k, v in conn.execute(
            "SELECT height, tx_index, event_index, key, value FROM event_attributes "
            "WHERE height BETWEEN %s AND %s ORDER BY height, tx_index, event_index, index",
            (start, end),
        ):
            attributes.setdefault((h, t, e), []).append((k, v))
        rows = conn.execute(
            "SELECT e.height, e.tx_index, e.index, e.type, coalesce(b.time_ns, 0) "
            "FROM events e LEFT JOIN blocks b ON b.height = e.height "
            "WHERE e.height BETWEEN %s AND %s "
            "ORDER BY e.height, (e.tx_index = -1), e.tx_index, e.index",
            (start, end),
        ).fetchall()
        yield [
            RawEvent(h, t, i, typ, attributes.get((h, t, i), []), time_ns)
            for h, t, i, typ, time_ns in rows
        ]
        start = end + 1


def rebuild(conn: Connection) -> int:
    """Empty the typed views and derive them again from the raw events, in one transaction;
    returns the number of events applied. The webhook outbox is left as it is (its rows are
    the same either way: their ids come from where the events are)."""
    applied = 0
    with conn.transaction():
        conn.execute(f"TRUNCATE {', '.join(TYPED_TABLES)}")
        for events in read_events(conn):
            batch = ViewBatch(conn, outbox=False)
            batch.apply_all(events)
            batch.flush()
            applied += batch.events_applied
        set_version(conn)
    return applied
