"""An order as the Orders API shows it: the JSON of ``GET /v1/orders/{id}``.

One function, ``render_order``, used by the API (from the ``orders.doc`` column) and by the
indexer's webhook outbox (from the ``Order`` the ingest has just updated), so a webhook's
``data.order`` and the API's answer are the same object. Input is the order's proto JSON (field
names as in orders.proto, 64-bit integers as strings, times RFC 3339), which is what
``orders.doc`` holds and what ``stateset_chain.events.to_json_dict(order)`` returns.

An order priced in a fiat currency (``"currency": "EUR"``) shows its prices and totals in that
currency and, in ``denom`` (the USD stablecoin it is paid in), ``stablecoin_total``,
``amount_paid``, ``amount_due`` (what is left to pay: from the locked rate, or before the lock
the creation quote; the chain's Order query quotes the latest rate), refunds and settlement;
``exchange_rate`` is the lock (null until the first payment locks it).

Conventions: amounts are decimal strings in currency units with at least two decimals
(``"1096.47"``, ``"25.00"``, ``"0.000001"``); statuses are the short names (``"SHIPPED"``,
``"PARTIALLY_REFUNDED"``); times are ISO 8601 UTC (``"2026-01-02T03:04:05.5Z"``) or null.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from stateset_chain.cache import BoundedCache
from stateset_chain.coins import format_units
from stateset_chain.readside.jsoncodec import dumps

# Amounts repeat (0, prices, totals: ~15 per order), so their texts are kept, up to a bound.
_decimal_texts: BoundedCache[int | str, str] = BoundedCache(1 << 12)


def decimal_string(amount: int | str) -> str:
    """Base units (6 decimals) as an exact decimal with 2 to 6 decimals: 1096470000 -> '1096.47'
    (``coins.format_units``, the chain's one writer of currency units)."""
    text = _decimal_texts.get(amount)
    if text is None:
        text = _decimal_texts.put(amount, format_units(int(amount), min_decimals=2))
    return text


def short_status(name: str, prefix: str) -> str:
    """``ORDER_STATUS_PAID`` -> ``PAID`` (an unknown value is kept as it is)."""
    return name.removeprefix(prefix) if isinstance(name, str) else str(name)


def _order_status(name: str) -> str:
    return short_status(name, "ORDER_STATUS_")


def _payment_status(name: str) -> str:
    return short_status(name, "PAYMENT_STATUS_")


def _time(value: Any) -> str | None:
    return value or None


def render_item(item: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "sku": item.get("sku", ""),
        "product_id": item.get("product_id", ""),
        "name": item.get("name", ""),
        "description": item.get("description", ""),
        "quantity": int(item.get("quantity", 0)),
        "unit_price": decimal_string(item.get("unit_price_amount", 0)),
        "total_price": decimal_string(item.get("line_total", 0)),
        "import_duty_rate_bps": int(item.get("import_duty_rate_bps", 0)),
        "import_duty": decimal_string(item.get("import_duty", 0)),
    }


def render_cross_chain_origin(origin: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if not origin:
        return None
    return {
        "source_domain": int(origin.get("source_domain", 0)),
        "message_hash": origin.get("message_hash", ""),
        "original_sender": origin.get("original_sender", ""),
        "nonce": int(origin.get("nonce", 0)),
    }


def render_payment(payment: Mapping[str, Any], order: Mapping[str, Any]) -> dict[str, Any]:
    """One payment record (``GET /v1/payments/{id}``)."""
    return {
        "id": payment.get("id", ""),
        "order_id": order.get("id", ""),
        "payer": payment.get("payer", ""),
        "amount": decimal_string(payment.get("amount", 0)),
        "currency": order.get("currency", ""),
        "denom": payment.get("denom", ""),
        "method": payment.get("method", ""),
        "refunded": decimal_string(payment.get("refunded", 0)),
        "paid_at": _time(payment.get("time")),
        "height": int(payment.get("height", 0)),
        "cross_chain": render_cross_chain_origin(payment.get("cross_chain")),
    }


def render_payout(payout: Mapping[str, Any]) -> dict[str, Any]:
    cross = payout.get("cross_chain")
    return {
        "recipient": payout.get("recipient", ""),
        "amount": decimal_string(payout.get("amount", 0)),
        "cross_chain": None if not cross else {
            "destination_domain": int(cross.get("destination_domain", 0)),
            "mint_recipient": cross.get("mint_recipient", ""),
            "message_hash": cross.get("message_hash", ""),
            "nonce": int(cross.get("nonce", 0)),
            "unclaimed_id": cross.get("unclaimed_id", ""),
        },
    }


def render_refund(refund: Mapping[str, Any], order: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": refund.get("id", ""),
        "order_id": order.get("id", ""),
        "amount": decimal_string(refund.get("amount", 0)),
        "denom": refund.get("denom", ""),
        "reason": refund.get("reason", ""),
        "signer": refund.get("signer", ""),
        "payouts": [render_payout(p) for p in refund.get("payouts", [])],
        "fiat_amount": decimal_string(refund.get("fiat_amount", 0)),
        "refunded_at": _time(refund.get("time")),
        "height": int(refund.get("height", 0)),
    }


def _payment_summary(order: Mapping[str, Any]) -> dict[str, Any] | None:
    """The documents' single ``payment`` object: the order's money in, with the latest payment's
    id and method, and the time the order became fully paid (else the latest payment's time)."""
    payments = order.get("payments", [])
    if not payments:
        return None
    last = payments[-1]
    return {
        "id": last.get("id", ""),
        "status": _payment_status(order.get("payment_status", "")),
        "amount": decimal_string(order.get("amount_paid", 0)),
        "method": last.get("method", ""),
        "paid_at": _time(last.get("time")),
    }


def _shipping(order: Mapping[str, Any]) -> dict[str, Any]:
    shipping = order.get("shipping") or {}
    return {
        "method": shipping.get("method", ""),
        "carrier": shipping.get("carrier", ""),
        "tracking_number": shipping.get("tracking_number", ""),
        "estimated_delivery": _time(shipping.get("estimated_delivery")),
        "shipped_at": _time(shipping.get("shipped_at")),
        "delivered_at": _time(shipping.get("delivered_at")),
    }


def _dispute(dispute: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if not dispute:
        return None
    outcome = dispute.get("outcome", "DISPUTE_OUTCOME_UNSPECIFIED")
    return {
        "opened_by": dispute.get("opened_by", ""),
        "reason": dispute.get("reason", ""),
        "evidence": list(dispute.get("evidence", [])),
        "previous_status": _order_status(dispute.get("previous_status", "")),
        "opened_at": _time(dispute.get("opened_at")),
        "outcome": None if outcome == "DISPUTE_OUTCOME_UNSPECIFIED"
        else short_status(outcome, "DISPUTE_OUTCOME_"),
        "refund_amount": decimal_string(dispute.get("refund_amount", 0)),
        "note": dispute.get("note", ""),
        "resolved_by": dispute.get("resolved_by", "") or None,
        "resolved_at": _time(dispute.get("resolved_at")),
    }


def _settlement(settlement: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if not settlement:
        return None
    return {
        "amount": decimal_string(settlement.get("amount", 0)),
        "denom": settlement.get("denom", ""),
        "merchant": settlement.get("merchant", ""),
        "merchant_amount": decimal_string(settlement.get("merchant_amount", 0)),
        "supplier": settlement.get("supplier", ""),
        "supplier_amount": decimal_string(settlement.get("supplier_amount", 0)),
        "platform": settlement.get("platform", ""),
        "platform_amount": decimal_string(settlement.get("platform_amount", 0)),
        "settled_at": _time(settlement.get("time")),
        "height": int(settlement.get("height", 0)),
    }


def _is_fiat(currency: str) -> bool:
    return len(currency) == 3 and currency.isascii() and currency.isalpha() and currency.isupper()


def _exchange_rate(lock: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if not lock:
        return None
    return {
        "pair": lock.get("pair", ""),
        "rate": lock.get("rate", ""),
        "rate_height": int(lock.get("rate_height", 0)),
        "rate_time": _time(lock.get("rate_time")),
        "amount_due": decimal_string(lock.get("amount_due", 0)),
        "locked_height": int(lock.get("locked_height", 0)),
        "locked_at": _time(lock.get("locked_at")),
    }


def render_order(doc: Mapping[str, Any]) -> dict[str, Any]:
    """The Orders API object of one order, from its proto JSON (see the module docstring)."""
    total = int(doc.get("total", 0))
    paid = int(doc.get("amount_paid", 0))
    fiat = _is_fiat(doc.get("currency", ""))
    in_denom = int(doc.get("stablecoin_total", 0)) if fiat else total
    split = doc.get("revenue_split")
    return {
        "id": doc.get("id", ""),
        "object": "order",
        "sequence": int(doc.get("sequence", 0)),
        "client_order_id": doc.get("client_order_id", "") or None,
        "name": doc.get("name", ""),
        "number": doc.get("number", ""),
        "source": doc.get("source", ""),
        "customer_id": doc.get("customer", ""),
        "merchant_id": doc.get("merchant", ""),
        "creator": doc.get("creator", ""),
        "status": _order_status(doc.get("status", "")),
        "payment_status": _payment_status(doc.get("payment_status", "")),
        "currency": doc.get("currency", ""),
        "denom": doc.get("denom", ""),
        "preferred_payment_method": doc.get("preferred_payment_method", ""),
        "items": [render_item(i) for i in doc.get("items", [])],
        "subtotal": decimal_string(doc.get("subtotal", 0)),
        "tax_rate_bps": int(doc.get("tax_rate_bps", 0)),
        "tax": decimal_string(doc.get("tax", 0)),
        "vat_rate_bps": int(doc.get("vat_rate_bps", 0)),
        "vat": decimal_string(doc.get("vat", 0)),
        "import_duty": decimal_string(doc.get("import_duty", 0)),
        "origin_country": doc.get("origin_country", "") or None,
        "shipping_fee": decimal_string(doc.get("shipping_fee", 0)),
        "total": decimal_string(total),
        "stablecoin_total": decimal_string(in_denom),
        "exchange_rate": _exchange_rate(doc.get("exchange_rate")),
        "amount_paid": decimal_string(paid),
        "amount_due": decimal_string(in_denom - paid),
        "amount_refunded_fiat": decimal_string(doc.get("amount_refunded_fiat", 0)),
        "amount_refunded": decimal_string(doc.get("amount_refunded", 0)),
        "amount_settled": decimal_string(doc.get("amount_settled", 0)),
        "payment": _payment_summary(doc),
        "payments": [render_payment(p, doc) for p in doc.get("payments", [])],
        "refunds": [render_refund(r, doc) for r in doc.get("refunds", [])],
        "shipping": _shipping(doc),
        "shipping_address": dict(doc.get("shipping_address") or {}),
        "timeline": [
            {
                "status": _order_status(t.get("status", "")),
                "timestamp": _time(t.get("time")),
                "height": int(t.get("height", 0)),
            }
            for t in doc.get("timeline", [])
        ],
        "dispute": _dispute(doc.get("dispute")),
        "held_by": doc.get("held_by", "") or None,
        "revenue_split": dict(split) if split else None,
        "settlement_due": _time(doc.get("settlement_due")),
        "settled": bool(doc.get("settled", False)),
        "settlement": _settlement(doc.get("settlement")),
        "metadata": dict(doc.get("metadata") or {}),
        "created_at": _time(doc.get("created_at")),
        "updated_at": _time(doc.get("updated_at")),
    }


def render_order_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """The Orders API object of a row of the ``orders`` table (its ``doc`` column)."""
    return render_order(row["doc"])


def order_json(order: Mapping[str, Any]) -> str:
    """``render_order(order)`` as the API's JSON text (compact, UTF-8, orjson): what the indexer
    stores in ``orders.api_json`` and ``GET /v1/orders/{id}`` returns byte for byte."""
    return dumps(render_order(order)).decode()
