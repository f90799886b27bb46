"""Pricing an order: line totals, the destination's tax or VAT, import duty, shipping.

A pure function of the params and the create message (no state, no clock), so a quote on a
throwaway branch and the order itself always agree. Every amount is in base units of the order's
currency (6 decimals), every rate in basis points, and every rounding is half up, once per
quantity named below (SPEC.md "Money" and "VAT and import duty"):

    line_total    = unit_price x quantity
    subtotal      = Σ line_total
    import_duty_i = half_up(line_total_i x duty_bps(destination, category_i))  per line, unless
                    the order ships from its destination (origin_country == destination)
    import_duty   = Σ import_duty_i
    destination with a VAT rate (params.vat_rates):
        vat = half_up((subtotal + import_duty) x vat_bps);  tax = 0   (VAT replaces the tax entry)
    otherwise:
        tax = half_up(subtotal x tax_bps(country, region));  vat = 0
    total         = subtotal + tax + vat + import_duty + shipping_fee
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import stateset_chain.pb  # noqa: F401
from stateset_chain.orders.money import half_up_bps
from stateset_chain.orders.params import import_duty_rate_bps, tax_rate_bps, vat_rate_bps

from stateset.orders.v1.orders_pb2 import LineItem, OrderItem, ShippingAddress
from stateset.orders.v1.params_pb2 import Params


@dataclass(frozen=True)
class Line:
    """One priced line: its item, unit price, line total and import duty (base units)."""

    item: LineItem
    unit: int
    line_total: int
    duty_bps: int
    duty: int

    def order_item(self) -> OrderItem:
        i = self.item
        return OrderItem(
            sku=i.sku,
            product_id=i.product_id,
            name=i.name,
            description=i.description,
            quantity=i.quantity,
            unit_price=i.unit_price,
            unit_price_amount=self.unit,
            line_total=self.line_total,
            category=i.category,
            import_duty_rate_bps=self.duty_bps,
            import_duty=self.duty,
        )


@dataclass(frozen=True)
class Charges:
    """What an order costs, line by line and in total (Python integers: the caller checks the
    total fits an order before building its items)."""

    lines: list[Line]
    subtotal: int
    tax_rate_bps: int
    tax: int
    vat_rate_bps: int
    vat: int
    import_duty: int
    shipping_fee: int

    @property
    def total(self) -> int:
        return self.subtotal + self.tax + self.vat + self.import_duty + self.shipping_fee

    def order_items(self) -> list[OrderItem]:
        return [line.order_item() for line in self.lines]


def price_line(item: LineItem, unit: int, duty_bps: int) -> Line:
    """``unit``: the item's unit price in base units (``money.parse_price(item.unit_price)``,
    parsed once by the message's validation)."""
    line_total = unit * item.quantity
    return Line(item, unit, line_total, duty_bps, half_up_bps(line_total, duty_bps))


def price(
    params: Params,
    items: Sequence[LineItem],
    unit_prices: Sequence[int],
    ship_to: ShippingAddress,
    origin_country: str,
    shipping_fee: int,
) -> Charges:
    """``unit_prices[i]``: ``items[i]``'s unit price in base units; ``ship_to`` upper-cased
    (country "" = no destination: no tax, VAT or duty); ``origin_country`` upper-cased ("" = not
    declared)."""
    country = ship_to.country
    imported = bool(country) and origin_country != country
    lines = [
        price_line(i, unit, import_duty_rate_bps(params, country, i.category) if imported else 0)
        for i, unit in zip(items, unit_prices, strict=True)
    ]
    subtotal = sum(line.line_total for line in lines)
    duty = sum(line.duty for line in lines)
    vat_bps = vat_rate_bps(params, country) if country else None
    if vat_bps is not None:
        tax_bps, tax, vat = 0, 0, half_up_bps(subtotal + duty, vat_bps)
    else:
        tax_bps = tax_rate_bps(params, country, ship_to.region)
        tax, vat = half_up_bps(subtotal, tax_bps), 0
    return Charges(
        lines=lines,
        subtotal=subtotal,
        tax_rate_bps=tax_bps,
        tax=tax,
        vat_rate_bps=vat_bps or 0,
        vat=vat,
        import_duty=duty,
        shipping_fee=shipping_fee,
    )
