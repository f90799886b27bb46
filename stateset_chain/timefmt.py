"""Block times and ISO 8601, with integer arithmetic only: the chain's one place for time rules.

Times are unix nanoseconds (``ctx.block.time_ns``). ``parse_iso8601`` is the one parser of times
from user input (messages and queries carry ISO 8601 strings); every failure is the class the
caller names (the orders' ``InvalidTimestamp``, say), as with ``coins.parse_amount``. Accepted
ISO 8601 forms:

    YYYY-MM-DD                                    midnight UTC
    YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|+HH:MM|-HH:MM)  a zone is required

Years 0001-9999; no leap seconds. The result may be negative (before 1970); callers clamp. The
instant itself must lie in protobuf's Timestamp range, 0001-01-01T00:00:00Z to
9999-12-31T23:59:59.999999999Z (a zone offset can push a date at either end outside it), so every
parsed time can be stored and emitted as a ``google.protobuf.Timestamp``.

``format_iso8601`` is the one writer of a time as ISO 8601 text: the fraction trimmed (the chain's
messages and tests), or a fixed number of digits (the Orders API and the webhooks show
milliseconds, ``2026-12-01T21:11:42.123Z``). ``timestamp_json`` is the one writer of a
``Timestamp``'s proto3 JSON text (what events and the indexer's views show).

The read side keeps times as ``timestamptz`` (microseconds) and hands ``datetime`` values around;
``datetime_ns`` and ``ns_datetime`` convert between those and unix nanoseconds, so it formats and
parses by the same rules (and years) as the chain.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from google.protobuf.timestamp_pb2 import Timestamp

from stateset_chain.cache import BoundedCache

NS = 1_000_000_000
_DATE = r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
_ISO = re.compile(
    "^" + _DATE
    + r"(?:T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,9}))?(Z|[+-][0-9]{2}:[0-9]{2}))?$"
)
_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


MIN_NS = -62_135_596_800 * NS  # 0001-01-01T00:00:00Z
MAX_NS = 253_402_300_799 * NS + NS - 1  # 9999-12-31T23:59:59.999999999Z
MIN_SECONDS, MAX_SECONDS = MIN_NS // NS, MAX_NS // NS  # whole seconds of the same range


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def days_from_civil(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm)."""
    y = year - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def civil_from_days(days: int) -> tuple[int, int, int]:
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + 3 if mp < 10 else mp - 9
    return yoe + era * 400 + (month <= 2), month, day


def parse_iso8601(
    text: str, field: str = "timestamp", error: type[Exception] = ValueError
) -> int:
    """Unix nanoseconds of an ISO 8601 date or date-time (see the module docstring); ``error``
    for any text that is not one."""
    m = _ISO.fullmatch(text)
    if m is None:
        raise error(f"{field} {text!r} is not YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ")
    year, month, day = _civil_date(m, text, field, error)
    hour, minute, second = (int(m.group(i) or 0) for i in (4, 5, 6))
    frac, zone = m.group(7) or "", m.group(8) or "Z"
    if hour > 23 or minute > 59 or second > 59:
        raise error(f"{field} {text!r}: no such time of day")
    offset = 0
    if zone != "Z":
        zh, zm = int(zone[1:3]), int(zone[4:6])
        if zh > 23 or zm > 59:
            raise error(f"{field} {text!r}: no such zone offset")
        offset = (zh * 3600 + zm * 60) * (1 if zone[0] == "+" else -1)
    seconds = days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second
    ns = (seconds - offset) * NS + int(frac.ljust(9, "0"))
    if not MIN_NS <= ns <= MAX_NS:
        raise error(f"{field} {text!r} is outside 0001-01-01T00:00:00Z..9999-12-31")
    return ns


def parse_iso8601_date(
    text: str, field: str = "date", error: type[Exception] = ValueError
) -> tuple[int, int, int]:
    """(year, month, day) of an ISO 8601 calendar date, ``YYYY-MM-DD`` only (years 0001-9999)."""
    m = re.fullmatch(_DATE, text)
    if m is None:
        raise error(f"{field} {text!r} is not YYYY-MM-DD")
    return _civil_date(m, text, field, error)


def _civil_date(
    m: re.Match[str], text: str, field: str, error: type[Exception]
) -> tuple[int, int, int]:
    year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if year < 1 or not 1 <= month <= 12:
        raise error(f"{field} {text!r}: no such month")
    days_in_month = 29 if month == 2 and _is_leap(year) else _DAYS_IN_MONTH[month - 1]
    if not 1 <= day <= days_in_month:
        raise error(f"{field} {text!r}: no such day")
    return year, month, day


def format_iso8601(ns: int, fraction_digits: int | None = None) -> str:
    """``YYYY-MM-DDTHH:MM:SS[.fffffffff]Z``: the fraction trimmed (the inverse of
    ``parse_iso8601``), or exactly ``fraction_digits`` digits, truncated (3: milliseconds)."""
    seconds, frac = divmod(ns, NS)
    days, rest = divmod(seconds, 86400)
    year, month, day = civil_from_days(days)
    hh, rest = divmod(rest, 3600)
    mm, ss = divmod(rest, 60)
    text = f"{year:04d}-{month:02d}-{day:02d}T{hh:02d}:{mm:02d}:{ss:02d}"
    if fraction_digits is not None:
        digits = f"{frac:09d}"[:fraction_digits]
        return text + (f".{digits}" if digits else "") + "Z"
    return text + (f".{frac:09d}".rstrip("0") if frac else "") + "Z"


def format_iso8601_date(d: date) -> str:
    """``YYYY-MM-DD`` (the inverse of ``parse_iso8601_date``)."""
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def datetime_ns(t: datetime) -> int:
    """Unix nanoseconds of a ``datetime`` (a naive one is UTC)."""
    if t.tzinfo is None:
        t = t.replace(tzinfo=UTC)
    return (t - _EPOCH) // _MICROSECOND * 1000


def ns_datetime(ns: int) -> datetime:
    """The UTC ``datetime`` of unix nanoseconds, truncated to its microsecond (what a
    ``timestamptz`` keeps)."""
    return _EPOCH + timedelta(microseconds=ns // 1000)


def timestamp(ns: int) -> Timestamp:
    seconds, nanos = divmod(ns, NS)
    return Timestamp(seconds=seconds, nanos=nanos)


def timestamp_ns(ts: Timestamp) -> int:
    return ts.seconds * NS + ts.nanos


# A Timestamp's text costs ~2.4 µs (datetime), and a block writes the same few (its block time)
# over and over, so the texts are kept by (seconds, nanos), up to a bound.
_json_texts: BoundedCache[tuple[int, int], str] = BoundedCache(4096)


def timestamp_json(seconds: int, nanos: int) -> str:
    """The proto3 JSON text of ``Timestamp(seconds, nanos)``, unquoted: RFC 3339 with 'Z' and 0,
    3, 6 or 9 fractional digits (``Timestamp.ToJsonString``, which ``json_format`` writes).
    Raises ValueError outside 0001-01-01..9999-12-31, as protobuf does."""
    key = (seconds, nanos)
    text = _json_texts.get(key)
    if text is None:
        text = _json_texts.put(key, Timestamp(seconds=seconds, nanos=nanos).ToJsonString())
    return text
