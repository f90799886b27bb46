"""Time windows in block time, with integer arithmetic only.

Account limits use fixed calendar windows of the block time (UTC):

    day(t)   = t // 86400                            (days since 1970-01-01)
    month(t) = 12 * year(t) + (month_of_year(t) - 1)  (the proleptic Gregorian calendar)

An outflow at block time ``t`` counts against ``day(t)`` and ``month(t)``; when the stored
window's number differs from the current one, its volume restarts at 0 (one entry per account,
denom and window: constant size and cost).

The velocity rule uses a sliding window made of buckets: ``bucket(t) = t // bucket_seconds``,
and the window at ``t`` is the ``window_seconds // bucket_seconds`` buckets ending with
``bucket(t)`` (so it covers between ``window - bucket`` and ``window`` seconds of history).
"""

from __future__ import annotations

SECONDS_PER_DAY = 86_400


def day_number(t_seconds: int) -> int:
    return t_seconds // SECONDS_PER_DAY


def civil_from_days(days: int) -> tuple[int, int, int]:
    """(year, month 1-12, day 1-31) of a day number (days since 1970-01-01), the proleptic
    Gregorian calendar; Howard Hinnant's integer algorithm."""
    z = days + 719_468
    era = (z if z >= 0 else z - 146_096) // 146_097
    doe = z - era * 146_097
    yoe = (doe - doe // 1460 + doe // 36_524 - doe // 146_096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return (y + 1 if m <= 2 else y, m, d)


def month_number(t_seconds: int) -> int:
    year, month, _ = civil_from_days(day_number(t_seconds))
    return 12 * year + month - 1


def velocity_buckets(t_seconds: int, window_seconds: int, bucket_seconds: int) -> range:
    """The bucket numbers of the sliding window ending at ``t_seconds``."""
    last = t_seconds // bucket_seconds
    n = window_seconds // bucket_seconds
    return range(max(0, last - n + 1), last + 1)
