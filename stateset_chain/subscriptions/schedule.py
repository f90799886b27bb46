"""Billing periods: where period ``k`` starts, and the periodic allowance.

Periods are counted from the *anchor* (start + trial days). Period ``k`` starts at
``boundary(sub, k)``, computed from the anchor every time (never by adding to the previous one),
so a month clamped to the 28th does not drag later months: a subscription anchored on Jan 31 is
due Feb 28 (29), Mar 31, Apr 30, ... Day-based intervals are exact multiples of 86,400 s. Integer
arithmetic on block time only.

The allowance follows x/feegrant's PeriodicAllowance: ``period_can_spend`` is *set* (not added)
to ``period_spend_limit`` when a charge is tried at or after ``period_reset``, and the next reset
is the start of the following period, so periods that were skipped (paused, or lost to dunning)
never add up to a catch-up charge.
"""

from __future__ import annotations

import stateset_chain.pb  # noqa: F401
from stateset_chain.timefmt import civil_from_days, days_from_civil, timestamp, timestamp_ns

from stateset.subscriptions.v1.subscriptions_pb2 import Interval, Subscription

NS = 1_000_000_000
DAY_NS = 86_400 * NS
MAX_TRIAL_DAYS = 730

DAY_INTERVALS = {Interval.INTERVAL_DAILY: 1, Interval.INTERVAL_WEEKLY: 7}
MONTH_INTERVALS = {Interval.INTERVAL_MONTHLY: 1, Interval.INTERVAL_YEARLY: 12}


def anchor_ns(sub: Subscription) -> int:
    return timestamp_ns(sub.start) + sub.trial_days * DAY_NS


def interval_days(sub: Subscription) -> int | None:
    """Days per period, or None for calendar intervals (months, years)."""
    if sub.interval == Interval.INTERVAL_DAYS:
        return sub.interval_days
    return DAY_INTERVALS.get(sub.interval)


def period_ns(sub: Subscription) -> int | None:
    """The fixed length of a period, or None for calendar intervals (months, years)."""
    if sub.interval == Interval.INTERVAL_SECONDS:
        return sub.interval_seconds * NS
    days = interval_days(sub)
    return None if days is None else days * DAY_NS


def boundary(sub: Subscription, k: int) -> int:
    """The start (unix ns) of billing period ``k`` (0-based)."""
    anchor = anchor_ns(sub)
    step = period_ns(sub)
    if step is not None:
        return anchor + k * step
    return _add_months(anchor, k * MONTH_INTERVALS[sub.interval])


def first_period_at_or_after(sub: Subscription, k: int, now_ns: int) -> int:
    """The smallest period index >= k whose start is >= now (resume, recovery: no catch-up)."""
    if boundary(sub, k) >= now_ns:
        return k
    step = period_ns(sub)
    if step is not None:
        k = max(k, -(-(now_ns - anchor_ns(sub)) // step))
    else:
        months = MONTH_INTERVALS[sub.interval]
        k = max(k, _months_between(anchor_ns(sub), now_ns) // months - 1)
    while boundary(sub, k) < now_ns:
        k += 1
    return k


def _add_months(ns: int, months: int) -> int:
    days, rest = divmod(ns, DAY_NS)
    y, m, d = civil_from_days(days)
    index = y * 12 + (m - 1) + months
    y, m = divmod(index, 12)
    m += 1
    d = min(d, _month_length(y, m))
    return days_from_civil(y, m, d) * DAY_NS + rest


def _month_length(y: int, m: int) -> int:
    nxt = days_from_civil(y + (m == 12), m % 12 + 1, 1)
    return nxt - days_from_civil(y, m, 1)


def _months_between(a_ns: int, b_ns: int) -> int:
    ya, ma, _ = civil_from_days(a_ns // DAY_NS)
    yb, mb, _ = civil_from_days(b_ns // DAY_NS)
    return max(0, (yb - ya) * 12 + (mb - ma))


def try_reset_allowance(sub: Subscription, now_ns: int) -> None:
    """At or after ``period_reset``: top the period up to its limit (no accumulation) and set the
    next reset to the start of the period after ``sub.next_period``."""
    allowance = sub.allowance
    if now_ns < timestamp_ns(allowance.period_reset):
        return
    if sub.pending_items:
        del sub.items[:]
        sub.items.extend(sub.pending_items)
        del sub.pending_items[:]
        allowance.period_spend_limit = sub.pending_spend_limit
        sub.pending_spend_limit = 0
    allowance.period_can_spend = allowance.period_spend_limit
    allowance.period_reset.CopyFrom(timestamp(boundary(sub, sub.next_period + 1)))


def ends_before(sub: Subscription, k: int) -> bool:
    """True when period ``k`` is past the subscription's end or its number of cycles."""
    if sub.max_cycles and sub.cycles_billed >= sub.max_cycles:
        return True
    return sub.HasField("end") and boundary(sub, k) >= timestamp_ns(sub.end)
