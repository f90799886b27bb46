"""What the oracle module needs from other modules: nothing.

Its keeper stands alone. Consumers (the orders' EUR pricing, conditional orders' exchange-rate
condition) hold it through a Protocol in their own ``expected.py`` naming the one read they need,
``OracleKeeper.usd_rate(store, currency, now) -> AcceptedRate``, given at construction in
wiring.py.
"""

from __future__ import annotations
