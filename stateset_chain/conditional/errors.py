"""Failures of the conditional orders module (codespace ``conditional``), one class per failure.

ConditionalError (codespace "conditional")
├── ConditionalOrderNotFound 2, InvalidConditionalId 3
├── NoConditions 4, TooManyConditions 5, InvalidCondition 6, InvalidExpiry 7
├── NotAuthorized 8 (not the creator), NotWaiting 9 (executed, canceled, lapsed or failed)
├── ConditionsNotMet 10 (MsgExecuteConditionalOrder while a condition does not hold)
└── InvalidGenesis 11
"""

from __future__ import annotations

from stateset_chain.errors import ChainError, register


class ConditionalError(ChainError):
    codespace = "conditional"


def _error(name: str, code: int, description: str) -> type[ConditionalError]:
    cls = type(name, (ConditionalError,), {"code": code, "description": description})
    register(cls)
    return cls  # type: ignore[return-value]


ConditionalOrderNotFound = _error("ConditionalOrderNotFound", 2, "conditional order not found")
InvalidConditionalId = _error("InvalidConditionalId", 3, "invalid conditional order id")
NoConditions = _error("NoConditions", 4, "a conditional order needs a condition")
TooManyConditions = _error("TooManyConditions", 5, "too many conditions")
InvalidCondition = _error("InvalidCondition", 6, "invalid condition")
InvalidExpiry = _error("InvalidExpiry", 7, "expiry must be after the block time")
NotAuthorized = _error("NotAuthorized", 8, "only the creator may do this")
NotWaiting = _error("NotWaiting", 9, "the conditional order is no longer waiting")
ConditionsNotMet = _error("ConditionsNotMet", 10, "a condition does not hold")
InvalidGenesis = _error("InvalidGenesis", 11, "invalid conditional genesis")
