"""The condition kinds, each a pure function of a read-only ``View`` of chain state.

    sku_in_stock{merchant, sku, quantity}   one location holds >= quantity (untracked: false)
    time_after{time}                        block time >= time
    order_reached{order_id, status}         the order exists and its timeline has the status
    balance_at_least{address, denom, amount} the bank balance >= amount
    exchange_rate{currency, rate, comparison} the oracle's fresh CURRENCY/USD rate >= (AT_LEAST)
                                            or <= (AT_MOST) rate; no fresh rate: false

The keeper indexes each condition under what it waits on (state.py ``index``), so that only a
change of that thing (a stock write, a status change of that order, a new accepted rate of that
currency, a block time) re-evaluates the conditional orders waiting on it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import stateset_chain.pb  # noqa: F401
from stateset_chain.conditional.errors import InvalidCondition
from stateset_chain.crypto.address import require_address
from stateset_chain.errors import ChainError
from stateset_chain.orders import ids
from stateset_chain.rates import is_currency_code, parse_rate
from stateset_chain.timefmt import timestamp_ns

from stateset.conditional.v1.conditional_pb2 import Comparison, Condition
from stateset.orders.v1.orders_pb2 import OrderStatus


@dataclass(frozen=True)
class View:
    time_ns: int
    available: Callable[[str, str], int | None]  # (merchant, sku) -> available or None
    statuses_of: Callable[[str], list[int] | None]  # order id -> timeline statuses or None
    balance: Callable[[str, str], int]  # (address, denom) -> amount
    usd_rate: Callable[[str], int | None]  # currency -> fresh accepted rate (scale 10^18) or None


def holds(c: Condition, view: View) -> bool:
    kind = c.WhichOneof("kind")
    if kind == "sku_in_stock":
        have = view.available(c.sku_in_stock.merchant, c.sku_in_stock.sku)
        return have is not None and have >= c.sku_in_stock.quantity
    if kind == "time_after":
        return view.time_ns >= timestamp_ns(c.time_after.time)
    if kind == "order_reached":
        statuses = view.statuses_of(c.order_reached.order_id)
        return statuses is not None and c.order_reached.status in statuses
    if kind == "balance_at_least":
        b = c.balance_at_least
        return view.balance(b.address, b.denom) >= b.amount
    if kind == "exchange_rate":
        return rate_holds(c.exchange_rate.comparison, view.usd_rate(c.exchange_rate.currency),
                          parse_rate(c.exchange_rate.rate))
    raise AssertionError(f"unvalidated condition kind {kind}")


def rate_holds(comparison: int, rate: int | None, bound: int) -> bool:
    """Pure: a fresh ``rate`` (None: none readable) against ``bound``, both scaled 10^18."""
    if rate is None:
        return False
    if comparison == Comparison.COMPARISON_AT_LEAST:
        return rate >= bound
    return rate <= bound


def validate(i: int, c: Condition) -> None:
    kind = c.WhichOneof("kind")
    try:
        if kind == "sku_in_stock":
            require_address(c.sku_in_stock.merchant, "merchant")
            if not c.sku_in_stock.sku or c.sku_in_stock.quantity < 1:
                raise InvalidCondition("sku_in_stock needs a sku and quantity >= 1")
        elif kind == "time_after":
            if not c.time_after.HasField("time"):
                raise InvalidCondition("time_after needs a time")
        elif kind == "order_reached":
            if not ids.is_order_id(c.order_reached.order_id):
                raise InvalidCondition(f"order id {c.order_reached.order_id!r}")
            if c.order_reached.status not in OrderStatus.values() or not c.order_reached.status:
                raise InvalidCondition("order_reached needs a status")
        elif kind == "balance_at_least":
            require_address(c.balance_at_least.address, "address")
            if not c.balance_at_least.denom or c.balance_at_least.amount < 1:
                raise InvalidCondition("balance_at_least needs a denom and amount >= 1")
        elif kind == "exchange_rate":
            r = c.exchange_rate
            if not is_currency_code(r.currency):
                raise InvalidCondition(f"currency {r.currency!r} is not an ISO 4217 code but USD")
            parse_rate(r.rate, InvalidCondition, field="exchange_rate.rate")
            if r.comparison not in (Comparison.COMPARISON_AT_LEAST, Comparison.COMPARISON_AT_MOST):
                raise InvalidCondition("exchange_rate needs a comparison: AT_LEAST or AT_MOST")
        else:
            raise InvalidCondition("no condition kind set")
    except InvalidCondition as e:
        raise InvalidCondition(f"condition {i}: {e.detail}") from None
    except ChainError as e:
        raise InvalidCondition(f"condition {i}: {e.log}") from None
