"""Opening hours: clock times and the validation of weekly intervals (evaluation: shops.opening)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import time

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
