"""``timefmt`` is the one place for time text: the read side's datetimes and the Orders API's
millisecond text go through it and come out as the standard library wrote them before."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stateset_chain.timefmt import (
    MAX_NS,
    MAX_SECONDS,
    MIN_NS,
    MIN_SECONDS,
    NS,
    datetime_ns,
    format_iso8601,
    format_iso8601_date,
    ns_datetime,
    parse_iso8601,
    parse_iso8601_date,
)

UTC = dt.UTC
# strftime's %Y pads to four digits only from year 1000 on (glibc); the read side's times are
# block times, so the comparison with the old writer covers 1000-9999.
aware = st.datetimes(
    min_value=dt.datetime(1000, 1, 1), max_value=dt.datetime(9999, 12, 31, 23, 59, 59, 999999),
    timezones=st.just(UTC),
)


def _old_iso(t: dt.datetime) -> str:
    t = t.astimezone(UTC)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


@given(aware)
def test_millisecond_text_is_what_strftime_wrote(t):
    assert format_iso8601(datetime_ns(t), fraction_digits=3) == _old_iso(t)


@given(st.integers(MIN_NS, MAX_NS))
def test_fixed_digits_truncate_the_trimmed_text(ns):
    trimmed = format_iso8601(ns)
    assert parse_iso8601(trimmed) == ns
    fixed = format_iso8601(ns, fraction_digits=9)
    assert parse_iso8601(fixed) == ns
    assert format_iso8601(ns, fraction_digits=0) == format_iso8601(ns - ns % NS)
    assert format_iso8601(ns, fraction_digits=3) == fixed[:23] + "Z"


@given(st.integers(MIN_NS, MAX_NS))
def test_ns_datetime_truncates_to_the_microsecond_and_converts_back(ns):
    t = ns_datetime(ns)
    seconds, rest = divmod(ns, NS)
    assert t == dt.datetime.fromtimestamp(seconds, UTC).replace(microsecond=rest // 1000)
    assert datetime_ns(t) == ns - ns % 1000


def test_a_naive_datetime_is_utc():
    assert datetime_ns(dt.datetime(2026, 12, 1, 21, 11, 42, 123456)) == datetime_ns(
        dt.datetime(2026, 12, 1, 21, 11, 42, 123456, tzinfo=UTC)
    )
    assert format_iso8601(datetime_ns(dt.datetime(2026, 12, 1, 21, 11, 42, 123456)), 3) == (
        "2026-12-01T21:11:42.123Z"
    )


@given(st.dates())
def test_dates_read_and_write_as_the_standard_library_does(d):
    text = d.isoformat()
    assert format_iso8601_date(d) == text
    assert parse_iso8601_date(text) == (d.year, d.month, d.day)


@pytest.mark.parametrize(
    "text", ["2026-02-30", "2026-13-01", "0000-01-01", "20261201", "2026-12-01T00:00:00Z",
             "2026-W49-1", "2026-12-1", " 2026-12-01"],
)
def test_only_a_calendar_date_is_a_date(text):
    with pytest.raises(ValueError):
        parse_iso8601_date(text, "start_date")


def test_the_seconds_range_is_the_timestamp_range():
    assert MIN_SECONDS * NS == MIN_NS
    assert MAX_SECONDS == 253_402_300_799
    assert format_iso8601(MAX_SECONDS * NS) == "9999-12-31T23:59:59Z"
    assert format_iso8601(MIN_SECONDS * NS) == "0001-01-01T00:00:00Z"
