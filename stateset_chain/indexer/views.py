"""The typed views: orders and their parts, CCTP transfers, unclaimed funds, balances.

They are kept from the chain's typed events alone (``stateset_chain/events.py``: each attribute
is a proto field's JSON), so the same code serves live ingest and ``rebuild`` (which replays the
``events`` table). Each order is held as its proto JSON (``OrderCreated`` carries the whole
order, already in that form), changed by each event the way the orders module changed the
``Order`` (the status moves through the same timeline stamps, refunds walk the payments oldest
first, ``payment_status`` follows ``escrow.payment_status``); ``orders.doc`` is then exactly what
the chain's ``Order`` query returns, and the tests compare the two. Working on JSON rather than
protobuf objects is what makes catch-up fast (no proto parsing or printing per event).

A ``ViewBatch`` lives for one database transaction: it loads the orders it needs, applies the
events of one or more blocks in chain order, and ``flush`` writes every change (plus the webhook
outbox rows, see ``outbox``) with COPY and batched statements. ``VIEWS_VERSION`` names the
derivation; bump it when the derivation changes and the views are rebuilt on the next start.

Genesis balances enter as synthetic raw events at height 0 (type ``genesis.balance``, attributes
``address`` and ``coins``), so a rebuild needs nothing but the ``events`` table.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from psycopg import Connection
from psycopg.types.json import Jsonb

from stateset_chain.crypto import address
from stateset_chain.readside.jsoncodec import dumps
from stateset_chain.readside.jsoncodec import loads as _loads
from stateset_chain.readside.render import order_json, render_order
from stateset_chain.timefmt import NS, ns_datetime, timestamp_json

# 2: fiat-priced orders (exchange rate, stablecoin amounts), VAT, import duty;
# 3: orders.api_json (the order's API JSON, written with the row)
# 4: the oracle's rates (rates, rate_history)
VIEWS_VERSION = 4
VIEW_NAME = "typed"
GENESIS_BALANCE = "genesis.balance"
GENESIS_RATE = "genesis.rate"  # attribute ``rate``: an AcceptedRate's JSON
BLOCK_EVENT = -1  # tx_index of a FinalizeBlock event

# The tables a rebuild empties (the raw tables, the watermark and the outbox stay).
TYPED_TABLES = (
    "holds", "disputes", "settlements", "shipments", "refunds", "payments", "order_timeline",
    "order_items", "orders", "cctp_transfers", "unclaimed_funds", "balances", "rates",
    "rate_history",
)

Doc = dict[str, Any]  # an order (or a part of one) as proto JSON


@dataclass(frozen=True)
class RawEvent:
    """One event as the chain emitted it: where (height, tx index or -1, index) and what."""

    height: int
    tx_index: int
    index: int
    type: str
    attributes: Sequence[tuple[str, str]]
    time_ns: int  # the block time

    def fields(self) -> dict[str, Any]:
        """A typed event's fields: each attribute's JSON decoded (``msg_index`` left out)."""
        return {k: _loads(v) for k, v in self.attributes if k != "msg_index"}

    def attribute(self, key: str) -> str | None:
        for k, v in self.attributes:
            if k == key:
                return v
        return None


def event_id(height: int, tx_index: int, index: int) -> str:
    """The stable id of an event: ``evt_<height>_<tx index | b>_<event index>``."""
    tx = "b" if tx_index == BLOCK_EVENT else str(tx_index)
    return f"evt_{height}_{tx}_{index}"


def time_text(ns: int) -> str:
    """Unix ns as proto JSON writes a Timestamp (RFC 3339, 'Z', 0/3/6/9 fractional digits)."""
    return timestamp_json(*divmod(ns, NS))


def _b64hex(value: str | None) -> str:
    """A bytes field's JSON (base64) as lower-case hex."""
    return base64.b64decode(value or "").hex()


def _account_of_bytes32(value: str) -> str:
    """A bytes32 mint recipient (base64) as a local bech32 address (its last 20 bytes), else hex."""
    data = base64.b64decode(value or "")
    if len(data) == 32 and data[:12] == bytes(12):
        return address.encode(data[12:])
    return data.hex()


def _short(status: str) -> str:
    return status.removeprefix("ORDER_STATUS_")


def _payment_short(status: str) -> str:
    return status.removeprefix("PAYMENT_STATUS_")


def _int(doc: Doc, key: str) -> int:
    return int(doc.get(key) or 0)


def is_fiat(order: Doc) -> bool:
    """``orders.fx.is_fiat``: a fiat ISO 4217 code is stored upper-case, USD currencies not."""
    c = order.get("currency", "")
    return len(c) == 3 and c.isascii() and c.isalpha() and c.isupper()


def payable(order: Doc) -> int:
    """``orders.fx.payable``: the total in the denom."""
    return _int(order, "stablecoin_total") if is_fiat(order) else _int(order, "total")


def payment_status(order: Doc) -> str:
    """``escrow.payment_status`` on the proto JSON of an order (the tests compare the two)."""
    paid, refunded = _int(order, "amount_paid"), _int(order, "amount_refunded")
    if paid == 0:
        return "PAYMENT_STATUS_UNPAID"
    if refunded == paid:
        return "PAYMENT_STATUS_REFUNDED"
    if order.get("settled"):
        return "PAYMENT_STATUS_SETTLED"
    if refunded:
        return "PAYMENT_STATUS_PARTIALLY_REFUNDED"
    if paid < payable(order):
        return "PAYMENT_STATUS_PARTIALLY_PAID"
    return "PAYMENT_STATUS_PAID"


@dataclass
class _TxScratch:
    """CCTP events of one tx that only make a row together."""

    last_message_hash: str = ""
    pending_mint: tuple[str, int, str] | None = None  # (recipient, amount, token)
    inbound_link: dict[tuple[int, int], tuple[str, str, str]] = field(default_factory=dict)
    # FraudAssessed at CREATE, by order id: it comes before OrderCreated, which leaves it out
    created_fraud: dict[str, Doc] = field(default_factory=dict)


class ViewError(RuntimeError):
    """An event the views cannot apply (an order they do not know): the views are broken."""


# Event types that name an order (``order_id``): the orders module's, and the cross-chain
# payments and refunds (``stateset.crosschain.v1``; ``stateset.cctp.v1`` in older blocks).
ORDER_EVENT_PREFIXES = (
    "stateset.orders.v1.",
    "stateset.compliance.v1.FraudAssessed",
    "stateset.compliance.v1.OrderFrozen",
    "stateset.crosschain.v1.CrossChain",
    "stateset.cctp.v1.CrossChain",
)


class ViewBatch:
    """The view changes of one transaction (see the module docstring)."""

    def __init__(self, conn: Connection, outbox: bool = True) -> None:
        self.conn = conn
        self.write_outbox = outbox
        self.orders: dict[str, Doc] = {}
        self.stored: set[str] = set()        # orders that exist in the database
        self.absent: set[str] = set()        # orders looked up and not in the database
        self.dirty: set[str] = set()         # orders changed in this batch
        self.order_heights: dict[str, int] = {}
        self.balances: dict[tuple[str, str], list[int]] = {}  # -> [delta, height]
        self.cctp: dict[tuple[str, int, int], dict[str, Any]] = {}
        self.ops: list[tuple[str, tuple]] = []  # holds + unclaimed, in chain order
        self.outbox_rows: list[tuple] = []
        # the API rendering of an order as it is now, when a webhook payload made it after the
        # order's last change: its api_json is that rendering, not a second one
        self.rendered: dict[str, Doc] = {}
        self.events_applied = 0
        self._scratch = _TxScratch()
        self._scratch_key: tuple[int, int] | None = None

    # -- loading ----------------------------------------------------------------------------

    def prefetch(self, events: Iterable[RawEvent]) -> None:
        """Load, in one query, every stored order these events touch."""
        wanted = set()
        for ev in events:
            if ev.type.startswith(ORDER_EVENT_PREFIXES):
                raw = ev.attribute("order_id")
                if raw:
                    wanted.add(_loads(raw))
        self._load(wanted - self.orders.keys())

    def _load(self, ids: set[str]) -> None:
        if not ids:
            return
        rows = self.conn.execute(
            "SELECT id, doc, updated_height FROM orders WHERE id = ANY(%s)", (list(ids),)
        ).fetchall()
        for oid, doc, height in rows:
            self.orders[oid] = doc
            self.stored.add(oid)
            self.order_heights.setdefault(oid, height)
        # not in the database (yet): an order created in this batch comes in by its
        # OrderCreated; asking again per event (a FraudAssessed precedes each OrderCreated)
        # would be a round trip per new order
        self.absent.update(ids - self.orders.keys())

    def order(self, oid: str) -> Doc | None:
        if oid not in self.orders and oid not in self.absent:
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
        if ev.type == GENESIS_RATE:
            self._rate_accepted(ev, ev.fields())
            return
        handler = _HANDLERS.get(ev.type)
        if handler is None:
            return
        handler(self, ev, ev.fields())
        self.events_applied += 1

    def apply_all(self, events: Sequence[RawEvent]) -> None:
        self.prefetch(events)
        for ev in events:
            self.apply(ev)

    # orders ---------------------------------------------------------------------------------

    def _must_order(self, ev: RawEvent, oid: str) -> Doc:
        order = self.order(oid)
        if order is None:
            raise ViewError(f"{ev.type} at {ev.height}/{ev.tx_index}/{ev.index}: no order {oid}")
        self.dirty.add(oid)
        self.order_heights[oid] = ev.height
        self.rendered.pop(oid, None)  # about to change
        return order

    @staticmethod
    def _transition(ev: RawEvent, order: Doc, to: str) -> None:
        """What ``lifecycle.transition`` does to the order: status, timeline, updated_at."""
        now = time_text(ev.time_ns)
        order["status"] = to
        order.setdefault("timeline", []).append(
            {"status": to, "height": str(ev.height), "time": now}
        )
        order["updated_at"] = now

    def _outbox(self, ev: RawEvent, kind: str, order: Doc | None, **data: Any) -> None:
        if not self.write_outbox:
            return
        from stateset_chain.indexer.outbox import outbox_row

        rendered = render_order(order) if order is not None else None
        self.outbox_rows.append(outbox_row(ev, kind, order, data, rendered))
        if order is not None and rendered is not None and self.orders.get(order["id"]) is order:
            self.rendered[order["id"]] = rendered

    def _order_created(self, ev: RawEvent, e: Doc) -> None:
        order = e["order"]
        # What the event leaves out (orders/msgs/create.py event_view): the CREATED stamps of
        # its block, and the fraud score the FraudAssessed before it carried. An event of an
        # older block carries them itself.
        now = time_text(ev.time_ns)
        if not order.get("timeline"):
            order["timeline"] = [
                {"status": "ORDER_STATUS_CREATED", "height": str(ev.height), "time": now}
            ]
        order.setdefault("created_at", now)
        order.setdefault("updated_at", now)
        fraud = self._scratch.created_fraud.pop(order["id"], None)
        if fraud is not None:
            order.setdefault("fraud", fraud)
        self.orders[order["id"]] = order
        self.rendered.pop(order["id"], None)
        self.dirty.add(order["id"])
        self.order_heights[order["id"]] = ev.height
        self._outbox(ev, "order.created", order)

    def _fraud_assessed(self, ev: RawEvent, e: Doc) -> None:
        if self.order(e["order_id"]) is None:
            # the assessment at create comes before OrderCreated, which leaves it out
            self._scratch.created_fraud[e["order_id"]] = e["assessment"]
            return
        order = self._must_order(ev, e["order_id"])
        order["fraud"] = e["assessment"]

    def _order_frozen(self, ev: RawEvent, e: Doc) -> None:
        order = self._must_order(ev, e["order_id"])
        order["compliance"] = e["decision"]

    def _payment_received(self, ev: RawEvent, e: Doc) -> None:
        order = self._must_order(ev, e["order_id"])
        order.setdefault("payments", []).append(e["payment"])
        order["amount_paid"] = e["amount_paid"]
        order["payment_status"] = payment_status(order)
        self._outbox(ev, "payment.received", order, payment=e["payment"])

    def _order_paid(self, ev: RawEvent, e: Doc) -> None:
        order = self._must_order(ev, e["order_id"])
        self._transition(ev, order, "ORDER_STATUS_PAID")
        # OrderPaid leaves out the payment that PaymentReceived, just before it, carried (an
        # event of an older block carries it itself)
        payment = e.get("payment") or (order.get("payments") or [None])[-1]
        self._outbox(ev, "order.paid", order, payment=payment)

    def _exchange_rate_locked(self, ev: RawEvent, e: Doc) -> None:
        """A fiat order's rate locked (at creation, right after OrderCreated, or at its first
        payment): its amount due in the denom is fixed from it."""
        order = self._must_order(ev, e["order_id"])
        order["exchange_rate"] = e["lock"]
        order["stablecoin_total"] = e["lock"]["amount_due"]

    def _order_fulfilled(self, ev: RawEvent, e: Doc) -> None:
        order = self._must_order(ev, e["order_id"])
        self._transition(ev, order, "ORDER_STATUS_FULFILLED")
        self._outbox(ev, "order.fulfilled", order)

    def _order_shipped(self, ev: RawEvent, e: Doc) -> None:
        order = self._must_order(ev, e["order_id"])
        self._transition(ev, order, "ORDER_STATUS_SHIPPED")
        order["shipping"] = e["shipping"]
        self._outbox(ev, "order.shipped", order)

    def _order_delivered(self, ev: RawEvent, e: Doc) -> None:
        order = self._must_order(ev, e["order_id"])
        self._transition(ev, order, "ORDER_STATUS_DELIVERED")
        order.setdefault("shipping", {})["delivered_at"] = e["delivered_at"]
        order["settlement_due"] = e["settlement_due"]
        self._outbox(ev, "order.delivered", order)

    def _order_cancelled(self, ev: RawEvent, e: Doc) -> None:
        order = self._must_order(ev, e["order_id"])
        self._transition(ev, order, "ORDER_STATUS_CANCELLED")
        refund = e.get("refund")
        if refund and refund.get("id"):
            self._refund(order, refund)
        else:
            refund = None
        self._outbox(ev, "order.cancelled", order, refund=refund, reason=e.get("reason", ""),
                     signer=e.get("signer", ""))

    @staticmethod
    def _holds(order: Doc) -> int:
        return sum(1 for t in order.get("timeline", []) if t["status"] == "ORDER_STATUS_HELD")

    def _order_held(self, ev: RawEvent, e: Doc) -> None:
        order = self._must_order(ev, e["order_id"])
        self._transition(ev, order, "ORDER_STATUS_HELD")
        order["held_by"] = e["signer"]
        order["held_from"] = e["held_from"]
        order["hold_reason"] = e["hold_reason"]
        self.ops.append(("hold", (
            order["id"], self._holds(order) - 1, e["signer"], e.get("reason", ""), ev.height,
            ns_datetime(ev.time_ns),
        )))
        self._outbox(ev, "order.held", order, reason=e.get("reason", ""), signer=e["signer"])

    def _order_released(self, ev: RawEvent, e: Doc) -> None:
        order = self._must_order(ev, e["order_id"])
        index = self._holds(order) - 1
        if "compliance" in e:  # a compliance hold's release records the CLEAR decision
            order["compliance"] = e["compliance"]
        order["held_from"] = "ORDER_STATUS_UNSPECIFIED"  # the chain's JSON keeps defaults
        self._transition(ev, order, e["status"])
        if "settlement_due" in e:  # a DELIVERED order, due again
            order["settlement_due"] = e["settlement_due"]
        order["held_by"] = ""
        order["hold_reason"] = ""
        self.ops.append(("release", (
            e["signer"], e.get("reason", ""), ev.height, ns_datetime(ev.time_ns), order["id"],
            index,
        )))
        self._outbox(ev, "order.released", order, reason=e.get("reason", ""), signer=e["signer"])

    def _order_returned(self, ev: RawEvent, e: Doc) -> None:
        order = self._must_order(ev, e["order_id"])
        _unschedule(order)
        self._transition(ev, order, "ORDER_STATUS_RETURNED")
        self._outbox(ev, "order.returned", order, reason=e.get("reason", ""),
                     signer=e.get("signer", ""))

    def _order_refunded(self, ev: RawEvent, e: Doc) -> None:
        order = self._must_order(ev, e["order_id"])
        self._refund(order, e["refund"])
        if e["status"] != order["status"]:  # a refund that finishes the order (or a resolution's)
            self._transition(ev, order, e["status"])
        self._outbox(ev, "order.refunded", order, refund=e["refund"])

    def _order_disputed(self, ev: RawEvent, e: Doc) -> None:
        order = self._must_order(ev, e["order_id"])
        order["dispute"] = e["dispute"]
        _unschedule(order)
        self._transition(ev, order, "ORDER_STATUS_DISPUTED")
        self._outbox(ev, "order.disputed", order, dispute=e["dispute"])

    def _order_resolved(self, ev: RawEvent, e: Doc) -> None:
        order = self._must_order(ev, e["order_id"])
        if order["status"] != "ORDER_STATUS_RESOLVED":  # not yet moved by a refund
            self._transition(ev, order, "ORDER_STATUS_RESOLVED")
        order["dispute"] = e["dispute"]
        self._outbox(ev, "order.resolved", order, dispute=e["dispute"])

    def _order_settled(self, ev: RawEvent, e: Doc) -> None:
        order = self._must_order(ev, e["order_id"])
        settlement = e["settlement"]
        order["amount_settled"] = str(_int(order, "amount_settled") + _int(settlement, "amount"))
        order["settled"] = True
        order["settlement"] = settlement
        order["payment_status"] = payment_status(order)
        self._outbox(ev, "order.settled", order, settlement=settlement)

    @staticmethod
    def _refund(order: Doc, refund: Doc) -> None:
        """What ``escrow.refund`` does to the order: payments refunded oldest first."""
        left = _int(refund, "amount")
        for payment in order.get("payments", []):
            part = min(left, _int(payment, "amount") - _int(payment, "refunded"))
            if part == 0:
                continue
            payment["refunded"] = str(_int(payment, "refunded") + part)
            left -= part
            if left == 0:
                break
        order.setdefault("refunds", []).append(refund)
        order["amount_refunded"] = str(_int(order, "amount_refunded") + _int(refund, "amount"))
        if _int(refund, "fiat_amount"):  # a fiat order's refund, named in its currency
            order["amount_refunded_fiat"] = str(
                _int(order, "amount_refunded_fiat") + _int(refund, "fiat_amount")
            )
        order["payment_status"] = payment_status(order)

    # cctp and cross-chain -------------------------------------------------------------------

    def _message_sent(self, ev: RawEvent, e: Doc) -> None:
        from stateset_chain.cctp.codec import keccak256

        self._scratch.last_message_hash = keccak256(base64.b64decode(e["message"])).hex()

    def _deposit_for_burn(self, ev: RawEvent, e: Doc) -> None:
        key = ("out", int(e.get("destination_domain", 0)), int(e.get("nonce", 0)))
        row = self.cctp.setdefault(key, {"order_id": None, "payment_id": None})
        row.update(
            amount=int(e.get("amount") or 0), token=e.get("burn_token", ""),
            local_account=e.get("depositor", ""), remote_account=_b64hex(e.get("mint_recipient")),
            height=ev.height, tx_index=ev.tx_index, time=ns_datetime(ev.time_ns),
            message_hash=self._scratch.last_message_hash or row.get("message_hash", ""),
        )

    def _mint_and_withdraw(self, ev: RawEvent, e: Doc) -> None:
        recipient = _account_of_bytes32(e.get("mint_recipient", ""))
        self._scratch.pending_mint = (recipient, int(e.get("amount") or 0), e.get("mint_token", ""))

    def _message_received(self, ev: RawEvent, e: Doc) -> None:
        mint, self._scratch.pending_mint = self._scratch.pending_mint, None
        if mint is None:
            return  # a message that minted nothing here (not a transfer)
        recipient, amount, token = mint
        domain, nonce = int(e.get("source_domain", 0)), int(e.get("nonce", 0))
        order_id, payment_id, message_hash = self._scratch.inbound_link.get(
            (domain, nonce), ("", "", "")
        )
        self.cctp[("in", domain, nonce)] = {
            "amount": amount, "token": token, "local_account": recipient,
            "remote_account": _b64hex(e.get("sender")), "message_hash": message_hash,
            "order_id": order_id or None, "payment_id": payment_id or None,
            "height": ev.height, "tx_index": ev.tx_index, "time": ns_datetime(ev.time_ns),
        }

    def _cross_chain_payment(self, ev: RawEvent, e: Doc) -> None:
        domain, nonce = int(e.get("source_domain", 0)), int(e.get("nonce", 0))
        self._scratch.inbound_link[(domain, nonce)] = (
            e["order_id"], e.get("payment_id", ""), _b64hex(e.get("message_hash")),
        )
        order = self.order(e["order_id"])
        payment = None
        if order is not None:
            payment = next((p for p in order.get("payments", [])
                            if p.get("id") == e.get("payment_id")), None)
        self._outbox(ev, "payment.cross_chain_received", order, payment=payment)

    def _cross_chain_refund(self, ev: RawEvent, e: Doc) -> None:
        key = ("out", int(e.get("destination_domain", 0)), int(e.get("nonce", 0)))
        row = self.cctp.setdefault(key, {})
        row.update(order_id=e["order_id"], payment_id=e.get("payment_id", ""))
        row.setdefault("message_hash", _b64hex(e.get("message_hash")))
        transfer = {
            "destination_domain": int(e.get("destination_domain", 0)),
            "amount": e.get("amount", "0"), "message_hash": _b64hex(e.get("message_hash")),
            "mint_recipient": _b64hex(e.get("mint_recipient")), "nonce": int(e.get("nonce", 0)),
            "payment_id": e.get("payment_id", ""),
        }
        self._outbox(ev, "refund.cross_chain_initiated", self.order(e["order_id"]),
                     transfer=transfer)

    def _unclaimed_credited(self, ev: RawEvent, e: Doc) -> None:
        r = e["record"]
        message_hash = _b64hex(r.get("message_hash"))
        link = ("", "", message_hash)
        key = (int(r.get("source_domain", 0)), int(r.get("nonce", 0)))
        self._scratch.inbound_link.setdefault(key, link)
        self.ops.append(("unclaimed", (
            message_hash, key[0], _b64hex(r.get("original_sender")), key[1],
            int(r.get("amount") or 0), r.get("denom", ""), r.get("order_id", ""),
            r.get("payment_id", ""), str(r.get("reason", "")).removeprefix("UNCLAIMED_REASON_"),
            r.get("detail", ""), int(r.get("height", 0)), r.get("time") or time_text(ev.time_ns),
        )))

    def _unclaimed_left(self, e: Doc) -> None:
        message_hash, left = _b64hex(e.get("message_hash")), int(e.get("remaining") or 0)
        if left:
            self.ops.append(("unclaimed_left", (left, message_hash)))
        else:  # the record is removed on chain once empty
            self.ops.append(("unclaimed_gone", (message_hash,)))

    def _unclaimed_refunded(self, ev: RawEvent, e: Doc) -> None:
        self._unclaimed_left(e)

    def _unclaimed_claimed(self, ev: RawEvent, e: Doc) -> None:
        self._unclaimed_left(e)

    # oracle rates ---------------------------------------------------------------------------

    def _rate_accepted(self, ev: RawEvent, e: Doc) -> None:
        """``RateAccepted{rate, previous}`` (end block or MsgOverrideRate), or a genesis rate:
        the currency's accepted rate now, and one more history entry."""
        r = e["rate"]
        row = (r["currency"], r["rate"], r["rate"], int(r.get("height") or 0), r.get("time"),
               int(r.get("submissions") or 0),
               str(r.get("source", "RATE_SOURCE_UNSPECIFIED")).removeprefix("RATE_SOURCE_"))
        self.ops.append(("rate", (*row, ev.height)))
        self.ops.append(("rate_history", (ev.height, ev.tx_index, ev.index, *row[:4],
                                          e.get("previous", ""), *row[4:])))

    # balances -------------------------------------------------------------------------------

    def _credit(self, addr: str, denom: str, amount: int, height: int) -> None:
        entry = self.balances.setdefault((addr, denom), [0, height])
        entry[0] += amount
        entry[1] = height

    def _coins_transferred(self, ev: RawEvent, e: Doc) -> None:
        for coin in e.get("amount", []):
            self._credit(e["sender"], coin["denom"], -int(coin["amount"]), ev.height)
            self._credit(e["recipient"], coin["denom"], int(coin["amount"]), ev.height)

    def _coins_minted(self, ev: RawEvent, e: Doc) -> None:
        module = address.module_address(e["module"])
        for coin in e.get("amount", []):
            self._credit(module, coin["denom"], int(coin["amount"]), ev.height)

    def _coins_burned(self, ev: RawEvent, e: Doc) -> None:
        module = address.module_address(e["module"])
        for coin in e.get("amount", []):
            self._credit(module, coin["denom"], -int(coin["amount"]), ev.height)

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
        new = [o for o in orders if o["id"] not in self.stored]
        old = [o for o in orders if o["id"] in self.stored]
        with self.conn.cursor() as cur:
            _copy(cur, "orders", _ORDER_COLUMNS, (self._order_row(o) for o in new))
            if old:
                cur.execute(_ORDER_STAGE)
                _copy(cur, "orders_stage", _ORDER_COLUMNS, (self._order_row(o) for o in old))
                cur.execute(_UPDATE_FROM_STAGE)
                old_ids = [o["id"] for o in old]
                for table in ("order_timeline", "payments", "refunds", "shipments",
                              "settlements", "disputes"):
                    cur.execute(f"DELETE FROM {table} WHERE order_id = ANY(%s)", (old_ids,))
            _copy(cur, "order_items", _ITEM_COLUMNS, (r for o in new for r in _item_rows(o)))
            _copy(cur, "order_timeline", _TIMELINE_COLUMNS,
                  (r for o in orders for r in _timeline_rows(o)))
            _copy(cur, "payments", _PAYMENT_COLUMNS, (r for o in orders for r in _payment_rows(o)))
            _copy(cur, "refunds", _REFUND_COLUMNS, (r for o in orders for r in _refund_rows(o)))
            _copy(cur, "shipments", _SHIPMENT_COLUMNS,
                  (r for o in orders for r in _shipment_rows(o)))
            _copy(cur, "settlements", _SETTLEMENT_COLUMNS,
                  (r for o in orders for r in _settlement_rows(o)))
            _copy(cur, "disputes", _DISPUTE_COLUMNS, (r for o in orders for r in _dispute_rows(o)))
        self.stored.update(ids)

    def _order_row(self, o: Doc) -> tuple:
        timeline = o.get("timeline") or []
        created_height = int(timeline[0]["height"]) if timeline else self.order_heights[o["id"]]
        return (
            o["id"], _int(o, "sequence"), o.get("client_order_id", ""), o.get("name", ""),
            o.get("number", ""), o.get("source", ""), o.get("customer", ""),
            o.get("merchant", ""), o.get("creator", ""), o.get("currency", ""),
            o.get("denom", ""), o.get("preferred_payment_method", ""), _int(o, "subtotal"),
            _int(o, "tax_rate_bps"), _int(o, "tax"), _int(o, "shipping_fee"), _int(o, "total"),
            _short(o.get("status", "")), _payment_short(o.get("payment_status", "")),
            _int(o, "amount_paid"), _int(o, "amount_refunded"), _int(o, "amount_settled"),
            Jsonb(o.get("shipping_address") or {}), Jsonb(o.get("metadata") or {}),
            Jsonb(o["revenue_split"]) if o.get("revenue_split") else None,
            o.get("held_by", ""), o.get("settlement_due"), bool(o.get("settled")),
            o.get("created_at"), o.get("updated_at") or o.get("created_at"), created_height,
            self.order_heights[o["id"]], Jsonb(o), _int(o, "vat_rate_bps"), _int(o, "vat"),
            _int(o, "import_duty"), o.get("origin_country", ""), _int(o, "stablecoin_total"),
            _int(o, "amount_refunded_fiat"), (o.get("exchange_rate") or {}).get("rate", ""),
            (o.get("exchange_rate") or {}).get("locked_at"),
            dumps(self.rendered[o["id"]]).decode() if o["id"] in self.rendered else order_json(o),
        )

    def _flush_ops(self) -> None:
        with self.conn.cursor() as cur:
            for kind, args in self.ops:
                cur.execute(_OPS[kind], args)

    def _flush_cctp(self) -> None:
        links = []
        for (direction, domain, nonce), r in sorted(self.cctp.items()):
            if "height" not in r:  # a link to a transfer written by an earlier batch
                links.append((r.get("order_id"), r.get("payment_id"), direction, domain, nonce))
                continue
            self.conn.execute(_UPSERT_CCTP, (
                direction, domain, nonce, r["amount"], r["token"], r["local_account"],
                r["remote_account"], r.get("message_hash", ""), r.get("order_id"),
                r.get("payment_id"), r["height"], r["tx_index"], r["time"],
            ))
        for link in links:
            self.conn.execute(
                "UPDATE cctp_transfers SET order_id = %s, payment_id = %s "
                "WHERE direction = %s AND remote_domain = %s AND nonce = %s", link,
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


def _unschedule(order: Doc) -> None:
    """What ``settlement.unschedule`` does to the order."""
    if order.get("settlement_due") and not order.get("settled"):
        del order["settlement_due"]


_HANDLERS = {
    "stateset.compliance.v1.FraudAssessed": ViewBatch._fraud_assessed,
    "stateset.compliance.v1.OrderFrozen": ViewBatch._order_frozen,
    "stateset.orders.v1.OrderCreated": ViewBatch._order_created,
    "stateset.orders.v1.PaymentReceived": ViewBatch._payment_received,
    "stateset.orders.v1.OrderPaid": ViewBatch._order_paid,
    "stateset.orders.v1.ExchangeRateLocked": ViewBatch._exchange_rate_locked,
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
    "stateset.crosschain.v1.CrossChainPaymentReceived": ViewBatch._cross_chain_payment,
    "stateset.crosschain.v1.CrossChainRefundInitiated": ViewBatch._cross_chain_refund,
    # the same events under their former type (declared in stateset.cctp.v1 before), so that
    # blocks of a chain that emitted them so index alike
    "stateset.cctp.v1.CrossChainPaymentReceived": ViewBatch._cross_chain_payment,
    "stateset.cctp.v1.CrossChainRefundInitiated": ViewBatch._cross_chain_refund,
    "stateset.crosschain.v1.UnclaimedFundsCredited": ViewBatch._unclaimed_credited,
    "stateset.crosschain.v1.UnclaimedFundsRefunded": ViewBatch._unclaimed_refunded,
    "stateset.crosschain.v1.UnclaimedFundsClaimed": ViewBatch._unclaimed_claimed,
    "stateset.oracle.v1.RateAccepted": ViewBatch._rate_accepted,
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
    "doc", "vat_rate_bps", "vat", "import_duty", "origin_country", "stablecoin_total",
    "amount_refunded_fiat", "exchange_rate", "rate_locked_at", "api_json",
)
# Changed orders go through a staging table: one COPY and one UPDATE instead of a statement each.
_ORDER_STAGE = (
    "CREATE TEMP TABLE IF NOT EXISTS orders_stage ON COMMIT DELETE ROWS AS "
    f"SELECT {', '.join(_ORDER_COLUMNS)} FROM orders WITH NO DATA"
)
_UPDATE_FROM_STAGE = (
    "UPDATE orders SET "
    + ", ".join(f"{c} = s.{c}" for c in _ORDER_COLUMNS[1:])
    + " FROM orders_stage s WHERE orders.id = s.id"
)

_ITEM_COLUMNS = ("order_id", "index", "sku", "product_id", "name", "description", "quantity",
                 "unit_price", "unit_price_amount", "line_total", "import_duty_rate_bps",
                 "import_duty")
_TIMELINE_COLUMNS = ("order_id", "index", "status", "height", "time")
_PAYMENT_COLUMNS = ("id", "order_id", "index", "payer", "amount", "denom", "method", "refunded",
                    "height", "time", "cross_chain", "source_domain", "message_hash",
                    "original_sender", "cross_chain_nonce")
_REFUND_COLUMNS = ("id", "order_id", "index", "amount", "denom", "reason", "signer", "payouts",
                   "height", "time", "fiat_amount")
_SHIPMENT_COLUMNS = ("order_id", "method", "carrier", "tracking_number", "estimated_delivery",
                     "shipped_at", "delivered_at")
_SETTLEMENT_COLUMNS = ("order_id", "party", "recipient", "amount", "denom", "height", "time")
_DISPUTE_COLUMNS = ("order_id", "opened_by", "reason", "evidence", "previous_status",
                    "opened_at", "outcome", "refund_amount", "note", "resolved_by", "resolved_at")


def _item_rows(o: Doc):
    for i, it in enumerate(o.get("items", [])):
        yield (o["id"], i, it.get("sku", ""), it.get("product_id", ""), it.get("name", ""),
               it.get("description", ""), _int(it, "quantity"), it.get("unit_price", ""),
               _int(it, "unit_price_amount"), _int(it, "line_total"),
               _int(it, "import_duty_rate_bps"), _int(it, "import_duty"))


def _timeline_rows(o: Doc):
    for i, t in enumerate(o.get("timeline", [])):
        yield (o["id"], i, _short(t["status"]), int(t["height"]), t["time"])


def _payment_rows(o: Doc):
    for i, p in enumerate(o.get("payments", [])):
        cc = p.get("cross_chain")
        yield (p["id"], o["id"], i, p.get("payer", ""), _int(p, "amount"), p.get("denom", ""),
               p.get("method", ""), _int(p, "refunded"), _int(p, "height"), p.get("time"),
               cc is not None, cc.get("source_domain", 0) if cc else None,
               cc.get("message_hash", "") if cc else None,
               cc.get("original_sender", "") if cc else None,
               _int(cc, "nonce") if cc else None)


def _refund_rows(o: Doc):
    for i, r in enumerate(o.get("refunds", [])):
        yield (r["id"], o["id"], i, _int(r, "amount"), r.get("denom", ""), r.get("reason", ""),
               r.get("signer", ""), Jsonb(r.get("payouts", [])), _int(r, "height"), r.get("time"),
               _int(r, "fiat_amount"))


def _shipment_rows(o: Doc):
    s = o.get("shipping") or {}
    if not (s.get("carrier") or s.get("shipped_at") or s.get("method")):
        return
    yield (o["id"], s.get("method", ""), s.get("carrier", ""), s.get("tracking_number", ""),
           s.get("estimated_delivery"), s.get("shipped_at"), s.get("delivered_at"))


def _settlement_rows(o: Doc):
    s = o.get("settlement")
    if not s:
        return
    for party, recipient, amount in (("merchant", "merchant", "merchant_amount"),
                                     ("supplier", "supplier", "supplier_amount"),
                                     ("platform", "platform", "platform_amount")):
        if _int(s, amount):
            yield (o["id"], party, s.get(recipient, ""), _int(s, amount), s.get("denom", ""),
                   _int(s, "height"), s.get("time"))


def _dispute_rows(o: Doc):
    d = o.get("dispute")
    if not d:
        return
    outcome = d.get("outcome", "DISPUTE_OUTCOME_UNSPECIFIED")
    resolved = outcome != "DISPUTE_OUTCOME_UNSPECIFIED"
    yield (o["id"], d.get("opened_by", ""), d.get("reason", ""), Jsonb(d.get("evidence", [])),
           _short(d.get("previous_status", "")), d.get("opened_at"),
           outcome.removeprefix("DISPUTE_OUTCOME_") if resolved else None,
           _int(d, "refund_amount") if resolved else None,
           d.get("note", "") if resolved else None,
           d.get("resolved_by", "") if resolved else None, d.get("resolved_at"))


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

_OPS["rate"] = (
    "INSERT INTO rates (currency, rate, rate_value, height, time, submissions, source, "
    "updated_height) VALUES (%s, %s, %s::numeric, %s, %s, %s, %s, %s) "
    "ON CONFLICT (currency) DO UPDATE SET rate = EXCLUDED.rate, rate_value = EXCLUDED.rate_value, "
    "height = EXCLUDED.height, time = EXCLUDED.time, submissions = EXCLUDED.submissions, "
    "source = EXCLUDED.source, updated_height = EXCLUDED.updated_height"
)
_OPS["rate_history"] = (
    "INSERT INTO rate_history (height, tx_index, event_index, currency, rate, rate_value, "
    "rate_height, previous, time, submissions, source) "
    "VALUES (%s, %s, %s, %s, %s, %s::numeric, %s, %s, %s, %s, %s)"
)

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
