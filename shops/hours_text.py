"""A whole opening_hours expression, as OpenStreetMap and our open data write it, split into what
a shop stores: weekly hours, extra rules (date ranges, weeks...) and "closed on public holidays".

The town's CSV may copy an OSM tag or our own published file ("Mo-Sa 08:00-19:00; PH off;
2026 Dec 24-2026 Dec 31 off"): the leading rules our weekly table holds become the week, the
rest is kept as the shop's rules, and the whole is checked by opening-hours-py.
"""

from __future__ import annotations

from dataclasses import dataclass

from shops.hours import Interval, InvalidHours
from shops.opening import InvalidRules, check_rules, holidays_rule
from shops.osm_hours import format_opening_hours, parse_opening_hours

RULES_MAX = 300  # shops.hours_rules


@dataclass(frozen=True)
class ShopHours:
    """An expression as the shop keeps it."""

    weekly: list[Interval]
    rules: str
    closed_on_holidays: bool


def split_opening_hours(text: str) -> ShopHours:
    """Split `text`; raise InvalidRules if the OSM syntax refuses it (or its rules are too long)."""
    parts = [p.strip() for p in (text or "").split(";") if p.strip()]
    weekly: list[Interval] = []
    taken = 0
    for count in range(len(parts), 0, -1):  # the longest prefix our weekly table holds
        try:
            weekly = parse_opening_hours("; ".join(parts[:count]))
        except InvalidHours:
            continue
        taken = count
        break
    rest = parts[taken:]
    closed_on_holidays = bool(rest) and rest[-1] == holidays_rule(True)
    if closed_on_holidays:
        rest = rest[:-1]  # stored as the box "closed on public holidays", published last again
    rules = "; ".join(rest)
    if len(rules) > RULES_MAX:
        raise InvalidRules("too long")
    check_rules(
        format_opening_hours(weekly),
        "; ".join(filter(None, (rules, holidays_rule(closed_on_holidays)))),
    )
    return ShopHours(weekly, rules, closed_on_holidays)
