"""A shop's whole opening_hours (OpenStreetMap syntax) and its evaluation by opening-hours-py.

The weekly hours, the shop's extra rules (date ranges, weeks...), "PH off" and its closures make
one expression: it is what we publish, and the same expression answers "open now?", "when does
it open next?" and gives the pickup slots, with the French public holidays.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import opening_hours
from opening_hours import OpeningHours, State

from shops.hours import END_OF_DAY, PICKUP_DAYS_AHEAD, format_clock
from shops.osm_hours import format_opening_hours

log = logging.getLogger(__name__)
# The library raises it on bad syntax; its type stubs do not declare it.
ParserError: type[Exception] = getattr(opening_hours, "ParserError")  # noqa: B009

HOLIDAY_COUNTRY = "FR"  # the town's public holidays (PH)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# How far ahead "when does it open next?" looks.
NEXT_OPENING_DAYS = 15


class InvalidRules(ValueError):
    """Rules the OpenStreetMap syntax refuses; `position` is "line:column" when known."""

    def __init__(self, detail: str, position: str = "") -> None:
        super().__init__(detail)
        self.position = position


def shop_rules(shop) -> str:
    """The shop's rules after its weekly hours: its own extra rules, then "PH off" if it says so."""
    parts = ((shop.hours_rules or "").strip(), holidays_rule(shop.closed_on_holidays))
    return "; ".join(r for r in parts if r)


def holidays_rule(closed_on_holidays: bool) -> str:
    """The rule closing on the public holidays, or nothing."""
    return "PH off" if closed_on_holidays else ""


def _day(day: date) -> str:
    return f"{day.year} {MONTHS[day.month - 1]} {day.day:02d}"


def closure_rules(closure) -> list[str]:
    """One closure as rules that switch it off, e.g. "2026 Dec 05 14:00-24:00 off"."""
    first, last = closure.starts_on, closure.ends_on
    starts = getattr(closure, "starts_time", None)
    ends = getattr(closure, "ends_time", None)
    reason = (getattr(closure, "reason", "") or "").replace('"', "'").strip()
    off = f'off "{reason}"' if reason else "off"
    if first == last and (starts or ends):
        span = f"{format_clock(starts or time(0))}-{format_clock(ends or END_OF_DAY)}"
        return [f"{_day(first)} {span} {off}"]
    rules = []
    if starts:  # the first day only from this time on
        rules.append(f"{_day(first)} {format_clock(starts)}-24:00 {off}")
        first += timedelta(days=1)
    end_part = ""
    if ends:  # the last day only until this time
        end_part = f"{_day(last)} 00:00-{format_clock(ends)} {off}"
        last -= timedelta(days=1)
    if first == last:
        rules.append(f"{_day(first)} {off}")
    elif first < last:
        rules.append(f"{_day(first)}-{_day(last)} {off}")
    if end_part:
        rules.append(end_part)
    return rules


def osm_expression(hours, closures, rules: str = "", since: date | None = None) -> str:
    """The whole expression: weekly hours; rules; closures (those not over before `since`)."""
    parts = [format_opening_hours(hours), rules.strip()]
    for closure in sorted(closures, key=lambda c: (c.starts_on, c.ends_on)):
        if since is None or closure.ends_on >= since:
            parts.extend(closure_rules(closure))
    return "; ".join(p for p in parts if p)


def published_opening_hours(shop, today: date) -> str:
    """The opening_hours string we publish for a shop (open data, JSON-LD, review)."""
    return osm_expression(shop.hours, shop.closures, shop_rules(shop), since=today)


def check_rules(weekly: str, rules: str) -> None:
    """Raise InvalidRules if the weekly hours followed by these rules are not valid OSM syntax."""
    prefix = f"{weekly.strip()}; " if weekly.strip() and rules.strip() else weekly.strip()
    text = prefix + rules.strip()
    if not text:
        return
    try:
        OpeningHours(text, country=HOLIDAY_COUNTRY)
    except (ParserError, SyntaxError) as error:
        detail = str(error)
        raise InvalidRules(detail, _position_in_rules(detail, len(prefix))) from error


def _position_in_rules(detail: str, prefix: int) -> str:
    """ "line:column" of the error counted in the shop's rules (after the weekly hours), or ""."""
    for text in detail.splitlines():
        if "-->" in text:
            line, _sep, column = text.split("-->", 1)[1].strip().partition(":")
            if line == "1" and column.isdigit() and int(column) > prefix:
                return f"1:{int(column) - prefix}"
    return ""


def _schedule(hours, closures, tz: str, rules: str, since: date) -> OpeningHours | None:
    text = osm_expression(hours, closures, rules, since)
    if not text:
        return None
    try:
        return OpeningHours(text, timezone=ZoneInfo(tz), country=HOLIDAY_COUNTRY)
    except (ParserError, SyntaxError):
        # Rules are checked when saved; if stored ones fail anyway, the weekly hours still count.
        log.warning("opening_hours refused %r; evaluating without the extra rules", text)
        return OpeningHours(
            osm_expression(hours, closures, "", since) or "off",
            timezone=ZoneInfo(tz),
            country=HOLIDAY_COUNTRY,
        )


def open_intervals(
    hours, closures, start: datetime, end: datetime, tz: str, rules: str = ""
) -> Iterator[tuple[datetime, datetime]]:
    """The (opens, closes) local datetimes between `start` and `end` (aware), closures included."""
    zone = ZoneInfo(tz)
    local_start = start.astimezone(zone)
    schedule = _schedule(hours, closures, tz, rules, local_start.date())
    if schedule is None:
        return
    for opens, closes, state, _comment in schedule.intervals(local_start, end.astimezone(zone)):
        if state == State.OPEN and closes is not None:
            yield opens, closes


def is_open_at(hours, closures, when: datetime, tz: str, rules: str = "") -> bool:
    """True if a shop with these hours, closures and rules is open at the aware datetime `when`."""
    local = when.astimezone(ZoneInfo(tz))
    schedule = _schedule(hours, closures, tz, rules, local.date())
    return schedule is not None and schedule.is_open(local)


def _midnight(day: date, tz: str) -> datetime:
    return datetime.combine(day, time(0), ZoneInfo(tz))


def next_opening(hours, closures, when: datetime, tz: str, rules: str = "") -> datetime | None:
    """Return the next local datetime (within two weeks) when the shop opens, or None."""
    local = when.astimezone(ZoneInfo(tz))
    end = _midnight(local.date() + timedelta(days=NEXT_OPENING_DAYS), tz)
    for opens, _closes in open_intervals(hours, closures, local, end, tz, rules):
        if opens > local:
            return opens
    return None


def takes_orders(
    hours, closures, when: datetime, tz: str, days: int = PICKUP_DAYS_AHEAD, rules: str = ""
) -> bool:
    """True if the shop opens on one of the next `days` days (today: not yet closed), so that an
    order placed now has a pickup time; False when it is closed for all of them (holidays)."""
    local = when.astimezone(ZoneInfo(tz))
    end = _midnight(local.date() + timedelta(days=days), tz)
    return any(True for _ in open_intervals(hours, closures, local, end, tz, rules))


def hours_by_day(
    hours, closures, first: date, days: int, tz: str, rules: str = ""
) -> dict[date, list[tuple[time, time]]]:
    """The (opens, closes) local times of each of `days` days from `first` (24:00 as END_OF_DAY)."""
    zone = ZoneInfo(tz)
    result: dict[date, list[tuple[time, time]]] = {
        first + timedelta(days=n): [] for n in range(days)
    }
    end = _midnight(first + timedelta(days=days), tz)
    for opens, closes in open_intervals(hours, closures, _midnight(first, tz), end, tz, rules):
        day = opens.astimezone(zone).date()
        while day in result and _midnight(day, tz) < closes:
            start = max(opens, _midnight(day, tz)).astimezone(zone)
            stop = min(closes, _midnight(day + timedelta(days=1), tz)).astimezone(zone)
            if start < stop:  # an interval over midnight counts on both days
                clock = stop.time() if stop.date() == day else END_OF_DAY
                result[day].append((start.time(), clock))
            day += timedelta(days=1)
    return result


def special_days(shop, today: date, tz: str, days: int = 60) -> dict[date, list[tuple[time, time]]]:
    """The days ahead whose hours differ from the weekly ones (holidays, rules, closures)."""
    actual = hours_by_day(shop.hours, shop.closures, today, days, tz, shop_rules(shop))
    weekly = hours_by_day(shop.hours, [], today, days, tz)
    return {day: spans for day, spans in actual.items() if spans != weekly[day]}
