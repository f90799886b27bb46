"""The fast bank writes its CoinsTransferred attributes directly (stateset_chain/fast/bank.py);
they must be the reference's (bank/events.py: the typed event's attributes)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

import stateset_chain.pb  # noqa: F401
from stateset_chain import fast
from stateset_chain.bank import events
from stateset_chain.bank.events import coins_transferred_attributes
from stateset_chain.bank.state import COINS_TRANSFERRED
from stateset_chain.coins import Coin
from stateset_chain.events import typed_attributes

from stateset.bank.v1 import events_pb2

DENOMS = st.from_regex(r"[a-zA-Z][a-zA-Z0-9/:._-]{2,20}", fullmatch=True)
COINS = st.lists(st.builds(Coin, DENOMS, st.integers(1, 2**256 - 1)), max_size=3)


@given(st.text(max_size=50), st.text(max_size=50), COINS)
def test_coins_transferred_attributes_are_the_typed_events(sender, recipient, coins):
    msg = events_pb2.CoinsTransferred(
        sender=sender, recipient=recipient, amount=[c.to_proto() for c in coins]
    )
    assert COINS_TRANSFERRED == msg.DESCRIPTOR.full_name
    assert coins_transferred_attributes(sender, recipient, coins) == typed_attributes(msg)
    reference = fast.reference(events, "coins_transferred_attributes")
    assert reference(sender, recipient, coins) == typed_attributes(msg)
    assert coins_transferred_attributes.__module__ == "stateset_chain.fast.bank"
