"""The bank module's typed events.

They are declared in proto/stateset/bank/v1/events.proto; ``ALL`` keeps that order.

SPEC.md ("Events") says which message emits which; ``tests/test_spec_tables.py`` checks that the
two agree.

Besides these, every movement writes the Cosmos SDK's plain bank events (``coin_spent``,
``coin_received``, ``transfer``, ``coinbase``, ``burn``: ``state.py``).
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401

from stateset.bank.v1.events_pb2 import (
    CoinsBurned,
    CoinsMinted,
    CoinsTransferred,
)

ALL = (
    CoinsTransferred,
    CoinsMinted,
    CoinsBurned,
)
