"""What the compliance module needs from other modules.

Its checks stand alone; the orders, bank and cctp modules hold the keeper through their own
narrow Protocols (``orders.expected.ComplianceGuard``, ``bank.expected.SendGuard``,
``cctp.expected.ComplianceGuard``), given at construction in wiring.py. One thing goes the other
way: the end block's freeze of a newly sanctioned party's open orders, which only the orders
module can do (``OrderFreezer``; the orders keeper attaches itself as it is built).
"""

from __future__ import annotations

from typing import Protocol

from stateset_chain.context import Context


class OrderFreezer(Protocol):
    def freeze_open_orders(
        self, ctx: Context, party: str, after_sequence: int, budget: int
    ) -> tuple[int, int, bool]:
        """Screen up to ``budget`` of ``party``'s escrow-holding orders with a sequence above
        ``after_sequence`` and freeze each that fails (orders/freezing.py). Returns (the last
        sequence examined, how many were examined, whether none is left after it)."""
        ...
