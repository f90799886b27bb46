"""Failures of the bank module (codespace ``bank``).

Missing funds and malformed coins or addresses use the SDK root errors (``InsufficientFunds``,
``InvalidCoins``, ``InvalidAddress``), as the Cosmos SDK's x/bank does.
"""

from __future__ import annotations

from stateset_chain.errors import ChainError


class BankError(ChainError):
    codespace = "bank"


class UnknownDenom(BankError, code=2, description="unknown denom"): ...


class BlockedRecipient(
    BankError, code=3, description="recipient is not allowed to receive funds"
): ...


class InvalidGenesis(BankError, code=4, description="invalid bank genesis"): ...
