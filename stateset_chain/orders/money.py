"""Money arithmetic of orders: exact decimal prices, integer base units, basis points.

Every amount is an integer count of base units; a currency unit is 10**6 base units (USDC and
ssUSD both have 6 decimals). Prices arrive as exact decimal strings and are converted without
floats; a price with more than 6 decimals is refused, never rounded.

Rounding rules:
- tax, VAT and import duty: round half up, ``(amount * rate_bps + 5000) // 10000``
  (``half_up_bps``): tax and VAT once per order, duty once per line (``pricing.py``).
- shares at settlement (platform fee, supplier and platform split shares): rounded down
  (``amount * bps // 10000``); the merchant receives the remainder, so the parts always sum to
  the settled amount exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

from stateset_chain import coins
from stateset_chain.orders.errors import InvalidAmount, InvalidPrice

DECIMALS = coins.DECIMALS
UNIT = coins.UNIT
BPS = 10_000
MAX_ORDER_AMOUNT = 2**64 - 1  # totals are u64 (the amount index key is 8 bytes)

def parse_price(text: str) -> int:
    """``"999.99"`` -> 999_990_000 base units. At most 13 integer digits and 6 decimals (the
    chain's one grammar of currency units, ``coins.parse_units``)."""
    return coins.parse_units(text, InvalidPrice, field="price", max_whole_digits=13)


def parse_amount(text: str, field: str = "amount") -> int:
    """A positive base-unit amount (the chain's one grammar, ``coins.parse_amount``), <= u64."""
    return coins.parse_amount(text, InvalidAmount, field=field, maximum=MAX_ORDER_AMOUNT)


def half_up_bps(amount: int, rate_bps: int) -> int:
    """A basis-point rate of ``amount``, rounded half up (tax, VAT, import duty)."""
    return (amount * rate_bps + BPS // 2) // BPS


def tax_of(subtotal: int, rate_bps: int) -> int:
    """Tax on the subtotal, rounded half up."""
    return half_up_bps(subtotal, rate_bps)


def share_of(amount: int, bps: int) -> int:
    """A basis-point share, rounded down."""
    return amount * bps // BPS


@dataclass(frozen=True)
class Shares:
    merchant: int
    supplier: int
    platform: int


def split_settlement(
    amount: int, platform_fee_bps: int, supplier_bps: int = 0, platform_bps: int | None = None
) -> Shares:
    """Divide a settled amount. Without a split (``platform_bps is None``) the platform takes
    ``platform_fee_bps``; with one, the supplier and platform take their shares. Shares other than
    the merchant's round down and the merchant gets the remainder."""
    if platform_bps is None:
        platform = share_of(amount, platform_fee_bps)
        return Shares(merchant=amount - platform, supplier=0, platform=platform)
    supplier = share_of(amount, supplier_bps)
    platform = share_of(amount, platform_bps)
    return Shares(merchant=amount - supplier - platform, supplier=supplier, platform=platform)
