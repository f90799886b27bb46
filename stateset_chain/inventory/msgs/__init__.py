"""One file per message (``MSG``, ``signers``, ``validate``, ``handle``), in Msg service order."""

from __future__ import annotations

from stateset_chain.inventory.msgs import adjust_inventory, restock_return, set_inventory

ALL = (set_inventory, adjust_inventory, restock_return)
