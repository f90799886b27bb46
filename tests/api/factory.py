"""Orders written straight into the indexer's ``orders`` / ``payments`` tables, in the shape the
ingest writes them (``doc`` = the order's proto JSON), so API tests control every field."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from stateset_chain.readside.render import order_json

STATUSES = (
    "CREATED", "PAID", "FULFILLED", "SHIPPED", "DELIVERED", "HELD", "CANCELLED", "RETURNED",
    "REFUNDED", "DISPUTED", "RESOLVED",
)
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


def rfc3339(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S") + "Z"


@dataclass
class Order:
    sequence: int
    customer: str
    merchant: str
    status: str
    total: int
    created_at: datetime
    currency: str = "usd"
    amount_paid: int = 0
    amount_refunded: int = 0
    payments: list[dict] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"ord_{self.sequence:010d}"

    def doc(self) -> dict:
        timeline = [{"status": "ORDER_STATUS_CREATED", "height": str(self.sequence),
                     "time": rfc3339(self.created_at)}]
        if self.status != "CREATED":
            timeline.append({"status": f"ORDER_STATUS_{self.status}",
                             "height": str(self.sequence + 1),
                             "time": rfc3339(self.created_at + timedelta(minutes=5))})
        return {
            "id": self.id, "sequence": str(self.sequence), "customer": self.customer,
            "merchant": self.merchant, "creator": self.customer,
            "status": f"ORDER_STATUS_{self.status}",
            "payment_status": "PAYMENT_STATUS_PAID" if self.amount_paid else
            "PAYMENT_STATUS_UNPAID",
            "currency": self.currency, "denom": "ussusd",
            "items": [{"sku": "SKU-1", "name": "Widget", "quantity": "1",
                       "unit_price": "1", "unit_price_amount": str(self.total),
                       "line_total": str(self.total)}],
            "subtotal": str(self.total), "total": str(self.total),
            "amount_paid": str(self.amount_paid), "amount_refunded": str(self.amount_refunded),
            "payments": self.payments, "timeline": timeline,
            "shipping": {"carrier": "UPS", "tracking_number": "1Z999"} if self.status in (
                "SHIPPED", "DELIVERED") else {},
            "created_at": rfc3339(self.created_at), "updated_at": rfc3339(self.created_at),
        }


def stored_json(order: Order, doc: dict) -> str | None:
    """``orders.api_json`` as the indexer writes it, for even sequences; NULL (a row from before
    the column, which the API renders from ``doc``) for odd ones, so lists mix both."""
    return order_json(doc) if order.sequence % 2 == 0 else None


def insert(conn, order: Order) -> None:
    doc = order.doc()
    conn.execute(
        """
        INSERT INTO orders (id, sequence, client_order_id, name, number, source, customer,
          merchant, creator, currency, denom, preferred_payment_method, subtotal, tax_rate_bps,
          tax, shipping_fee, total, status, payment_status, amount_paid, amount_refunded,
          amount_settled, shipping_address, metadata, revenue_split, held_by, settlement_due,
          settled, created_at, updated_at, created_height, updated_height, doc, api_json)
        VALUES (%s, %s, '', '', '', '', %s, %s, %s, %s, 'ussusd', '', %s, 0, 0, 0, %s, %s, %s,
          %s, %s, 0, '{}', '{}', NULL, '', NULL, false, %s, %s, %s, %s, %s, %s)
        """,
        (order.id, order.sequence, order.customer, order.merchant, order.customer,
         order.currency, order.total, order.total, order.status,
         doc["payment_status"].removeprefix("PAYMENT_STATUS_"), order.amount_paid,
         order.amount_refunded, order.created_at, order.created_at, order.sequence,
         order.sequence, json.dumps(doc), stored_json(order, doc)),
    )
    for i, p in enumerate(order.payments):
        conn.execute(
            "INSERT INTO payments (id, order_id, index, payer, amount, denom, method, refunded, "
            "height, time, cross_chain) VALUES (%s, %s, %s, %s, %s, 'ussusd', %s, 0, %s, %s, "
            "false)",
            (p["id"], order.id, i, p["payer"], int(p["amount"]), p["method"], int(p["height"]),
             p["time"]),
        )


def paid_order(sequence: int, customer: str, merchant: str, status: str, total: int,
               created_at: datetime, currency: str = "usd", refunded: int = 0) -> Order:
    paid = 0 if status in ("CREATED",) else total
    payments = []
    if paid:
        payments.append({
            "id": f"pay_{sequence:010d}", "payer": customer, "amount": str(paid),
            "denom": "ussusd", "method": "wallet", "refunded": str(refunded),
            "height": str(sequence + 1), "time": rfc3339(created_at + timedelta(minutes=1)),
        })
    return Order(sequence, customer, merchant, status, total, created_at, currency, paid,
                 refunded if paid else 0, payments)
