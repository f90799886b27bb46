"""The bank module's typed events.

They are declared in proto/stateset/bank/v1/events.proto; ``ALL`` keeps that order.

SPEC.md ("Events") says which message emits which; ``tests/test_spec_tables.py`` checks that the
two agree.

Besides these, every movement writes the Cosmos SDK's plain bank events (``coin_spent``,
``coin_received``, ``transfer``, ``coinbase``, ``burn``: ``state.py``).

``coins_transferred_attributes`` is the attributes of every send's ``CoinsTransferred``: the
reference here, the fast one (the JSON written directly) in ``stateset_chain/fast/bank.py``.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.coins import Coin
from stateset_chain.events import typed_attributes

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


def coins_transferred_attributes(
    sender: str, recipient: str, coins: list[Coin]
) -> list[tuple[str, str]]:
    """The attributes of ``CoinsTransferred{sender, recipient, amount: coins}``."""
    return typed_attributes(CoinsTransferred(
        sender=sender, recipient=recipient, amount=[c.to_proto() for c in coins]
    ))


# -- fast paths ----------------------------------------------------------------------------------
# The same names, faster (stateset_chain/fast/bank.py); the definitions above are the reference.
from stateset_chain import fast as _fast  # noqa: E402
from stateset_chain.fast import bank as _fast_bank  # noqa: E402

_fast.install(globals(), _fast_bank)
