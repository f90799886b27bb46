"""Fiat-priced orders: prices in a fiat currency, payment in a USD stablecoin at a locked rate.

An order whose ``currency`` is an ISO 4217 code of the oracle's list (``"EUR"``) keeps its prices,
subtotal, tax, VAT, duty, shipping and ``total`` in that currency (base units, 6 decimals, as
every order) and is paid, refunded and settled in ``denom``, a USD stablecoin (``uusdc`` or
``ussusd``, the creator's ``pay_denom``). A rate is the USD price of one unit of the currency
as an integer scaled by ``RATE_SCALE`` = 10**18 (the oracle's).

The rate is **locked** on the order (``Order.exchange_rate``) at its first payment, or at
creation when the merchant asks (``exchange_rate_locked``), from the oracle's rate fresh at that
block; without one the step is refused (``ExchangeRateUnavailable``) and nothing changes. From
then on every stablecoin amount of the order derives from the lock, and nothing reads the oracle
again. The rounding rules (SPEC.md "Fiat currencies"), chosen so that no sequence of payments or
refunds can gain from rounding:

- **amount due** = ``ceil(total x rate / 10**18)`` in the denom (``stablecoin_amount``): the
  merchant is never short. Payments then accumulate in the denom against that fixed amount, so
  many small payments pay exactly it (no per-payment conversion to round).
- **refunds are cumulative**: after refunds of ``r`` (currency units, in total) the payers have
  received ``floor(amount_paid x r / total)`` (``refunded_through``), each refund paying the
  difference from what was refunded before. Splitting a refund in parts pays exactly what one
  refund of the sum pays (no drift), the total never exceeds what was paid, and a full refund
  returns exactly everything paid.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from google.protobuf.timestamp_pb2 import Timestamp

import stateset_chain.pb  # noqa: F401
from stateset_chain.coins import SSUSD, USDC
from stateset_chain.context import Context
from stateset_chain.errors import ChainError, InvariantBroken
from stateset_chain.orders.errors import ExchangeRateUnavailable, InvalidAmount
from stateset_chain.orders.expected import ExchangeRates, UsdRate
from stateset_chain.rates import RATE_SCALE, format_rate, parse_rate
from stateset_chain.timefmt import timestamp

from stateset.orders.v1.orders_pb2 import ExchangeRateLock, Order

# The USD stablecoins a fiat order can be paid in; the default is ssUSD (the chain's own).
PAY_DENOMS = (USDC, SSUSD)
DEFAULT_PAY_DENOM = SSUSD


class HasFiatCurrency(Protocol):
    currency: str


def is_fiat_currency(currency: str) -> bool:
    """An ISO 4217 code as the order stores it: three upper-case letters (the USD currencies,
    ``ssusd``/``usdc``/``usd``, are stored lower-case)."""
    return len(currency) == 3 and currency.isascii() and currency.isalpha() and currency.isupper()


def is_fiat(order: HasFiatCurrency) -> bool:
    return is_fiat_currency(order.currency)


def stablecoin_amount(fiat_amount: int, rate: int) -> int:
    """``fiat_amount`` base units of the currency in USD base units at ``rate``, rounded up."""
    return -(-fiat_amount * rate // RATE_SCALE)


def refunded_through(paid: int, total: int, refunded_fiat: int) -> int:
    """What the payers have received once ``refunded_fiat`` of ``total`` is refunded, rounded
    down: never more than ``paid``, exactly ``paid`` when everything is refunded."""
    return paid * refunded_fiat // total


def payable(order: Order) -> int:
    """The order's total in its denom: the amount payments must reach."""
    return order.stablecoin_total if is_fiat(order) else order.total


def refund_in_denom(order: Order, fiat_amount: int) -> int:
    """What a refund of ``fiat_amount`` (currency units) pays from escrow, in the denom."""
    after = refunded_through(
        order.amount_paid, order.total, order.amount_refunded_fiat + fiat_amount
    )
    part = after - order.amount_refunded
    if part <= 0:
        raise InvalidAmount(
            f"a refund of {fiat_amount} {order.currency} base units of order {order.id} is "
            f"less than one base unit of {order.denom} at its locked rate; refund more"
        )
    return part


def pair(currency: str) -> str:
    return f"{currency}/USD"


@dataclass(frozen=True)
class Rate:
    """An accepted rate as orders use it: the scaled integer, when it was accepted."""

    value: int  # USD per unit x 10**18
    height: int
    time: Timestamp


def scaled(rate: UsdRate) -> Rate:
    return Rate(parse_rate(rate.rate, ExchangeRateUnavailable), rate.height, rate.time)


def require_rate(rates: ExchangeRates | None, ctx: Context, currency: str) -> Rate:
    """The oracle's rate for ``currency`` fresh at this block, or ``ExchangeRateUnavailable``."""
    if rates is None:
        raise ExchangeRateUnavailable(f"no exchange rate source: {currency} orders are disabled")
    try:
        rate = rates.usd_rate(ctx.store, currency, ctx.block.time_ns)
    except InvariantBroken:
        raise
    except ChainError as e:  # the oracle's refusal (no rate, stale rate, unknown currency)
        raise ExchangeRateUnavailable(f"{pair(currency)}: {e.log}") from None
    return scaled(rate)


def lock(ctx: Context, order: Order, rate: Rate) -> ExchangeRateLock:
    """Fix ``rate`` on the order: its amount due in the denom is set from it once and for all."""
    due = stablecoin_amount(order.total, rate.value)
    order.exchange_rate.CopyFrom(
        ExchangeRateLock(
            pair=pair(order.currency),
            rate=format_rate(rate.value),
            rate_height=rate.height,
            rate_time=rate.time,
            amount_due=due,
            locked_height=ctx.block.height,
            locked_at=timestamp(ctx.block.time_ns),
        )
    )
    order.stablecoin_total = due
    return order.exchange_rate
