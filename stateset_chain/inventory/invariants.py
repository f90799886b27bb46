"""Inventory invariants: crash (``InvariantBroken``) if state contradicts them."""

from __future__ import annotations

from stateset_chain.context import Context
from stateset_chain.errors import InvariantBroken
from stateset_chain.inventory.state import RESERVED, InventoryKeeper


def stock_balanced(keeper: InventoryKeeper, ctx: Context) -> None:
    """For each (SKU, location): available + reserved + shipped == set + adjusted, and reserved ==
    what the RESERVED reservations hold there. No unit is created or lost."""
    held: dict[tuple[str, str, str], int] = {}
    for r in keeper.all_reservations(ctx.store):
        if r.state == RESERVED:
            for line in r.lines:
                key = (r.merchant, line.sku, line.location)
                held[key] = held.get(key, 0) + line.quantity
    for s in keeper.all_stocks(ctx.store):
        where = f"inventory {s.merchant}/{s.sku}@{s.location or '(default)'}"
        if s.available + s.reserved + s.shipped != s.set + s.adjusted:
            raise InvariantBroken(f"{where}: units do not add up")
        if held.pop((s.merchant, s.sku, s.location), 0) != s.reserved:
            raise InvariantBroken(f"{where}: reserved != reservations")
    if held:
        raise InvariantBroken(f"reservations of untracked SKUs: {sorted(held)}")


ALL = (stock_balanced,)
