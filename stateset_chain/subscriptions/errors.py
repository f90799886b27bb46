"""Failures of the subscriptions module (codespace ``subscriptions``), one class per failure.

Malformed addresses are the SDK's ``InvalidAddress`` (sdk 7); an order a subscription describes
is checked by the orders module and refused with its errors (codespace ``orders``).

    SubscriptionsError (codespace "subscriptions")
    ├── lookups        SubscriptionNotFound 2, InvalidSubscriptionId 3
    ├── lifecycle      InvalidTransition 4, NotAuthorized 5, AlreadyCanceling 6
    ├── schedule       InvalidInterval 7, StartInPast 8, EndBeforeStart 9, TrialTooLong 10
    ├── contents       TooManyItems 11
    ├── configuration  InvalidParams 12, InvalidGenesis 13
    ├── charges        AllowanceExceeded 14 (a cycle's order costs more than the period's
    │                  allowance: only ever a failed charge's reason, never a tx result)
    └── queries        UnknownStatus 15 (a status filter no subscription can have),
                       InvalidTimestamp 16 (a due_before outside 1970-01-01..9999-12-31)
"""

from __future__ import annotations

from stateset_chain.errors import ChainError


class SubscriptionsError(ChainError):
    codespace = "subscriptions"


class SubscriptionNotFound(SubscriptionsError, code=2, description="subscription not found"): ...
class InvalidSubscriptionId(SubscriptionsError, code=3, description="invalid subscription id"): ...
class InvalidTransition(
    SubscriptionsError, code=4, description="invalid subscription status transition"
): ...
class NotAuthorized(
    SubscriptionsError, code=5, description="signer may not do this to the subscription"
): ...
class AlreadyCanceling(
    SubscriptionsError, code=6, description="the subscription already ends at period end"
): ...
class InvalidInterval(SubscriptionsError, code=7, description="invalid billing interval"): ...
class StartInPast(SubscriptionsError, code=8, description="start is before the block time"): ...
class EndBeforeStart(
    SubscriptionsError, code=9, description="end is not after the first billing time"
): ...
class TrialTooLong(SubscriptionsError, code=10, description="trial longer than 730 days"): ...
class TooManyItems(SubscriptionsError, code=11, description="too many items"): ...
class InvalidParams(SubscriptionsError, code=12, description="invalid subscriptions params"): ...
class InvalidGenesis(SubscriptionsError, code=13, description="invalid subscriptions genesis"): ...
class AllowanceExceeded(
    SubscriptionsError, code=14, description="the cycle costs more than its allowance"
): ...
class UnknownStatus(SubscriptionsError, code=15, description="unknown subscription status"): ...
class InvalidTimestamp(
    SubscriptionsError, code=16, description="timestamp outside 1970-01-01..9999-12-31"
): ...
