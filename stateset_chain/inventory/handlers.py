"""The inventory messages.

MsgSetInventory{merchant, sku, quantity, low_stock_threshold}
    signer merchant; sku 1..128 bytes (InvalidSku). Starts tracking the SKU or re-counts it:
    available = quantity; reserved unchanged (orders still hold it); set = quantity + reserved;
    shipped = adjusted = 0. Emits InventorySet.
MsgAdjustInventory{merchant, sku, delta, reason}
    signer merchant; sku (InvalidSku); delta != 0 (InvalidAdjustment); reason 1..256 bytes
    (MissingReason); tracked (UntrackedSku); available + delta >= 0 (InsufficientStock).
    available += delta; adjusted += delta. Emits InventoryAdjusted.
MsgRestockReturn{merchant, order_id}
    signer merchant; the order exists (orders OrderNotFound); its merchant (NotAuthorized); it is
    RETURNED, or REFUNDED after its return (OrderNotReturned); its reservation was shipped and not
    restocked yet (NothingToRestock). The shipped units go back to available (adjusted += them:
    the shipped count since the last set is history). Emits StockRestocked.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.bank.handlers import require_address
from stateset_chain.context import Context
from stateset_chain.inventory.errors import (
    InsufficientStock,
    InvalidAdjustment,
    InvalidSku,
    MissingReason,
    NotAuthorized,
    NothingToRestock,
    OrderNotReturned,
    UntrackedSku,
)
from stateset_chain.inventory.state import SHIPPED_STATE, InventoryKeeper
from stateset_chain.orders.lifecycle import REFUNDED, RETURNED
from stateset_chain.orders.msgs.common import require_order_id

from stateset.inventory.v1 import events_pb2 as events
from stateset.inventory.v1 import tx_pb2 as tx
from stateset.inventory.v1.inventory_pb2 import Stock

MAX_SKU_BYTES = 128
MAX_REASON_BYTES = 256
MAX_QUANTITY = 2**63 - 1


def require_sku(sku: str) -> None:
    if not 1 <= len(sku.encode()) <= MAX_SKU_BYTES:
        raise InvalidSku(f"{sku!r} must be 1..{MAX_SKU_BYTES} bytes")


def validate_set(msg: tx.MsgSetInventory) -> None:
    require_address(msg.merchant, "merchant")
    require_sku(msg.sku)
    if msg.quantity > MAX_QUANTITY:
        raise InvalidAdjustment(f"quantity {msg.quantity}")


def set_inventory(keeper: InventoryKeeper, ctx: Context, msg: tx.MsgSetInventory):
    stock = keeper.stock(ctx.store, msg.merchant, msg.sku) or Stock(
        merchant=msg.merchant, sku=msg.sku
    )
    stock.available = msg.quantity
    stock.set = msg.quantity + stock.reserved
    stock.shipped = 0
    stock.adjusted = 0
    stock.low_stock_threshold = msg.low_stock_threshold
    keeper.save_stock(ctx.store, stock)
    ctx.events.emit(events.InventorySet(stock=stock))
    return tx.MsgSetInventoryResponse(stock=stock)


def validate_adjust(msg: tx.MsgAdjustInventory) -> None:
    require_address(msg.merchant, "merchant")
    require_sku(msg.sku)
    if msg.delta == 0:
        raise InvalidAdjustment("delta must not be 0")
    if not 1 <= len(msg.reason.encode()) <= MAX_REASON_BYTES:
        raise MissingReason(f"reason must be 1..{MAX_REASON_BYTES} bytes")


def adjust_inventory(keeper: InventoryKeeper, ctx: Context, msg: tx.MsgAdjustInventory):
    stock = keeper.stock(ctx.store, msg.merchant, msg.sku)
    if stock is None:
        raise UntrackedSku(f"{msg.sku} at {msg.merchant}: set it first")
    if stock.available + msg.delta < 0:
        raise InsufficientStock(f"{msg.sku}: {stock.available} available, delta {msg.delta}")
    if stock.available + msg.delta > MAX_QUANTITY:
        raise InvalidAdjustment(f"{msg.sku}: available would exceed {MAX_QUANTITY}")
    stock.available += msg.delta
    stock.adjusted += msg.delta
    keeper.save_stock(ctx.store, stock)
    ctx.events.emit(events.InventoryAdjusted(stock=stock, delta=msg.delta, reason=msg.reason))
    return tx.MsgAdjustInventoryResponse(stock=stock)


def validate_restock(msg: tx.MsgRestockReturn) -> None:
    require_address(msg.merchant, "merchant")
    require_order_id(msg.order_id)


def restock_return(keeper: InventoryKeeper, ctx: Context, msg: tx.MsgRestockReturn):
    order = keeper.orders.must_get_order(ctx.store, msg.order_id)
    if order.merchant != msg.merchant:
        raise NotAuthorized(f"{msg.merchant} is not the merchant of order {order.id}")
    returned = any(e.status == RETURNED for e in order.timeline)
    if order.status not in (RETURNED, REFUNDED) or not returned:
        raise OrderNotReturned(f"order {order.id}")
    r = keeper.reservation(ctx.store, order.id)
    if r is None or r.state != SHIPPED_STATE:
        raise NothingToRestock(f"order {order.id}")
    changed = keeper.restock(ctx, r)
    ctx.events.emit(events.StockRestocked(order_id=order.id, stocks=changed))
    return tx.MsgRestockReturnResponse()
