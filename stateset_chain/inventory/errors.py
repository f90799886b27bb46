"""Failures of the inventory module (codespace ``inventory``), one class per failure.

InventoryError (codespace "inventory")
├── InsufficientStock 2   an order (or a negative adjustment) needs more than is available
├── UntrackedSku 3        MsgAdjustInventory of a SKU never set
├── InvalidSku 4          empty or longer than 128 bytes
├── MissingReason 5       an adjustment without a reason (or one over 256 bytes)
├── NotAuthorized 6       not the order's merchant
├── NothingToRestock 7    the order holds no shipped reservation (or it was restocked)
├── OrderNotReturned 8    the order is not RETURNED or REFUNDED after a return
├── InvalidGenesis 9
├── InvalidAdjustment 10  delta == 0, or the result out of range
└── InvalidLocation 11    a location longer than 64 bytes or not printable
"""

from __future__ import annotations

from stateset_chain.errors import ChainError


class InventoryError(ChainError):
    codespace = "inventory"


class InsufficientStock(InventoryError, code=2, description="not enough stock available"): ...
class UntrackedSku(InventoryError, code=3, description="the merchant does not track this SKU"): ...
class InvalidSku(InventoryError, code=4, description="invalid SKU"): ...
class MissingReason(InventoryError, code=5, description="an adjustment needs a reason"): ...
class NotAuthorized(
    InventoryError, code=6, description="only the order's merchant may do this"
): ...
class NothingToRestock(
    InventoryError, code=7, description="the order has no shipped stock to restock"
): ...
class OrderNotReturned(InventoryError, code=8, description="the order was not returned"): ...
class InvalidGenesis(InventoryError, code=9, description="invalid inventory genesis"): ...
class InvalidAdjustment(InventoryError, code=10, description="invalid adjustment"): ...
class InvalidLocation(InventoryError, code=11, description="invalid location"): ...
