"""Opening hours: validation of intervals and "is it open now?" in the town's time zone."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# Stored closing time for "until midnight": TIME cannot hold 24:00.
END_OF_DAY = time(23, 59, 59)
# How many days ahead (today included) a resident may pick a pickup time (orders' slots).
PICKUP_DAYS_AHEAD = 7


@dataclass(frozen=True)
class Interval:
    """One opening interval of a weekday (0 = Monday), local wall-clock times."""

    weekday: int
    opens: time
    closes: time


class InvalidHours(ValueError):
    """Opening hours that cannot be right; `code` names the problem for the message."""

    def __init__(self, code: str, weekday: int | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.weekday = weekday


def parse_clock(text: str) -> time:
    """Parse "8:00", "08:00", "8h30" or "24:00"; raise InvalidHours('bad_time') otherwise."""
    raw = text.strip().lower().replace("h", ":")
    if raw.endswith(":"):
        raw += "00"
    parts = raw.split(":")
    if len(parts) != 2 or not all(p.isdigit() for p in parts) or len(parts[1]) != 2:
        raise InvalidHours("bad_time")
    hours, minutes = int(parts[0]), int(parts[1])
    if (hours, minutes) == (24, 0):
        return END_OF_DAY
    if hours > 23 or minutes > 59:
        raise InvalidHours("bad_time")
    return time(hours, minutes)


def format_clock(value: time) -> str:
    """Format a stored time as HH:MM, showing the end of day as 24:00."""
    return "24:00" if value == END_OF_DAY else value.strftime("%H:%M")


def check_intervals(intervals: list[Interval]) -> list[Interval]:
    """Return the intervals sorted; raise InvalidHours if one is empty or two overlap."""
    ordered = sorted(intervals, key=lambda i: (i.weekday, i.opens))
    for interval in ordered:
        if not 0 <= interval.weekday <= 6:
            raise InvalidHours("bad_weekday")
        if interval.opens >= interval.closes:
            raise InvalidHours("closes_before_opens", interval.weekday)
    for previous, current in itertools.pairwise(ordered):
        if previous.weekday == current.weekday and current.opens < previous.closes:
            raise InvalidHours("overlap", current.weekday)
    return ordered


def is_closed_on(closures, day: date) -> bool:
    """True if `day` falls inside one of the closure periods."""
    return any(c.starts_on <= day <= c.ends_on for c in closures)


def is_open_at(hours, closures, when: datetime, tz: str) -> bool:
    """True if a shop with these hours and closures is open at the aware datetime `when`."""
    local = when.astimezone(ZoneInfo(tz))
    if is_closed_on(closures, local.date()):
        return False
    clock = local.time().replace(tzinfo=None)
    return any(h.weekday == local.weekday() and h.opens <= clock < h.closes for h in hours) or any(
        h.weekday == local.weekday() and h.closes == END_OF_DAY and clock >= h.opens for h in hours
    )


def next_opening(hours, closures, when: datetime, tz: str) -> datetime | None:
    """Return the next local datetime (within two weeks) when the shop opens, or None."""
    zone = ZoneInfo(tz)
    local = when.astimezone(zone)
    for offset in range(15):
        day = local.date() + timedelta(days=offset)
        if is_closed_on(closures, day):
            continue
        for h in sorted((h for h in hours if h.weekday == day.weekday()), key=lambda h: h.opens):
            start = datetime.combine(day, h.opens, tzinfo=zone)
            if start > local:
                return start
    return None


def takes_orders(hours, closures, when: datetime, tz: str, days: int = PICKUP_DAYS_AHEAD) -> bool:
    """True if the shop opens on one of the next `days` days (today: not yet closed), so that an
    order placed now has a pickup time; False when it is closed for all of them (holidays)."""
    local = when.astimezone(ZoneInfo(tz))
    clock = local.time().replace(tzinfo=None)
    for offset in range(days):
        day = local.date() + timedelta(days=offset)
        if is_closed_on(closures, day):
            continue
        if any(h.weekday == day.weekday() and (offset or h.closes > clock) for h in hours):
            return True
    return False
