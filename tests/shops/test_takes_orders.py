"""A shop takes orders when it opens on one of the pickup days ahead; the search index agrees."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from search import filters
from shops.hours import Interval
from shops.opening import takes_orders

TZ = "Europe/Paris"
MONDAY_NOON = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)  # 12:00 in Paris
WEEK = [Interval(d, time(9), time(18)) for d in range(5)]  # Monday to Friday
MONDAY = date(2026, 3, 2)


def closure(first: date, last: date):
    return SimpleNamespace(starts_on=first, ends_on=last)


CASES = [
    ("open every weekday", WEEK, [], True),
    ("no hours at all", [], [], False),
    ("closed for two weeks", WEEK, [closure(MONDAY, MONDAY + timedelta(days=13))], False),
    ("closed every working day ahead", WEEK, [closure(MONDAY, MONDAY + timedelta(days=5))], False),
    ("back on the day after next", WEEK, [closure(MONDAY, MONDAY + timedelta(days=1))], True),
    ("only this morning, already closed", [Interval(0, time(8), time(11))], [], False),
    ("only this afternoon", [Interval(0, time(14), time(18))], [], True),
]


@pytest.mark.parametrize(("story", "hours", "closures", "expected"), CASES)
def test_takes_orders_from_the_database_and_from_the_index(story, hours, closures, expected):
    assert takes_orders(hours, closures, MONDAY_NOON, TZ) is expected, story
    indexed = SimpleNamespace(  # the shape search.schema stores: minutes and day ordinals
        hours=tuple((h.weekday, h.opens.hour * 60, h.closes.hour * 60) for h in hours),
        closures=tuple((c.starts_on.toordinal(), c.ends_on.toordinal()) for c in closures),
    )
    local = MONDAY_NOON.astimezone(ZoneInfo(TZ))
    assert filters.takes_orders(indexed, local) is expected, story
