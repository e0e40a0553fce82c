"""The whole opening_hours by opening-hours-py: French public holidays, date ranges, weeks,
part-day closures, and the string we publish."""

from datetime import UTC, date, datetime, time
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from marketplace.public.page_cache import next_change
from shops.hours import Interval
from shops.opening import (
    InvalidRules,
    check_rules,
    is_open_at,
    next_opening,
    osm_expression,
    published_opening_hours,
)

PARIS = "Europe/Paris"
EVERY_DAY = [Interval(d, time(8), time(20)) for d in range(7)]  # 08:00-20:00


def at(*args) -> datetime:
    """A town wall-clock time as an aware datetime."""
    return datetime(*args, tzinfo=ZoneInfo(PARIS))


def closure(first, last, starts=None, ends=None, reason=""):
    return SimpleNamespace(
        starts_on=first, ends_on=last, starts_time=starts, ends_time=ends, reason=reason
    )


@pytest.mark.parametrize(
    ("day", "holiday"),
    [
        (date(2026, 7, 14), True),  # Fête nationale
        (date(2026, 7, 13), False),
        (date(2026, 12, 25), True),  # Noël
        (date(2026, 12, 26), False),  # not a holiday in Paris (it is in Alsace-Moselle)
        (date(2027, 3, 29), True),  # Easter Monday 2027
        (date(2027, 3, 30), False),
    ],
)
def test_ph_off_closes_on_french_public_holidays(day, holiday):
    noon = at(day.year, day.month, day.day, 12)
    assert is_open_at(EVERY_DAY, [], noon, PARIS)  # without "PH off" the day is like any other
    assert is_open_at(EVERY_DAY, [], noon, PARIS, "PH off") is not holiday


def test_a_date_range_and_alternate_weeks():
    rules = "Dec 24-Dec 31 09:00-12:00; week 1-53/2 Sa off"
    assert is_open_at(EVERY_DAY, [], at(2026, 12, 28, 10), PARIS, rules)
    assert not is_open_at(EVERY_DAY, [], at(2026, 12, 28, 15), PARIS, rules)  # mornings only
    assert is_open_at(EVERY_DAY, [], at(2026, 12, 23, 15), PARIS, rules)  # before the range
    assert not is_open_at(EVERY_DAY, [], at(2026, 1, 3, 10), PARIS, rules)  # Saturday, week 1
    assert is_open_at(EVERY_DAY, [], at(2026, 1, 10, 10), PARIS, rules)  # Saturday, week 2


def test_a_part_day_closure_closes_only_the_afternoon():
    afternoon = [closure(date(2026, 12, 5), date(2026, 12, 5), starts=time(14))]
    assert is_open_at(EVERY_DAY, afternoon, at(2026, 12, 5, 13, 59), PARIS)
    assert not is_open_at(EVERY_DAY, afternoon, at(2026, 12, 5, 14), PARIS)
    assert next_opening(EVERY_DAY, afternoon, at(2026, 12, 5, 15), PARIS) == at(2026, 12, 6, 8)
    # The cached shop page is rebuilt when the closure starts, not at the evening closing.
    assert next_change(EVERY_DAY, at(2026, 12, 5, 10), PARIS, afternoon) == datetime(
        2026, 12, 5, 13, tzinfo=UTC
    )


def test_the_published_string_has_the_holidays_and_the_closures_still_to_come():
    shop = SimpleNamespace(
        hours=[Interval(d, time(8), time(20)) for d in range(6)],
        hours_rules="Dec 24-Dec 31 09:00-12:00",
        closed_on_holidays=True,
        closures=[
            closure(date(2026, 8, 3), date(2026, 8, 23), reason="over"),
            closure(date(2027, 1, 4), date(2027, 1, 9), reason='Congés "hiver"'),
            closure(date(2026, 12, 9), date(2026, 12, 10), starts=time(14), ends=time(11)),
        ],
    )
    published = published_opening_hours(shop, date(2026, 12, 5))
    assert published == (
        "Mo-Sa 08:00-20:00; Su off; Dec 24-Dec 31 09:00-12:00; PH off; "
        "2026 Dec 09 14:00-24:00 off; 2026 Dec 10 00:00-11:00 off; "
        "2027 Jan 04-2027 Jan 09 off \"Congés 'hiver'\""
    )
    check_rules(published, "")  # what we publish is valid opening_hours


def test_a_closure_over_several_days_with_times():
    rules = osm_expression(
        [], [closure(date(2026, 12, 20), date(2026, 12, 23), starts=time(12), ends=time(10))]
    )
    assert rules == (
        "2026 Dec 20 12:00-24:00 off; 2026 Dec 21-2026 Dec 22 off; 2026 Dec 23 00:00-10:00 off"
    )


def test_invalid_rules_say_where_in_the_shops_own_text():
    with pytest.raises(InvalidRules) as error:
        check_rules("Mo 08:00-12:00; Tu-Su off", "Dec 24-Dec 31 25:00-xx")
    assert error.value.position == "1:15"


def test_a_date_range_and_easter_monday_across_the_spring_dst_change():
    # 2027: clocks go forward on Sunday 28 March; Monday 29 is Easter Monday.
    rules = "2027 Mar 26-2027 Mar 30 10:00-12:00; PH off"
    utc = [
        (datetime(2027, 3, 27, 8, 59, tzinfo=UTC), False),  # 09:59 CET
        (datetime(2027, 3, 27, 9, 0, tzinfo=UTC), True),  # 10:00 CET
        (datetime(2027, 3, 28, 7, 59, tzinfo=UTC), False),  # 09:59 CEST (the range's hours moved)
        (datetime(2027, 3, 28, 8, 0, tzinfo=UTC), True),  # 10:00 CEST
        (datetime(2027, 3, 28, 9, 59, tzinfo=UTC), True),  # 11:59 CEST
        (datetime(2027, 3, 29, 8, 30, tzinfo=UTC), False),  # Easter Monday: PH off wins
        (datetime(2027, 3, 30, 8, 0, tzinfo=UTC), True),  # 10:00 CEST
        (datetime(2027, 3, 30, 10, 0, tzinfo=UTC), False),  # 12:00 CEST
        (datetime(2027, 3, 31, 13, 0, tzinfo=UTC), True),  # after the range: 08:00-20:00 again
    ]
    assert [(when, is_open_at(EVERY_DAY, [], when, PARIS, rules)) for when, _ in utc] == utc
