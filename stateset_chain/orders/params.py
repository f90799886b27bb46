"""Orders params: defaults and validation (genesis and MsgUpdateParams use the same rules)."""

from __future__ import annotations

import re

import stateset_chain.pb  # noqa: F401
from stateset_chain.crypto import address
from stateset_chain.orders.errors import InvalidParams
from stateset_chain.orders.money import BPS, MAX_ORDER_AMOUNT

from stateset.orders.v1.params_pb2 import ImportDutyRate, Params, ShippingRate, TaxRate, VatRate

# Until genesis names one, the authority is the (unsignable) gov module address, as in the SDK.
DEFAULT_AUTHORITY = address.module_address("gov")

# Every payment rewrites the order with all its payment records, so their number bounds the gas
# of the next payment (and of refunds, which walk them). 20 keeps an order with every slot used
# within about twice the gas of a fresh one.
DEFAULT_MAX_PAYMENTS_PER_ORDER = 20
MAX_PAYMENTS_PER_ORDER = 1000

_COUNTRY = re.compile(r"^[A-Z]{2}$")
_REGION = re.compile(r"^[A-Z0-9-]{0,16}$")
_METHOD = re.compile(r"^[a-z0-9_-]{1,32}$")
_CATEGORY = re.compile(r"^[a-z0-9_.-]{1,64}$")


def default_params() -> Params:
    return Params(
        authority=DEFAULT_AUTHORITY,
        arbiter=DEFAULT_AUTHORITY,
        platform_address=DEFAULT_AUTHORITY,
        platform_fee_bps=0,  # no fee until genesis names a platform: gov cannot spend it
        return_window_seconds=14 * 86400,
        max_batch_size=100,
        max_items_per_order=100,
        max_text_length=256,
        max_reason_length=1024,
        max_metadata_entries=32,
        max_evidence_items=10,
        settlement_drain_limit=1000,
        max_payments_per_order=DEFAULT_MAX_PAYMENTS_PER_ORDER,
    )


def validate_params(p: Params) -> None:
    """Every rule, one per line; raises InvalidParams naming the field."""
    for field in ("authority", "arbiter", "platform_address"):
        address.require_address(getattr(p, field), field, InvalidParams)
    _require(p.platform_fee_bps <= BPS, "platform_fee_bps must be <= 10000")
    _require(p.return_window_seconds <= 10 * 365 * 86400, "return_window_seconds above 10 years")
    for field in (
        "max_batch_size",
        "max_items_per_order",
        "max_text_length",
        "max_reason_length",
        "settlement_drain_limit",
    ):
        _require(getattr(p, field) >= 1, f"{field} must be >= 1")
    _require(p.max_text_length <= 4096, "max_text_length must be <= 4096")
    _require(
        2 <= p.max_payments_per_order <= MAX_PAYMENTS_PER_ORDER,
        f"max_payments_per_order must be in 2..{MAX_PAYMENTS_PER_ORDER}",
    )
    seen_rates: set[tuple[str, str]] = set()
    for rate in p.tax_rates:
        _validate_tax_rate(rate)
        key = (rate.country, rate.region)
        _require(key not in seen_rates, f"duplicate tax rate for {key}")
        seen_rates.add(key)
    seen_methods: set[str] = set()
    for ship in p.shipping_rates:
        _validate_shipping_rate(ship)
        _require(ship.method not in seen_methods, f"duplicate shipping method {ship.method!r}")
        seen_methods.add(ship.method)
    seen_vat: set[str] = set()
    for vat in p.vat_rates:
        _validate_vat_rate(vat)
        _require(vat.country not in seen_vat, f"duplicate VAT rate for {vat.country}")
        seen_vat.add(vat.country)
    seen_duty: set[tuple[str, str]] = set()
    for duty in p.import_duty_rates:
        _validate_duty_rate(duty)
        key = (duty.country, duty.category)
        _require(key not in seen_duty, f"duplicate import duty rate for {key}")
        seen_duty.add(key)


def _validate_tax_rate(rate: TaxRate) -> None:
    _require(_COUNTRY.fullmatch(rate.country) is not None, f"tax country {rate.country!r}")
    _require(_REGION.fullmatch(rate.region) is not None, f"tax region {rate.region!r}")
    _require(rate.rate_bps <= BPS, f"tax rate_bps {rate.rate_bps} > 10000")


def _validate_vat_rate(vat: VatRate) -> None:
    _require(_COUNTRY.fullmatch(vat.country) is not None, f"VAT country {vat.country!r}")
    _require(vat.rate_bps <= BPS, f"VAT rate_bps {vat.rate_bps} > 10000")


def _validate_duty_rate(duty: ImportDutyRate) -> None:
    _require(_COUNTRY.fullmatch(duty.country) is not None, f"duty country {duty.country!r}")
    _require(_CATEGORY.fullmatch(duty.category) is not None, f"duty category {duty.category!r}")
    _require(duty.rate_bps <= BPS, f"duty rate_bps {duty.rate_bps} > 10000")


def _validate_shipping_rate(ship: ShippingRate) -> None:
    _require(_METHOD.fullmatch(ship.method) is not None, f"shipping method {ship.method!r}")
    _require(ship.fee <= MAX_ORDER_AMOUNT, "shipping fee out of range")


def _require(ok: bool, why: str) -> None:
    if not ok:
        raise InvalidParams(why)


def tax_rate_bps(p: Params, country: str, region: str) -> int:
    """The (country, region) rate, else the country's ("" region) rate, else 0."""
    by_key = {(r.country, r.region): r.rate_bps for r in p.tax_rates}
    if region and (country, region) in by_key:
        return by_key[(country, region)]
    return by_key.get((country, ""), 0)


def vat_rate_bps(p: Params, country: str) -> int | None:
    """The destination's VAT rate, or None when it has none (then its tax_rates apply)."""
    for vat in p.vat_rates:
        if vat.country == country:
            return vat.rate_bps
    return None


def import_duty_rate_bps(p: Params, country: str, category: str) -> int:
    """The duty on ``category`` shipped to ``country``; 0 without an entry or a category."""
    if not category:
        return 0
    for duty in p.import_duty_rates:
        if duty.country == country and duty.category == category:
            return duty.rate_bps
    return 0


def shipping_fee(p: Params, method: str) -> int | None:
    """The method's fee, 0 for no method, None for an unknown method."""
    if not method:
        return 0
    for ship in p.shipping_rates:
        if ship.method == method:
            return ship.fee
    return None
