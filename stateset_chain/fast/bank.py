"""The fast ``coins_transferred_attributes`` of ``stateset_chain/bank/events.py`` (the
reference): every transfer emits ``CoinsTransferred`` twice (fee and message), and building the
protobuf message only to read its fields back as JSON costs more than the rest of the event, so
the JSON is written directly: fields sorted by name, proto3 JSON values (a coin's amount is a
string). tests/fast/test_bank.py holds both to the same attributes.
"""

from __future__ import annotations

from stateset_chain.coins import Coin
from stateset_chain.events import json_string as _quote

REPLACES = ("coins_transferred_attributes",)


def coins_transferred_attributes(
    sender: str, recipient: str, coins: list[Coin]
) -> list[tuple[str, str]]:
    amount = ",".join(
        ['{"amount":"' + str(c.amount) + '","denom":' + _quote(c.denom) + "}" for c in coins]
    )
    return [("amount", "[" + amount + "]"), ("recipient", _quote(recipient)),
            ("sender", _quote(sender))]
