"""MsgAdjustInventory{merchant, sku, delta, reason}: add or remove stock with a reason.

signer    merchant
validate  merchant is a canonical address                          -> sdk InvalidAddress
          sku is 1..128 bytes                                      -> InvalidSku
          location is "" (the default) or <= 64 printable bytes    -> InvalidLocation
          delta != 0                                               -> InvalidAdjustment
          reason is 1..256 bytes                                   -> MissingReason
guard     the SKU is tracked                                       -> UntrackedSku
          available + delta >= 0                                   -> InsufficientStock
          available + delta <= 2**63 - 1                           -> InvalidAdjustment
change    available += delta; adjusted += delta
emit      InventoryAdjusted
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.crypto.address import require_address
from stateset_chain.inventory.errors import (
    InsufficientStock,
    InvalidAdjustment,
    MissingReason,
    UntrackedSku,
)
from stateset_chain.inventory.msgs.common import (
    MAX_QUANTITY,
    MAX_REASON_BYTES,
    require_location,
    require_sku,
)
from stateset_chain.inventory.state import InventoryKeeper

from stateset.inventory.v1 import events_pb2 as events
from stateset.inventory.v1 import tx_pb2 as tx

MSG = tx.MsgAdjustInventory


def signers(msg: tx.MsgAdjustInventory) -> list[str]:
    return [msg.merchant]


def validate(msg: tx.MsgAdjustInventory) -> None:
    require_address(msg.merchant, "merchant")
    require_sku(msg.sku)
    require_location(msg.location)
    if msg.delta == 0:
        raise InvalidAdjustment("delta must not be 0")
    if not 1 <= len(msg.reason.encode()) <= MAX_REASON_BYTES:
        raise MissingReason(f"reason must be 1..{MAX_REASON_BYTES} bytes")


def handle(
    keeper: InventoryKeeper, ctx: Context, msg: tx.MsgAdjustInventory
) -> tx.MsgAdjustInventoryResponse:
    stock = keeper.stock(ctx.store, msg.merchant, msg.sku, msg.location)
    if stock is None:
        raise UntrackedSku(f"{msg.sku} at {msg.merchant} {msg.location!r}: set it first")
    if stock.available + msg.delta < 0:
        raise InsufficientStock(f"{msg.sku}: {stock.available} available, delta {msg.delta}")
    if stock.available + msg.delta > MAX_QUANTITY:
        raise InvalidAdjustment(f"{msg.sku}: available would exceed {MAX_QUANTITY}")
    stock.available += msg.delta
    stock.adjusted += msg.delta
    keeper.save_stock(ctx.store, stock)
    ctx.events.emit(events.InventoryAdjusted(stock=stock, delta=msg.delta, reason=msg.reason))
    return tx.MsgAdjustInventoryResponse(stock=stock)
