"""MsgSetInventory{merchant, sku, quantity, low_stock_threshold}: start tracking a SKU, or
re-count it.

signer    merchant
validate  merchant is a canonical address                          -> sdk InvalidAddress
          sku is 1..128 bytes                                      -> InvalidSku
          location is "" (the default) or <= 64 printable bytes    -> InvalidLocation
          quantity <= 2**63 - 1                                    -> InvalidAdjustment
change    available = quantity; reserved unchanged (orders still hold it);
          set = quantity + reserved; shipped = adjusted = 0
emit      InventorySet
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.crypto.address import require_address
from stateset_chain.inventory.errors import InvalidAdjustment
from stateset_chain.inventory.msgs.common import MAX_QUANTITY, require_location, require_sku
from stateset_chain.inventory.state import InventoryKeeper

from stateset.inventory.v1 import events_pb2 as events
from stateset.inventory.v1 import tx_pb2 as tx
from stateset.inventory.v1.inventory_pb2 import Stock

MSG = tx.MsgSetInventory


def signers(msg: tx.MsgSetInventory) -> list[str]:
    return [msg.merchant]


def validate(msg: tx.MsgSetInventory) -> None:
    require_address(msg.merchant, "merchant")
    require_sku(msg.sku)
    require_location(msg.location)
    if msg.quantity > MAX_QUANTITY:
        raise InvalidAdjustment(f"quantity {msg.quantity}")


def handle(
    keeper: InventoryKeeper, ctx: Context, msg: tx.MsgSetInventory
) -> tx.MsgSetInventoryResponse:
    stock = keeper.stock(ctx.store, msg.merchant, msg.sku, msg.location) or Stock(
        merchant=msg.merchant, sku=msg.sku, location=msg.location
    )
    stock.available = msg.quantity
    stock.set = msg.quantity + stock.reserved
    stock.shipped = 0
    stock.adjusted = 0
    stock.low_stock_threshold = msg.low_stock_threshold
    keeper.save_stock(ctx.store, stock)
    ctx.events.emit(events.InventorySet(stock=stock))
    return tx.MsgSetInventoryResponse(stock=stock)
