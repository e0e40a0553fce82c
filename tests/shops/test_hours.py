"""“Open now” is computed in the town's time, two intervals a day, closures and DST included."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from marketplace.extensions import db
from shops import services
from shops.hours import END_OF_DAY, Interval
from shops.models import Closure
from shops.opening import is_open_at, next_opening
from tests.factories import make_shop

PARIS = "Europe/Paris"
SPLIT = [(time(8), time(12, 30)), (time(14), time(19))]
# Tuesday to Saturday 08:00-12:30 and 14:00-19:00, Sunday morning market 08:00-13:00.
HOURS = [Interval(d, o, c) for d in range(1, 6) for o, c in SPLIT] + [
    Interval(6, time(8), time(13))
]
SUMMER_HOLIDAY = [Closure(starts_on=date(2026, 8, 3), ends_on=date(2026, 8, 23))]


def utc(*args):
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("when", "is_open"),
    [
        # Tuesday 16 June 2026, summer time (UTC+2).
        (utc(2026, 6, 16, 5, 59), False),  # 07:59
        (utc(2026, 6, 16, 6, 0), True),  # 08:00 opens
        (utc(2026, 6, 16, 10, 29), True),  # 12:29
        (utc(2026, 6, 16, 10, 30), False),  # 12:30 lunch break
        (utc(2026, 6, 16, 11, 59), False),  # 13:59
        (utc(2026, 6, 16, 12, 0), True),  # 14:00 reopens
        (utc(2026, 6, 16, 16, 59), True),  # 18:59
        (utc(2026, 6, 16, 17, 0), False),  # 19:00 closed
        (utc(2026, 6, 15, 10, 0), False),  # a Monday
        # Tuesday 13 January 2026, winter time (UTC+1).
        (utc(2026, 1, 13, 7, 0), True),  # 08:00
        (utc(2026, 1, 13, 6, 59), False),  # 07:59
        (utc(2026, 1, 13, 17, 59), True),  # 18:59
        # Monday 22:30 UTC is already Tuesday 00:30 in Paris: closed, and not Monday either.
        (utc(2026, 6, 15, 22, 30), False),
    ],
)
def test_open_now_with_two_intervals_a_day(when, is_open):
    assert is_open_at(HOURS, [], when, PARIS) is is_open


def test_a_closure_closes_the_shop_on_every_day_it_covers():
    assert is_open_at(HOURS, [], utc(2026, 8, 4, 8, 0), PARIS)
    for day in (3, 4, 15, 23):  # first day, inside, last day
        assert not is_open_at(HOURS, SUMMER_HOLIDAY, utc(2026, 8, day, 8, 0), PARIS)
    assert is_open_at(HOURS, SUMMER_HOLIDAY, utc(2026, 8, 25, 8, 0), PARIS)  # the Tuesday after
    # 22:30 UTC on Saturday 15 August is already Sunday the 16th in Paris.
    assert next_opening(HOURS, SUMMER_HOLIDAY, utc(2026, 8, 15, 22, 30), PARIS) == datetime(
        2026, 8, 25, 8, 0, tzinfo=ZoneInfo(PARIS)
    )


@pytest.mark.parametrize(
    ("when", "is_open"),
    [
        # Sunday 29 March 2026: at 02:00 CET the clocks jump to 03:00 CEST (UTC+1 -> UTC+2).
        (utc(2026, 3, 29, 5, 59), False),  # 07:59 CEST (06:59 if the change were missed)
        (utc(2026, 3, 29, 6, 0), True),  # 08:00 CEST
        (utc(2026, 3, 29, 10, 59), True),  # 12:59 CEST
        (utc(2026, 3, 29, 11, 0), False),  # 13:00 CEST
        (utc(2026, 3, 28, 7, 0), True),  # the Saturday before, 08:00 CET
        (utc(2026, 3, 28, 6, 59), False),  # 07:59 CET
        # Sunday 25 October 2026: at 03:00 CEST the clocks go back to 02:00 CET.
        (utc(2026, 10, 25, 6, 59), False),  # 07:59 CET (08:59 if the change were missed)
        (utc(2026, 10, 25, 7, 0), True),  # 08:00 CET
        (utc(2026, 10, 25, 11, 59), True),  # 12:59 CET
        (utc(2026, 10, 25, 12, 0), False),  # 13:00 CET
        (utc(2026, 10, 24, 6, 0), True),  # the Saturday before, 08:00 CEST
        (utc(2026, 10, 24, 5, 59), False),  # 07:59 CEST
    ],
)
def test_opening_hours_keep_their_wall_clock_time_across_dst_changes(when, is_open):
    assert is_open_at(HOURS, [], when, PARIS) is is_open


def test_a_shop_open_in_the_night_of_the_dst_change():
    night = [Interval(6, time(1), time(4))]  # Sunday 01:00-04:00 local
    # 29 March: 01:30 CET = 00:30 UTC open; 03:30 CEST = 01:30 UTC open; 04:00 CEST closed.
    assert is_open_at(night, [], utc(2026, 3, 29, 0, 30), PARIS)
    assert is_open_at(night, [], utc(2026, 3, 29, 1, 30), PARIS)
    assert not is_open_at(night, [], utc(2026, 3, 29, 2, 0), PARIS)
    # 25 October: 02:30 happens twice (00:30 and 01:30 UTC), open both times; 04:00 CET closed.
    assert is_open_at(night, [], utc(2026, 10, 25, 0, 30), PARIS)
    assert is_open_at(night, [], utc(2026, 10, 25, 1, 30), PARIS)
    assert not is_open_at(night, [], utc(2026, 10, 25, 3, 0), PARIS)


def test_next_opening_after_the_dst_change_is_at_the_local_time():
    opens = next_opening(HOURS, [], utc(2026, 3, 28, 20, 0), PARIS)  # Saturday evening
    assert opens.utcoffset().total_seconds() == 2 * 3600
    assert opens.astimezone(UTC) == utc(2026, 3, 29, 6, 0)  # Sunday 08:00 CEST


def test_a_shop_open_until_midnight():
    late = [Interval(4, time(18), END_OF_DAY)]  # Friday 18:00-24:00
    assert is_open_at(late, [], utc(2026, 6, 19, 21, 59, 59), PARIS)  # 23:59:59
    assert is_open_at(late, [], datetime(2026, 6, 19, 21, 59, 59, 500000, tzinfo=UTC), PARIS)
    assert not is_open_at(late, [], utc(2026, 6, 19, 22, 0), PARIS)  # Saturday 00:00


def test_the_public_page_says_open_or_closed(app, client):
    always = make_shop(name="Épicerie de Nuit", category="epicerie")
    services.set_opening_hours(always, [Interval(d, time(0), END_OF_DAY) for d in range(7)])
    never = make_shop(name="Boutique Fantôme", category="mode")
    services.set_opening_hours(never, [])
    db.session.commit()
    for locale, open_text, closed_text in (("en", "Open now", "Closed now"),):
        headers = {"Accept-Language": locale}
        page = client.get(f"/shops/{always.slug}", headers=headers).get_data(as_text=True)
        assert open_text in page and closed_text not in page
        page = client.get(f"/shops/{never.slug}", headers=headers).get_data(as_text=True)
        assert closed_text in page and open_text not in page
        directory = client.get("/shops", headers=headers).get_data(as_text=True)
        # The badges of the two cards (the "Open now" filter's label is not one of them).
        assert directory.count(f'badge--open">{open_text}<') == 1
        assert directory.count(f'badge--closed">{closed_text}<') == 1
