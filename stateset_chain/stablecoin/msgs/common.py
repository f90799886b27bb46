"""Rules both stablecoin messages share."""

from __future__ import annotations

from stateset_chain import coins
from stateset_chain.crypto.address import require_address
from stateset_chain.stablecoin.errors import InvalidAmount


def parse_amount(text: str) -> int:
    """A positive amount in base units (the chain's one grammar, ``coins.parse_amount``)."""
    return coins.parse_amount(text, InvalidAmount)


def validate_sender_and_amount(sender: str, amount: str) -> int:
    """The amount, in base units."""
    require_address(sender, "sender")
    return parse_amount(amount)
