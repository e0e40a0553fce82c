"""Pickup slots follow the whole opening_hours: public holidays, part-day closures, DST days."""

from datetime import date, time

import pytest

from marketplace.extensions import db
from marketplace.orders.slots import pickup_slots_for
from shops import services
from tests.factories import make_shop
from tests.orders.helpers import TZ, paris, set_hours
from tests.orders.test_slots import half_hours, local_starts

OPEN_ALL_DAY = ((time(8), time(20)),)


@pytest.fixture
def shop(app):
    shop = make_shop(prep_minutes=0)
    set_hours(shop, spans=OPEN_ALL_DAY)  # every day 08:00-20:00
    return shop


@pytest.mark.parametrize(
    "sunday",
    [date(2026, 3, 29), date(2026, 10, 25)],  # last Sundays of March and October
)
def test_slots_start_at_08_00_local_on_both_sides_of_a_dst_change(shop, sunday):
    slots = pickup_slots_for(shop, paris(sunday.year, sunday.month, sunday.day - 1, 6), TZ, 3)
    for day in (sunday.replace(day=sunday.day - 1), sunday, sunday.replace(day=sunday.day + 1)):
        assert local_starts(slots, day) == half_hours("08:00", "19:30"), day


def test_no_slot_on_a_public_holiday_when_the_shop_closes_on_them(shop):
    monday = paris(2026, 7, 13, 6)  # Tuesday 14 July is the Fête nationale
    assert local_starts(pickup_slots_for(shop, monday, TZ, 3), date(2026, 7, 14))
    services.set_hours_rules(shop, "", closed_on_holidays=True)
    db.session.commit()
    slots = pickup_slots_for(shop, monday, TZ, 3)
    assert local_starts(slots, date(2026, 7, 14)) == []
    assert local_starts(slots, date(2026, 7, 15)) == half_hours("08:00", "19:30")


def test_a_part_day_closure_removes_only_the_afternoon_slots(shop):
    services.add_closure(shop, date(2026, 6, 2), date(2026, 6, 2), "Inventaire", time(14))
    db.session.commit()
    slots = pickup_slots_for(shop, paris(2026, 6, 1, 6), TZ, 3)
    assert local_starts(slots, date(2026, 6, 2)) == half_hours("08:00", "13:30")
    assert local_starts(slots, date(2026, 6, 3)) == half_hours("08:00", "19:30")


def test_a_date_range_rule_changes_the_slots_of_those_days(shop):
    services.set_hours_rules(shop, "Dec 24-Dec 31 09:00-12:00", closed_on_holidays=True)
    db.session.commit()
    slots = pickup_slots_for(shop, paris(2026, 12, 23, 6), TZ, 4)
    assert local_starts(slots, date(2026, 12, 23)) == half_hours("08:00", "19:30")
    assert local_starts(slots, date(2026, 12, 24)) == half_hours("09:00", "11:30")
    assert local_starts(slots, date(2026, 12, 25)) == []  # Christmas
