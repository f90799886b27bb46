"""Orders genesis JSON (``stateset.orders.v1.GenesisState`` with proto field names), and its
inverse.

    {"params": {"authority": "stateset1...", "platform_fee_bps": 100, ...},
     "orders": [...], "payment_sequence": "1", "refund_sequence": "1"}

Missing params fields keep their defaults (``params.default_params``), so ``{}`` is valid, but the
``platform_address`` may not be one the bank blocks (``BlockedSettlementRecipient``, as for
MsgUpdateParams). Orders are optional; when given they must have sequences 1..N in order,
non-decreasing creation times, unique ids and client ids, and consistent amounts, and an order
not yet settled may not name a blocked merchant, supplier or platform (as for MsgCreateOrder);
an order without a ``platform_address`` (exported before orders recorded the platform's terms)
takes the genesis params' address and fee; their
indexes, counters and settlement queue entries are rebuilt from them. Their escrow lives in the
bank genesis (the ``orders_escrow`` balance), and the ``escrow_balance`` invariant checks the two
agree. Export writes every field, orders in sequence order, so ``init(export(s))`` reproduces the
module's state byte for byte.

InitChain hands ``orders`` as a stream (``Module.genesis_streams``; ``genesisjson``): each order
is decoded, checked and written before the next is parsed, so a genesis of a million orders is
never held decoded; a list works the same.
"""

from __future__ import annotations

from collections.abc import Iterable

from google.protobuf import json_format

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.crypto import address
from stateset_chain.errors import ChainError
from stateset_chain.orders import escrow, fx, ids, settlement
from stateset_chain.orders.errors import InvalidGenesis, InvalidParams
from stateset_chain.orders.lifecycle import DELIVERED, TRANSITIONS
from stateset_chain.orders.money import BPS
from stateset_chain.orders.msgs.create import CURRENCY_DENOMS
from stateset_chain.orders.params import default_params, validate_params
from stateset_chain.orders.state import OrdersKeeper
from stateset_chain.privacy.envelope import validate_envelope
from stateset_chain.rates import parse_rate
from stateset_chain.timefmt import timestamp_ns

from stateset.orders.v1.genesis_pb2 import GenesisState
from stateset.orders.v1.orders_pb2 import CrossChainOrigin, Order

_FIELDS = {"params", "orders", "payment_sequence", "refund_sequence"}


def init_genesis(keeper: OrdersKeeper, ctx: Context, data: dict) -> None:
    try:
        _init(keeper, ctx, data)
    except json_format.ParseError as e:
        raise InvalidGenesis(str(e)) from None
    except (KeyError, TypeError, AttributeError, ValueError) as e:
        raise InvalidGenesis(f"malformed orders genesis: {e!r}") from e


def _init(keeper: OrdersKeeper, ctx: Context, data: dict) -> None:
    unknown = sorted(set(data) - _FIELDS)
    if unknown:
        raise InvalidGenesis(f"unknown fields {unknown}")
    params = default_params()
    try:
        json_format.ParseDict(data.get("params", {}), params)
    except json_format.ParseError as e:
        raise InvalidParams(str(e)) from None
    validate_params(params)
    settlement.require_settleable(keeper.bank, "platform_address", params.platform_address)
    keeper.set_params(ctx.store, params)

    # The sequences here; the orders one at a time below (InitChain streams a large list:
    # module.genesis_streams), each decoded, checked and written before the next is read.
    state = GenesisState()
    json_format.ParseDict({k: v for k, v in data.items() if k not in ("params", "orders")}, state)
    listed = data.get("orders", [])
    if isinstance(listed, (str, bytes, dict)) or not isinstance(listed, Iterable):
        raise InvalidGenesis(f"orders: not a list: {type(listed).__name__}")
    last_created = 0
    seq = 0
    for seq, item in enumerate(listed, start=1):
        order = Order()
        try:
            json_format.ParseDict(item, order)
        except json_format.ParseError as e:
            raise InvalidGenesis(f"order {seq}: {e}") from None
        if not order.platform_address:  # exported before orders recorded their terms
            order.platform_address = params.platform_address
            order.platform_fee_bps = params.platform_fee_bps
        _check_order(keeper, ctx, order, seq, last_created)
        last_created = timestamp_ns(order.created_at)
        keeper.insert_order(ctx.store, order)
        if order.status == DELIVERED and not order.settled:
            keeper.enqueue_settlement(ctx.store, timestamp_ns(order.settlement_due), order.id)
    keeper.set_next_sequence(ctx.store, seq + 1)
    keeper.payment_sequence.set(ctx.store, max(1, state.payment_sequence))
    keeper.refund_sequence.set(ctx.store, max(1, state.refund_sequence))


def _check_order(
    keeper: OrdersKeeper, ctx: Context, order: Order, seq: int, last_created: int
) -> None:
    where = f"order {seq} ({order.id})"
    _require(ids.is_order_id(order.id), f"{where}: malformed id")
    _require(keeper.get_order(ctx.store, order.id) is None, f"{where}: duplicate id")
    _require(order.sequence == seq, f"{where}: sequence {order.sequence}, expected {seq}")
    supplier = order.revenue_split.supplier
    addresses = [("customer", order.customer), ("merchant", order.merchant)]
    if supplier:
        addresses.append(("supplier", supplier))
    for field, value in addresses:
        _require(
            address.is_canonical(value), f"{where}: {field} {value!r} is not a canonical address"
        )
    _require(order.customer != order.merchant, f"{where}: customer is the merchant")
    if order.HasField("personal_data"):
        try:
            validate_envelope(order.personal_data, merchant=order.merchant, customer=order.customer)
        except ChainError as e:
            raise InvalidGenesis(f"{where}: personal_data: {e.log}") from None
    if order.shipping.HasField("tracking"):
        try:
            validate_envelope(order.shipping.tracking, merchant=order.merchant,
                              customer=order.customer)
        except ChainError as e:
            raise InvalidGenesis(f"{where}: shipping.tracking: {e.log}") from None
    # what settlement would pay (an unsettled order) must not be stranded there
    _require(
        address.is_canonical(order.platform_address),
        f"{where}: platform_address {order.platform_address!r} is not a canonical address",
    )
    _require(order.platform_fee_bps <= BPS, f"{where}: platform_fee_bps above 10000")
    if not order.settled:
        settlement.require_settleable(keeper.bank, f"{where}: merchant", order.merchant)
        settlement.require_settleable(
            keeper.bank, f"{where}: platform_address", order.platform_address
        )
        if supplier:
            settlement.require_settleable(keeper.bank, f"{where}: supplier", supplier)
    _require(
        not order.client_order_id
        or keeper.order_id_by_client_id(ctx.store, order.merchant, order.client_order_id)
        is None,
        f"{where}: duplicate client order id for its merchant",
    )
    _require(order.status in TRANSITIONS, f"{where}: unknown status {order.status}")
    _require(_denom_fits(order), f"{where}: currency/denom")
    _require(0 < order.total, f"{where}: zero total")
    _require(
        order.amount_refunded + order.amount_settled <= order.amount_paid <= fx.payable(order),
        f"{where}: amounts",
    )
    if fx.is_fiat(order):
        _require_fiat(order, where)
    _require(escrow.payment_status(order) == order.payment_status, f"{where}: payment status")
    created = timestamp_ns(order.created_at)
    _require(created >= last_created, f"{where}: created before the previous order")
    _require(
        order.status != DELIVERED or order.settled or order.HasField("settlement_due"),
        f"{where}: delivered without settlement_due",
    )
    for payment in order.payments:
        _require(
            not payment.HasField("cross_chain") or _is_origin(payment.cross_chain),
            f"{where}: payment {payment.id}: cross_chain hashes must be 64 lower-case hex digits",
        )


def _denom_fits(order: Order) -> bool:
    if fx.is_fiat(order):
        return order.denom in fx.PAY_DENOMS
    return CURRENCY_DENOMS.get(order.currency) == order.denom


def _require_fiat(order: Order, where: str) -> None:
    """A fiat order's amounts in the denom come from its lock (orders/fx.py)."""
    _require(order.stablecoin_total > 0, f"{where}: a fiat order needs its stablecoin_total")
    locked = order.HasField("exchange_rate")
    _require(locked or order.amount_paid == 0, f"{where}: paid without a locked rate")
    if locked:
        lock = order.exchange_rate
        rate = parse_rate(lock.rate, InvalidGenesis, field=f"{where}: exchange_rate.rate")
        _require(
            lock.amount_due == fx.stablecoin_amount(order.total, rate)
            == order.stablecoin_total,
            f"{where}: amount due does not follow from the locked rate",
        )
    _require(
        order.amount_refunded
        == fx.refunded_through(order.amount_paid, order.total, order.amount_refunded_fiat),
        f"{where}: refunds do not follow from the locked rate",
    )


def _is_origin(origin: CrossChainOrigin) -> bool:
    """A cross-chain payment's refund is burned to ``original_sender``: both are bytes32 hex."""
    return all(
        len(h) == 64 and all(c in "0123456789abcdef" for c in h)
        for h in (origin.message_hash, origin.original_sender)
    )


def _require(ok: bool, why: str) -> None:
    if not ok:
        raise InvalidGenesis(why)


def export_genesis(keeper: OrdersKeeper, ctx: Context) -> dict:
    state = GenesisState(
        params=keeper.params(ctx.store),
        orders=keeper.all_orders(ctx.store),
        payment_sequence=keeper.payment_sequence.peek(ctx.store),
        refund_sequence=keeper.refund_sequence.peek(ctx.store),
    )
    return json_format.MessageToDict(
        state, preserving_proto_field_name=True, always_print_fields_with_no_presence=True
    )
