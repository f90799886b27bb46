"""What the compliance module needs from other modules: nothing.

Its keeper stands alone; the orders, bank and cctp modules hold it through their own narrow
Protocols (``orders.expected.ComplianceGuard``, ``bank.expected.SendGuard``,
``cctp.expected.ComplianceGuard``), given at construction in wiring.py.
"""

from __future__ import annotations
