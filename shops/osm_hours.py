"""The OpenStreetMap opening_hours syntax (the subset shops use): parse and format."""

from __future__ import annotations

import re

from shops.hours import Interval, InvalidHours, check_intervals, format_clock, parse_clock

DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
_DAY_RANGE = re.compile(r"^(Mo|Tu|We|Th|Fr|Sa|Su)(?:-(Mo|Tu|We|Th|Fr|Sa|Su))?$")


def _parse_days(text: str) -> list[int]:
    days: list[int] = []
    for part in text.split(","):
        match = _DAY_RANGE.match(part.strip())
        if not match:
            raise InvalidHours("bad_days")
        start = DAYS.index(match.group(1))
        end = DAYS.index(match.group(2)) if match.group(2) else start
        span = range(start, end + 1) if end >= start else [*range(start, 7), *range(0, end + 1)]
        days.extend(span)
    return days


def parse_opening_hours(text: str) -> list[Interval]:
    """Parse e.g. "Mo-Fr 08:00-12:30,14:00-19:00; Sa 08:00-13:00; Su off".

    Later rules replace earlier ones for the days they name, as in OpenStreetMap.
    Raise InvalidHours for anything outside the supported subset.
    """
    text = (text or "").strip()
    if not text:
        return []
    if text == "24/7":
        return [Interval(d, parse_clock("00:00"), parse_clock("24:00")) for d in range(7)]
    by_day: dict[int, list[Interval]] = {}
    for rule in filter(None, (r.strip() for r in text.split(";"))):
        days_text, _, times_text = rule.partition(" ")
        days = _parse_days(days_text)
        times_text = times_text.strip()
        if not times_text:
            raise InvalidHours("bad_rule")
        for day in days:
            by_day[day] = []
        if times_text in ("off", "closed"):
            continue
        for span in times_text.split(","):
            opens, sep, closes = span.strip().partition("-")
            if not sep:
                raise InvalidHours("bad_rule")
            for day in days:
                by_day[day].append(Interval(day, parse_clock(opens), parse_clock(closes)))
    return check_intervals([i for day in sorted(by_day) for i in by_day[day]])


def format_opening_hours(intervals) -> str:
    """Format intervals in the OSM syntax, grouping consecutive days with the same hours."""
    per_day: list[str] = []
    for day in range(7):
        spans = sorted((i for i in intervals if i.weekday == day), key=lambda i: i.opens)
        per_day.append(",".join(f"{format_clock(i.opens)}-{format_clock(i.closes)}" for i in spans))
    if not any(per_day):
        return ""
    rules: list[str] = []
    day = 0
    while day < 7:
        end = day
        while end + 1 < 7 and per_day[end + 1] == per_day[day]:
            end += 1
        days = DAYS[day] if end == day else f"{DAYS[day]}-{DAYS[end]}"
        if end == day + 1:
            days = f"{DAYS[day]},{DAYS[end]}"
        rules.append(f"{days} {per_day[day] or 'off'}")
        day = end + 1
    return "; ".join(rules)
