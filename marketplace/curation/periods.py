"""Date ranges chosen by the curator: local dates in, UTC bounds out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DEFAULT_DAYS = 90
# The marketplace's data lies well inside these; outside them a date is a typing mistake (and
# year 1 or 9999 would overflow the day arithmetic below).
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)
MAX_DAYS = 366 * 10  # ten years of weekly rows at most


@dataclass(frozen=True)
class Period:
    """From `start` to `end` (local dates, both inclusive), with UTC bounds [since, until)."""

    start: date
    end: date
    since: datetime
    until: datetime


def _date(text: str | None) -> date | None:
    try:
        day = date.fromisoformat((text or "").strip())
    except ValueError:
        return None
    return day if FIRST_DAY <= day <= LAST_DAY else None


def make_period(start: date, end: date, tz: str) -> Period:
    """The period between two local dates (swapped if given in the wrong order)."""
    if end < start:
        start, end = end, start
    zone = ZoneInfo(tz)
    since = datetime.combine(start, time(), zone).astimezone(UTC)
    until = datetime.combine(end + timedelta(days=1), time(), zone).astimezone(UTC)
    return Period(start, end, since, until)


def period_from_args(args, tz: str, today: date, default_days: int = DEFAULT_DAYS) -> Period:
    """Read ?start=YYYY-MM-DD&end=YYYY-MM-DD; a missing or bad date falls back to the default.

    A date outside FIRST_DAY..LAST_DAY is a bad date; a period longer than MAX_DAYS is cut to
    the MAX_DAYS that end at its later date.
    """
    end = _date(args.get("end")) or today
    start = _date(args.get("start")) or end - timedelta(days=default_days - 1)
    start, end = min(start, end), max(start, end)
    start = max(start, end - timedelta(days=MAX_DAYS - 1))
    return make_period(start, end, tz)
