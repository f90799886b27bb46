"""The subscription lifecycle (Stripe Billing's states): the table, and the one function that
changes a status.

    INCOMPLETE -> ACTIVE (first charge paid), CANCELED (retries exhausted, cancel)
    TRIALING   -> ACTIVE (first charge paid), PAST_DUE (first charge failed), PAUSED, CANCELED
    ACTIVE     -> PAST_DUE (a renewal failed), PAUSED, CANCELED
    PAST_DUE   -> ACTIVE (a retry paid), CANCELED (retries exhausted, cancel)
    PAUSED     -> ACTIVE, TRIALING (resume: back to the status it was paused from), CANCELED
    (INCOMPLETE, TRIALING, ACTIVE, PAST_DUE) -> RESEAL_REQUIRED (a cycle's order was refused
               for its sealed personal data: a recipient rotated its key)
    RESEAL_REQUIRED -> the status it came from (the customer re-sealed), CANCELED
    CANCELED   terminal
    UNPAID     not used: dunning ends in CANCELED (kept in the enum, Stripe's other choice)

``transition`` is the only code that assigns ``status`` after creation; it re-indexes the
subscription under its new status and emits SubscriptionStatusChanged.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.context import Context
from stateset_chain.subscriptions.errors import InvalidTransition

from stateset.subscriptions.v1 import events_pb2 as events
from stateset.subscriptions.v1.subscriptions_pb2 import Subscription, SubscriptionStatus

INCOMPLETE = SubscriptionStatus.SUBSCRIPTION_STATUS_INCOMPLETE
TRIALING = SubscriptionStatus.SUBSCRIPTION_STATUS_TRIALING
ACTIVE = SubscriptionStatus.SUBSCRIPTION_STATUS_ACTIVE
PAST_DUE = SubscriptionStatus.SUBSCRIPTION_STATUS_PAST_DUE
PAUSED = SubscriptionStatus.SUBSCRIPTION_STATUS_PAUSED
CANCELED = SubscriptionStatus.SUBSCRIPTION_STATUS_CANCELED
UNPAID = SubscriptionStatus.SUBSCRIPTION_STATUS_UNPAID
RESEAL_REQUIRED = SubscriptionStatus.SUBSCRIPTION_STATUS_RESEAL_REQUIRED

TRANSITIONS: dict[int, frozenset[int]] = {
    INCOMPLETE: frozenset({ACTIVE, CANCELED, RESEAL_REQUIRED}),
    TRIALING: frozenset({ACTIVE, PAST_DUE, PAUSED, CANCELED, RESEAL_REQUIRED}),
    ACTIVE: frozenset({PAST_DUE, PAUSED, CANCELED, RESEAL_REQUIRED}),
    PAST_DUE: frozenset({ACTIVE, CANCELED, RESEAL_REQUIRED}),
    PAUSED: frozenset({ACTIVE, TRIALING, CANCELED}),
    RESEAL_REQUIRED: frozenset({INCOMPLETE, TRIALING, ACTIVE, PAST_DUE, CANCELED}),
    CANCELED: frozenset(),
    UNPAID: frozenset(),
}

# the statuses whose subscription sits in the due queue
SCHEDULED = frozenset({INCOMPLETE, TRIALING, ACTIVE, PAST_DUE})


def status_name(status: int) -> str:
    return SubscriptionStatus.Name(status).removeprefix("SUBSCRIPTION_STATUS_")


def require_transition(sub: Subscription, to: int) -> None:
    if to not in TRANSITIONS[sub.status]:
        sources = sorted(s for s, nexts in TRANSITIONS.items() if to in nexts)
        allowed = ", ".join(status_name(s) for s in sources) or "none"
        raise InvalidTransition(
            f"subscription {sub.id} is {status_name(sub.status)}; "
            f"{status_name(to)} is reachable only from {allowed}"
        )


def transition(keeper, ctx: Context, sub: Subscription, to: int, reason: str) -> None:
    """Move ``sub`` to ``to`` through the table; the caller saves it."""
    require_transition(sub, to)
    before = sub.status
    keeper.move_status(ctx.store, sub, to)
    sub.status = to
    ctx.events.emit(
        events.SubscriptionStatusChanged(
            subscription_id=sub.id, to=to, reason=reason, **{"from": before}
        )
    )
