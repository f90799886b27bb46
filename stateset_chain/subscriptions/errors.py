"""Failures of the subscriptions module (codespace ``subscriptions``), one class per failure.

Malformed addresses are the SDK's ``InvalidAddress`` (sdk 7); an order a subscription describes
is checked by the orders module and refused with its errors (codespace ``orders``).

    SubscriptionsError (codespace "subscriptions")
    ├── lookups        SubscriptionNotFound 2, InvalidSubscriptionId 3
    ├── lifecycle      InvalidTransition 4, NotAuthorized 5, AlreadyCanceling 6
    ├── schedule       InvalidInterval 7, StartInPast 8, EndBeforeStart 9, TrialTooLong 10
    ├── contents       TooManyItems 11
    ├── configuration  InvalidParams 12, InvalidGenesis 13
    └── charges        AllowanceExceeded 14 (a cycle's order costs more than the period's
                       allowance: only ever a failed charge's reason, never a tx result)
"""

from __future__ import annotations

from stateset_chain.errors import ChainError, register


class SubscriptionsError(ChainError):
    codespace = "subscriptions"


def _error(name: str, code: int, description: str) -> type[SubscriptionsError]:
    cls = type(name, (SubscriptionsError,), {"code": code, "description": description})
    register(cls)
    return cls  # type: ignore[return-value]


SubscriptionNotFound = _error("SubscriptionNotFound", 2, "subscription not found")
InvalidSubscriptionId = _error("InvalidSubscriptionId", 3, "invalid subscription id")
InvalidTransition = _error("InvalidTransition", 4, "invalid subscription status transition")
NotAuthorized = _error("NotAuthorized", 5, "signer may not do this to the subscription")
AlreadyCanceling = _error("AlreadyCanceling", 6, "the subscription already ends at period end")
InvalidInterval = _error("InvalidInterval", 7, "invalid billing interval")
StartInPast = _error("StartInPast", 8, "start is before the block time")
EndBeforeStart = _error("EndBeforeStart", 9, "end is not after the first billing time")
TrialTooLong = _error("TrialTooLong", 10, "trial longer than 730 days")
TooManyItems = _error("TooManyItems", 11, "too many items")
InvalidParams = _error("InvalidParams", 12, "invalid subscriptions params")
InvalidGenesis = _error("InvalidGenesis", 13, "invalid subscriptions genesis")
AllowanceExceeded = _error("AllowanceExceeded", 14, "the cycle costs more than its allowance")
