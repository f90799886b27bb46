"""Store keys of the inventory module (SPEC.md, "State").

    inventory/ 0x01 | len(merchant) merchant | len(sku) sku  -> Stock
    inventory/ 0x02 | len(order id) order id                 -> Reservation
    inventory/ 0x03 | len(merchant) merchant | len(sku) sku | len(location) location -> Stock
                                                      (a named location; 0x01 is the default one)
"""

from __future__ import annotations

MODULE_NAME = "inventory"
PREFIX = b"inventory/"
STOCKS_PREFIX = PREFIX + b"\x01"
RESERVATIONS_PREFIX = PREFIX + b"\x02"
LOCATED_STOCKS_PREFIX = PREFIX + b"\x03"
