"""The inventory module's typed events.

They are declared in proto/stateset/inventory/v1/events.proto; ``ALL`` keeps that order.

SPEC.md ("Events") says which message emits which; ``tests/test_spec_tables.py`` checks that the
two agree.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401

from stateset.inventory.v1.events_pb2 import (
    InventoryAdjusted,
    InventorySet,
    StockReleased,
    StockReserved,
    StockRestocked,
    StockShipped,
)

ALL = (
    InventorySet,
    InventoryAdjusted,
    StockReserved,
    StockReleased,
    StockShipped,
    StockRestocked,
)
