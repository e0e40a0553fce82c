"""Date ranges chosen by the curator: local dates in, UTC bounds out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DEFAULT_DAYS = 90


@dataclass(frozen=True)
class Period:
    """From `start` to `end` (local dates, both inclusive), with UTC bounds [since, until)."""

    start: date
    end: date
    since: datetime
    until: datetime


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        return None


def make_period(start: date, end: date, tz: str) -> Period:
    """The period between two local dates (swapped if given in the wrong order)."""
    if end < start:
        start, end = end, start
    zone = ZoneInfo(tz)
    since = datetime.combine(start, time(), zone).astimezone(UTC)
    until = datetime.combine(end + timedelta(days=1), time(), zone).astimezone(UTC)
    return Period(start, end, since, until)


def period_from_args(args, tz: str, today: date, default_days: int = DEFAULT_DAYS) -> Period:
    """Read ?start=YYYY-MM-DD&end=YYYY-MM-DD; a missing or bad date falls back to the default."""
    end = _date(args.get("end")) or today
    start = _date(args.get("start")) or end - timedelta(days=default_days - 1)
    return make_period(start, end, tz)
