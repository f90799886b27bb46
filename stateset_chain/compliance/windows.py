"""Time windows in block time, with integer arithmetic only.

Account limits use fixed calendar windows of the block time (UTC):

    day(t)   = t // 86400                            (days since 1970-01-01)
    month(t) = 12 * year(t) + (month_of_year(t) - 1)  (``timefmt``'s proleptic Gregorian calendar)

An outflow at block time ``t`` counts against ``day(t)`` and ``month(t)``; when the stored
window's number differs from the current one, its volume restarts at 0 (one entry per account,
denom and window: constant size and cost).

The velocity rule uses a sliding window made of buckets: ``bucket(t) = t // bucket_seconds``,
and the window at ``t`` is the ``window_seconds // bucket_seconds`` buckets ending with
``bucket(t)`` (so it covers between ``window - bucket`` and ``window`` seconds of history).
"""

from __future__ import annotations

from stateset_chain.timefmt import civil_from_days

SECONDS_PER_DAY = 86_400


def day_number(t_seconds: int) -> int:
    return t_seconds // SECONDS_PER_DAY


def month_number(t_seconds: int) -> int:
    year, month, _ = civil_from_days(day_number(t_seconds))
    return 12 * year + month - 1


def velocity_buckets(t_seconds: int, window_seconds: int, bucket_seconds: int) -> range:
    """The bucket numbers of the sliding window ending at ``t_seconds``."""
    last = t_seconds // bucket_seconds
    n = window_seconds // bucket_seconds
    return range(max(0, last - n + 1), last + 1)
