"""Failures of the conditional orders module (codespace ``conditional``), one class per failure.

ConditionalError (codespace "conditional")
├── ConditionalOrderNotFound 2, InvalidConditionalId 3
├── NoConditions 4, TooManyConditions 5, InvalidCondition 6, InvalidExpiry 7
├── NotAuthorized 8 (not the creator), NotWaiting 9 (executed, canceled, lapsed or failed)
├── ConditionsNotMet 10 (MsgExecuteConditionalOrder while a condition does not hold)
└── InvalidGenesis 11
"""

from __future__ import annotations

from stateset_chain.errors import ChainError


class ConditionalError(ChainError):
    codespace = "conditional"


class ConditionalOrderNotFound(
    ConditionalError, code=2, description="conditional order not found"
): ...
class InvalidConditionalId(
    ConditionalError, code=3, description="invalid conditional order id"
): ...
class NoConditions(
    ConditionalError, code=4, description="a conditional order needs a condition"
): ...
class TooManyConditions(ConditionalError, code=5, description="too many conditions"): ...
class InvalidCondition(ConditionalError, code=6, description="invalid condition"): ...
class InvalidExpiry(
    ConditionalError, code=7, description="expiry must be after the block time"
): ...
class NotAuthorized(ConditionalError, code=8, description="only the creator may do this"): ...
class NotWaiting(
    ConditionalError, code=9, description="the conditional order is no longer waiting"
): ...
class ConditionsNotMet(ConditionalError, code=10, description="a condition does not hold"): ...
class InvalidGenesis(ConditionalError, code=11, description="invalid conditional genesis"): ...
