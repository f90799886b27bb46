"""The auth module's events: no typed ones.

The ante chain writes the Cosmos SDK's plain ``tx`` events (``fee``/``fee_payer``, ``acc_seq``,
``signature``: ``ante.py``) that wallets and ``tx_search`` look for; SPEC.md lists them.
"""

from __future__ import annotations

ALL: tuple = ()
