"""MsgCreateOrder: a new order, priced by the chain, awaiting payment.

signer    creator, who must be the customer or the merchant
validate  creator, customer, merchant are canonical addresses              -> sdk InvalidAddress
          customer != merchant                                             -> CustomerIsMerchant
          creator is the customer or the merchant                          -> CreatorNotParty
          client_order_id is at most 128 bytes                             -> FieldTooLong
          a client_order_id only when the creator is the merchant
                                                           -> ClientOrderIdNotMerchants
          currency is "", ssusd, usdc, usd (any case) or a 3-letter fiat code -> InvalidCurrency
          pay_denom: a fiat currency "", uusdc or ussusd; else "" or its denom -> InvalidPayDenom
          exchange_rate_locked only with a fiat currency                   -> InvalidCurrency
          exchange_rate_locked only when the creator is the merchant       -> RateLockNotAllowed
          at least one item                                                -> NoItems
          each item has sku or product_id, and name or description         -> InvalidItem
          each item has 1 <= quantity <= 1,000,000                         -> InvalidQuantity
          each unit price is an exact decimal with <= 6 decimals           -> InvalidPrice
          each item category "" or [a-z0-9_.-]{1,64}                       -> InvalidItem
          shipping country is 2 letters; region [A-Za-z0-9-]{0,16}         -> InvalidCountry
          billing_country, origin_country "" or 2 letters                  -> InvalidCountry
          revenue split: bps sum to 10000; supplier set iff supplier_bps>0 -> InvalidRevenueSplit
          a revenue split only when the creator is the merchant            -> SplitNotAllowed
          no personal metadata key, no email address in clear text         -> PersonalDataInClear
          personal_data: a well-formed envelope to the merchant (+ customer)
                                                         -> privacy errors 4-7 (envelope.py)
guard     merchant and split supplier are not blocked by the bank (a module account or an
          order deposit address: settlement would strand their pay) -> BlockedSettlementRecipient
          items <= max_items_per_order                                     -> TooManyItems
          metadata entries <= max_metadata_entries                         -> TooManyMetadataEntries
          text fields <= max_text_length bytes                             -> FieldTooLong
          client_order_id not used yet by this merchant                    -> DuplicateClientOrderId
          personal_data sealed to each recipient's current registered key
                                          -> privacy UnknownEncryptionKey, StaleEncryptionKey
          shipping method "" or in the fee table                           -> UnknownShippingMethod
          total > 0                                                        -> ZeroTotal
          total <= 2**64 - 1                                               -> OrderTotalTooLarge
          a fiat currency: the oracle has its rate, fresh now        -> ExchangeRateUnavailable
          its total in the pay denom <= 2**64 - 1                          -> OrderTotalTooLarge
          no party sanctioned, destination not blocked, no item category restricted there
                      -> compliance SanctionedParty, BlockedDestination, RestrictedItem
          each SKU the merchant tracks has the quantity available -> inventory InsufficientStock
change    prices -> base units; subtotal = Σ unit x quantity; import duty per line; VAT or tax
          (pricing.py: VAT replaces the tax entry for a destination with a VAT rate);
          total = subtotal + tax + VAT + duty + shipping fee; a new order CREATED, unpaid,
          indexed, with the platform's terms of today (params.platform_address,
          platform_fee_bps) recorded on it: it settles with those; a fiat order its total in
          the pay denom at the rate now (stablecoin_total), the rate locked on it if asked;
          its compliance decision (CLEAR) and fraud score at CREATE (the order counts in its
          customer's velocity window)
emit      compliance FraudAssessed; ExchangeRateLocked when locked at creation;
          OrderCreated{order} (event_view: without personal_data, the CREATED timeline
          entry, created_at, updated_at and fraud, which its block and FraudAssessed say)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import stateset_chain.pb  # noqa: F401
from stateset_chain.coins import SSUSD, USDC
from stateset_chain.context import BlockInfo, Context
from stateset_chain.orders import escrow, fx, indexed, lifecycle, personal, pricing, settlement
from stateset_chain.orders.errors import (
    ClientOrderIdNotMerchants,
    CreatorNotParty,
    CustomerIsMerchant,
    DuplicateClientOrderId,
    InvalidCountry,
    InvalidCurrency,
    InvalidItem,
    InvalidPayDenom,
    InvalidQuantity,
    InvalidRevenueSplit,
    NoItems,
    OrderTotalTooLarge,
    RateLockNotAllowed,
    SplitNotAllowed,
    TooManyItems,
    TooManyMetadataEntries,
    UnknownShippingMethod,
    ZeroTotal,
)
from stateset_chain.orders.money import BPS, MAX_ORDER_AMOUNT, parse_price
from stateset_chain.orders.msgs import common
from stateset_chain.orders.msgs.common import require_address, require_length
from stateset_chain.orders.params import shipping_fee
from stateset_chain.orders.state import OrdersKeeper
from stateset_chain.store.kv import KVStore
from stateset_chain.store.memo import ReadAhead
from stateset_chain.timefmt import timestamp

from stateset.compliance.v1.compliance_pb2 import FraudStage
from stateset.orders.v1 import events_pb2 as events
from stateset.orders.v1 import tx_pb2 as tx
from stateset.orders.v1.orders_pb2 import LineItem, Order, ShippingAddress, ShippingInfo
from stateset.orders.v1.params_pb2 import Params

FRAUD_STAGE_CREATE = FraudStage.FRAUD_STAGE_CREATE

MSG = tx.MsgCreateOrder

# The denom each currency is paid, refunded and settled in ("usd" settles 1:1 in ssUSD).
CURRENCY_DENOMS = {"ssusd": SSUSD, "usd": SSUSD, "usdc": USDC}
DEFAULT_CURRENCY = "ssusd"
MAX_QUANTITY = 1_000_000
MAX_CLIENT_ORDER_ID_BYTES = 128

_COUNTRY = re.compile(r"^[A-Za-z]{2}$")
_REGION = re.compile(r"^[A-Za-z0-9-]{0,16}$")
_CATEGORY = re.compile(r"^[a-z0-9_.-]{1,64}$")


def signers(msg: tx.MsgCreateOrder) -> list[str]:
    return [msg.creator]


def currency_of(msg: tx.MsgCreateOrder) -> str:
    """The order's currency: a USD one lower-cased, a fiat ISO 4217 code upper-cased (whether
    the oracle prices it is a guard: ``fx.require_rate``)."""
    currency = (msg.currency or DEFAULT_CURRENCY).lower()
    if currency in CURRENCY_DENOMS:
        return currency
    if fx.is_fiat_currency(currency.upper()):
        return currency.upper()
    raise InvalidCurrency(
        f"{msg.currency!r}; use one of ssusd, usdc, usd or an ISO 4217 code the oracle prices"
    )


def denom_of(msg: tx.MsgCreateOrder, currency: str) -> str:
    """The denom the order is paid in: its USD currency's, or a fiat order's ``pay_denom``."""
    if not fx.is_fiat_currency(currency):
        denom = CURRENCY_DENOMS[currency]
        if msg.pay_denom not in ("", denom):
            raise InvalidPayDenom(f"a {currency} order is paid in {denom}, not {msg.pay_denom}")
        return denom
    if msg.pay_denom and msg.pay_denom not in fx.PAY_DENOMS:
        raise InvalidPayDenom(
            f"a {currency} order is paid in {' or '.join(fx.PAY_DENOMS)}, not {msg.pay_denom}"
        )
    return msg.pay_denom or fx.DEFAULT_PAY_DENOM


@dataclass(frozen=True)
class ParsedOrder:
    """What ``validate`` parsed of a MsgCreateOrder, for ``handle`` (never parsed again)."""

    currency: str  # currency_of(msg)
    denom: str  # denom_of(msg, currency)
    unit_prices: tuple[int, ...]  # items[i].unit_price in base units


def validate(msg: tx.MsgCreateOrder) -> ParsedOrder:
    require_address(msg.creator, "creator")
    require_address(msg.customer, "customer")
    require_address(msg.merchant, "merchant")
    if msg.customer == msg.merchant:
        raise CustomerIsMerchant(msg.customer)
    if msg.creator not in (msg.customer, msg.merchant):
        raise CreatorNotParty(f"creator {msg.creator}")
    require_length(msg.client_order_id, "client_order_id", MAX_CLIENT_ORDER_ID_BYTES)
    if msg.client_order_id and msg.creator != msg.merchant:
        raise ClientOrderIdNotMerchants(
            f"client order ids are the merchant's invoice numbers; {msg.creator} is not "
            f"the merchant {msg.merchant}"
        )
    currency = currency_of(msg)
    denom = denom_of(msg, currency)
    if msg.exchange_rate_locked and not fx.is_fiat_currency(currency):
        raise InvalidCurrency(f"only a fiat-priced order locks an exchange rate, not {currency}")
    if msg.exchange_rate_locked and msg.creator != msg.merchant:
        raise RateLockNotAllowed(f"creator {msg.creator} is not the merchant {msg.merchant}")
    if not msg.items:
        raise NoItems()
    unit_prices = tuple(_validate_item(i, item) for i, item in enumerate(msg.items))
    if msg.HasField("shipping_address"):
        _validate_address(msg.shipping_address)
    if msg.billing_country and not _COUNTRY.fullmatch(msg.billing_country):
        raise InvalidCountry(f"billing country {msg.billing_country!r} is not ISO 3166-1 alpha-2")
    if msg.origin_country and not _COUNTRY.fullmatch(msg.origin_country):
        raise InvalidCountry(f"origin country {msg.origin_country!r} is not ISO 3166-1 alpha-2")
    if msg.HasField("revenue_split"):
        _validate_split(msg)
    personal.validate(msg)
    return ParsedOrder(currency, denom, unit_prices)


def _validate_item(i: int, item: LineItem) -> int:
    """The item's unit price in base units."""
    if not (item.sku or item.product_id):
        raise InvalidItem(f"item {i} needs a sku or a product_id")
    if not (item.name or item.description):
        raise InvalidItem(f"item {i} needs a name or a description")
    if not 1 <= item.quantity <= MAX_QUANTITY:
        raise InvalidQuantity(f"item {i} quantity {item.quantity} is not in 1..{MAX_QUANTITY}")
    unit = parse_price(item.unit_price)
    if item.category and not _CATEGORY.fullmatch(item.category):
        raise InvalidItem(f"item {i} category {item.category!r} is not [a-z0-9_.-]{{1,64}}")
    return unit


def _validate_address(a: ShippingAddress) -> None:
    if a.country and not _COUNTRY.fullmatch(a.country):
        raise InvalidCountry(f"country {a.country!r} is not an ISO 3166-1 alpha-2 code")
    if not _REGION.fullmatch(a.region):
        raise InvalidCountry(f"region {a.region!r}")


def _validate_split(msg: tx.MsgCreateOrder) -> None:
    s = msg.revenue_split
    if s.merchant_bps + s.supplier_bps + s.platform_bps != BPS:
        raise InvalidRevenueSplit("merchant_bps + supplier_bps + platform_bps must be 10000")
    if s.supplier_bps and not s.supplier:
        raise InvalidRevenueSplit("supplier_bps > 0 needs a supplier")
    if s.supplier and not s.supplier_bps:
        raise InvalidRevenueSplit("a supplier needs supplier_bps > 0")
    if s.supplier:
        require_address(s.supplier, "supplier")
    if msg.creator != msg.merchant:
        raise SplitNotAllowed(f"creator {msg.creator} is not the merchant")


def check_recipients(keeper: OrdersKeeper, msg: tx.MsgCreateOrder) -> None:
    """Settlement pays the merchant and the split's supplier (the platform is a param, checked
    when set): refuse either if nobody could spend what it receives."""
    settlement.require_settleable(keeper.bank, "merchant", msg.merchant)
    if msg.revenue_split.supplier:
        settlement.require_settleable(keeper.bank, "supplier", msg.revenue_split.supplier)


def check_limits(msg: tx.MsgCreateOrder, params: Params) -> None:
    if len(msg.items) > params.max_items_per_order:
        raise TooManyItems(f"{len(msg.items)} items, the limit is {params.max_items_per_order}")
    if len(msg.metadata) > params.max_metadata_entries:
        raise TooManyMetadataEntries(
            f"{len(msg.metadata)} entries, the limit is {params.max_metadata_entries}"
        )
    limit = params.max_text_length
    for field in ("name", "number", "source", "shipping_method", "preferred_payment_method"):
        require_length(getattr(msg, field), field, limit)
    for i, item in enumerate(msg.items):
        for field in ("sku", "product_id", "name", "description"):
            require_length(getattr(item, field), f"items[{i}].{field}", limit)
    for f in ShippingAddress.DESCRIPTOR.fields:
        require_length(getattr(msg.shipping_address, f.name), f"shipping_address.{f.name}", limit)
    for key in sorted(msg.metadata):
        require_length(key, "metadata key", limit)
        require_length(msg.metadata[key], f"metadata[{key!r}]", limit)


def reads_after(
    keeper: OrdersKeeper, msg: tx.MsgCreateOrder, committed: KVStore, block: BlockInfo
) -> ReadAhead:
    """What the new order's checks read of the committed state: screening and the customer's
    fraud window and profile (the parties, destination and item categories the order will
    record), and each SKU's stock (read ahead by the block)."""
    out = ReadAhead()
    if keeper.compliance is not None:
        ship = msg.shipping_address
        parties = [msg.customer, msg.merchant, msg.revenue_split.supplier]
        categories = [item.category for item in msg.items]
        out.add(keeper.compliance.new_order_reads(
            committed, block, msg.customer, parties, ship.country.upper(), ship.region.upper(),
            categories,
        ))
    if keeper.stock is not None:
        skus = sorted({item.sku for item in msg.items if item.sku})
        out.add(keeper.stock.reserve_reads(msg.merchant, skus))
    return out


def handle(
    keeper: OrdersKeeper, ctx: Context, msg: tx.MsgCreateOrder, parsed: ParsedOrder,
    reserve_stock: bool = True,
) -> tx.MsgCreateOrderResponse:
    """``parsed``: what ``validate(msg)`` returned. ``reserve_stock=False``: a price quote on a
    throwaway branch (subscriptions, conditional orders) that must not depend on stock available
    now."""
    params = keeper.params(ctx.store)
    check_recipients(keeper, msg)
    check_limits(msg, params)
    if msg.client_order_id and keeper.order_id_by_client_id(
        ctx.store, msg.merchant, msg.client_order_id
    ):
        raise DuplicateClientOrderId(
            f"merchant {msg.merchant} already used {msg.client_order_id!r}"
        )
    if msg.HasField("personal_data"):
        personal.check_recipient_keys(keeper.encryption_keys, ctx.store, msg.personal_data)
    fee = shipping_fee(params, msg.shipping_method)
    if fee is None:
        raise UnknownShippingMethod(repr(msg.shipping_method))
    ship_to = _normalized(msg.shipping_address)
    charges = pricing.price(
        params, msg.items, parsed.unit_prices, ship_to, msg.origin_country.upper(), fee
    )
    total = charges.total
    if total == 0:
        raise ZeroTotal()
    if total > MAX_ORDER_AMOUNT:
        raise OrderTotalTooLarge(f"total {total} exceeds {MAX_ORDER_AMOUNT}")

    currency = parsed.currency
    rate = fx.require_rate(keeper.rates, ctx, currency) if fx.is_fiat_currency(currency) else None
    in_denom = fx.stablecoin_amount(total, rate.value) if rate is not None else 0
    if in_denom > MAX_ORDER_AMOUNT:
        raise OrderTotalTooLarge(f"total {in_denom} in the pay denom exceeds {MAX_ORDER_AMOUNT}")

    seq, order_id = keeper.next_order_id(ctx.store, ctx.block.chain_id)
    order = Order(
        id=order_id,
        sequence=seq,
        client_order_id=msg.client_order_id,
        name=msg.name,
        number=msg.number,
        source=msg.source,
        customer=msg.customer,
        merchant=msg.merchant,
        creator=msg.creator,
        items=charges.order_items(),
        shipping=ShippingInfo(method=msg.shipping_method),
        metadata=dict(msg.metadata),
        currency=currency,
        denom=parsed.denom,
        preferred_payment_method=msg.preferred_payment_method,
        subtotal=charges.subtotal,
        tax_rate_bps=charges.tax_rate_bps,
        tax=charges.tax,
        vat_rate_bps=charges.vat_rate_bps,
        vat=charges.vat,
        import_duty=charges.import_duty,
        shipping_fee=fee,
        total=total,
        created_at=timestamp(ctx.block.time_ns),
        # the platform's terms as they are now: settlement uses these, not later params
        platform_address=params.platform_address,
        platform_fee_bps=params.platform_fee_bps,
        billing_country=msg.billing_country.upper(),
        origin_country=msg.origin_country.upper(),
        stablecoin_total=in_denom,
    )
    if msg.HasField("shipping_address"):
        order.shipping_address.CopyFrom(ship_to)
    if msg.HasField("revenue_split"):
        order.revenue_split.CopyFrom(msg.revenue_split)
    if msg.HasField("personal_data"):
        order.personal_data.CopyFrom(msg.personal_data)
    lifecycle.start(ctx, order)
    if rate is not None and msg.exchange_rate_locked:
        fx.lock(ctx, order, rate)
    if keeper.compliance is not None:
        order.compliance.CopyFrom(keeper.compliance.screen_new_order(ctx, order))
        keeper.compliance.assess_fraud(ctx, order, FRAUD_STAGE_CREATE)
    if keeper.stock is not None and reserve_stock:
        keeper.stock.reserve(ctx, order)
    order.payment_status = escrow.payment_status(order)
    keeper.add_order(ctx, order)
    indexed.emit(ctx, order, events.OrderCreated(order=event_view(order)))
    if order.HasField("exchange_rate"):
        common.emit_locked(ctx, order)
    return tx.MsgCreateOrderResponse(
        order_id=order_id, total=total, denom=order.denom, amount_due=order.stablecoin_total
    )


def event_view(order: Order) -> Order:
    """The order as OrderCreated carries it: its creation data, without what the event's block
    and the FraudAssessed just before it already say (the CREATED timeline entry, ``created_at``
    and ``updated_at``: the block's height and time; ``fraud``: that event's assessment), and
    without its sealed personal data (``personal.public_view``). A read side rebuilds the order
    from these (stateset_chain/indexer/views.py)."""
    view = Order()
    view.CopyFrom(order)
    view.ClearField("personal_data")
    view.ClearField("timeline")
    view.ClearField("created_at")
    view.ClearField("updated_at")
    view.ClearField("fraud")
    return view


def _normalized(a: ShippingAddress) -> ShippingAddress:
    out = ShippingAddress()
    out.CopyFrom(a)
    out.country = a.country.upper()
    out.region = a.region.upper()
    return out
