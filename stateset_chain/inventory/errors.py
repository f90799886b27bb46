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
└── InvalidAdjustment 10  delta == 0, or the result out of range
"""

from __future__ import annotations

from stateset_chain.errors import ChainError, register


class InventoryError(ChainError):
    codespace = "inventory"


def _error(name: str, code: int, description: str) -> type[InventoryError]:
    cls = type(name, (InventoryError,), {"code": code, "description": description})
    register(cls)
    return cls  # type: ignore[return-value]


InsufficientStock = _error("InsufficientStock", 2, "not enough stock available")
UntrackedSku = _error("UntrackedSku", 3, "the merchant does not track this SKU")
InvalidSku = _error("InvalidSku", 4, "invalid SKU")
MissingReason = _error("MissingReason", 5, "an adjustment needs a reason")
NotAuthorized = _error("NotAuthorized", 6, "only the order's merchant may do this")
NothingToRestock = _error("NothingToRestock", 7, "the order has no shipped stock to restock")
OrderNotReturned = _error("OrderNotReturned", 8, "the order was not returned")
InvalidGenesis = _error("InvalidGenesis", 9, "invalid inventory genesis")
InvalidAdjustment = _error("InvalidAdjustment", 10, "invalid adjustment")
