"""Pickup slots: opening hours, closures, preparation time, capacity and daylight-saving days."""

from datetime import date, time, timedelta
from itertools import pairwise

import pytest

from marketplace.extensions import db
from marketplace.orders.checkout import CheckoutError
from marketplace.orders.models import ONLINE
from marketplace.orders.operations import cancel_by_customer, expire_overdue
from marketplace.orders.slots import pickup_slots_for
from shops import services
from shops.hours import END_OF_DAY
from tests.factories import make_product, make_shop, make_user
from tests.orders.helpers import PARIS, TZ, paris, place, set_hours, stock_of, written

SUNDAY_EVENING = paris(2026, 5, 31, 20)  # the day before Monday 1 June 2026


def local_starts(slots, day: date) -> list[str]:
    """The slot starts of `day`, as town wall-clock times."""
    local = [s.starts_at.astimezone(PARIS) for s in slots]
    return [t.strftime("%H:%M") for t in local if t.date() == day]


def half_hours(first: str, last: str) -> list[str]:
    """Every half hour from `first` to `last` included: ["08:00", "08:30", ...]."""
    h, m = map(int, first.split(":"))
    out = []
    while f"{h:02}:{m:02}" <= last:
        out.append(f"{h:02}:{m:02}")
        h, m = (h, 30) if m == 0 else (h + 1, 0)
    return out


def test_a_day_with_two_opening_intervals_has_no_slot_over_lunch(app):
    shop = make_shop()  # Mon-Sat 08:00-13:00 and 15:00-19:30, 30-minute slots
    slots = pickup_slots_for(shop, SUNDAY_EVENING, TZ, days=2)
    assert local_starts(slots, date(2026, 5, 31)) == []  # closed on Sunday
    assert local_starts(slots, date(2026, 6, 1)) == half_hours("08:00", "12:30") + half_hours(
        "15:00", "19:00"
    )
    assert all(s.ends_at - s.starts_at == timedelta(minutes=30) for s in slots)
    assert all(s.remaining == shop.slot_capacity for s in slots)


@pytest.mark.parametrize(
    ("now_local", "prep", "first"),
    [
        ((9, 10), 60, "10:30"),
        ((9, 0), 60, "10:00"),
        ((9, 10), 0, "09:30"),
        ((12, 45), 120, "15:00"),
    ],
)
def test_no_slot_is_earlier_than_now_plus_preparation_time(app, now_local, prep, first):
    shop = make_shop(prep_minutes=prep)
    slots = pickup_slots_for(shop, paris(2026, 6, 1, *now_local), TZ, days=1)
    assert local_starts(slots, date(2026, 6, 1))[0] == first


def test_closed_days_have_no_slot(app):
    shop = make_shop()
    services.add_closure(shop, date(2026, 6, 2), date(2026, 6, 3), "Congés")
    services.add_closure(shop, date(2026, 6, 5), date(2026, 6, 5), "Inventaire")
    db.session.commit()
    slots = pickup_slots_for(shop, SUNDAY_EVENING, TZ)
    days = sorted({s.starts_at.astimezone(PARIS).date() for s in slots})
    assert days == [date(2026, 6, 1), date(2026, 6, 4), date(2026, 6, 6)]


def test_slots_cover_the_next_seven_days_only(app):
    shop = make_shop()
    set_hours(shop)  # open every day, all day
    slots = pickup_slots_for(shop, SUNDAY_EVENING, TZ)
    days = sorted({s.starts_at.astimezone(PARIS).date() for s in slots})
    assert days[0] == date(2026, 5, 31) and days[-1] == date(2026, 6, 6)


def test_a_full_slot_is_not_offered_until_an_order_leaves_it(app):
    shop = make_shop(slot_capacity=2, prep_minutes=0)
    bread = make_product(shop, stock=None)
    alice, bruno = make_user("alice@example.org"), make_user("bruno@example.org")
    ten = paris(2026, 6, 1, 10)
    now = paris(2026, 6, 1, 8)

    first = place(alice, {bread: 1}, {shop: ten}, now)
    by_start = {s.starts_at: s for s in pickup_slots_for(shop, now, TZ, days=1)}
    assert by_start[ten].remaining == 1

    second = place(bruno, {bread: 1}, {shop: ten}, now)
    by_start = {s.starts_at: s for s in pickup_slots_for(shop, now, TZ, days=1)}
    assert ten not in by_start  # full
    assert by_start[ten + timedelta(minutes=30)].remaining == 2

    cancel_by_customer(first.orders[0], alice.id)
    db.session.commit()
    by_start = {s.starts_at: s for s in pickup_slots_for(shop, now, TZ, days=1)}
    assert by_start[ten].remaining == 1  # a cancelled order frees its place
    assert second.orders[0].status == "confirmed"


def test_an_expired_reservation_frees_its_place(app):
    shop = make_shop(slot_capacity=1, prep_minutes=0)
    shop.payouts_enabled = True  # takes online payment
    bread = make_product(shop, stock=3)
    alice = make_user("alice@example.org")
    ten, now = paris(2026, 6, 1, 10), paris(2026, 6, 1, 8)
    place(alice, {bread: 1}, {shop: ten}, now, method=ONLINE)  # unpaid: holds slot and stock
    assert ten not in {s.starts_at for s in pickup_slots_for(shop, now, TZ, days=1)}

    expired = expire_overdue(now + timedelta(hours=1))
    db.session.commit()
    assert [o.status for o in expired] == ["expired"]
    assert ten in {s.starts_at for s in pickup_slots_for(shop, now, TZ, days=1)}
    assert stock_of(bread) == 3


@pytest.mark.parametrize(
    ("sunday", "first_utc", "offset_hours"),
    [
        (date(2026, 3, 29), paris(2026, 3, 29, 8).replace(hour=6), 2),  # summer time from 02:00
        (date(2026, 10, 25), paris(2026, 10, 25, 8).replace(hour=7), 1),  # winter time from 03:00
    ],
)
def test_daylight_saving_sundays_keep_the_local_opening_hours(app, sunday, first_utc, offset_hours):
    shop = make_shop(prep_minutes=0)
    set_hours(shop, weekdays=[6], spans=[(time(8), time(12))])
    slots = pickup_slots_for(shop, paris(sunday.year, sunday.month, sunday.day - 1, 12), TZ)
    sunday_slots = [s for s in slots if s.starts_at.astimezone(PARIS).date() == sunday]

    assert local_starts(sunday_slots, sunday) == half_hours("08:00", "11:30")
    assert sunday_slots[0].starts_at == first_utc
    assert first_utc.hour == 8 - offset_hours
    assert all(s.ends_at - s.starts_at == timedelta(minutes=30) for s in sunday_slots)
    assert sunday_slots[-1].ends_at.astimezone(PARIS).strftime("%H:%M") == "12:00"


@pytest.mark.parametrize(
    ("sunday", "hours_long"), [(date(2026, 3, 29), 23), (date(2026, 10, 25), 25)]
)
def test_a_shop_open_all_day_on_a_daylight_saving_sunday_has_real_30_minute_slots(
    app, sunday, hours_long
):
    shop = make_shop(prep_minutes=0)
    set_hours(shop, weekdays=[6])  # 00:00-24:00
    slots = pickup_slots_for(shop, paris(sunday.year, sunday.month, sunday.day - 1, 12), TZ)
    day_slots = [s for s in slots if s.starts_at.astimezone(PARIS).date() == sunday]
    assert len(day_slots) == hours_long * 2
    assert all(b.starts_at - a.starts_at == timedelta(minutes=30) for a, b in pairwise(day_slots))


def test_a_shop_open_until_midnight_offers_the_last_half_hour(app):
    shop = make_shop(prep_minutes=0)
    set_hours(shop, weekdays=[4], spans=[(time(22), END_OF_DAY)])  # Friday 22:00-24:00
    slots = pickup_slots_for(shop, paris(2026, 6, 5, 12), TZ, days=1)
    assert local_starts(slots, date(2026, 6, 5)) == ["22:00", "22:30", "23:00", "23:30"]
    assert slots[-1].ends_at == paris(2026, 6, 6, 0)


@pytest.mark.parametrize(
    "slot",
    [
        paris(2026, 6, 1, 13, 30),  # Monday, over lunch
        paris(2026, 6, 7, 10),  # Sunday: closed
        paris(2026, 6, 1, 10, 15),  # not a slot start
        paris(2026, 6, 1, 8),  # before now + preparation time
        paris(2026, 6, 1, 19, 30),  # the shop closes at 19:30
        paris(2026, 6, 9, 10),  # more than seven days ahead
        paris(2026, 5, 30, 10),  # in the past
    ],
)
def test_a_slot_outside_opening_hours_is_refused_at_checkout(app, slot):
    shop = make_shop()
    bread = make_product(shop, stock=5)
    alice = make_user("alice@example.org")
    before = written()
    with pytest.raises(CheckoutError) as refused:
        place(alice, {bread: 1}, {shop: slot}, paris(2026, 6, 1, 7, 30))
    db.session.rollback()
    assert refused.value.code == "slot_unavailable" and refused.value.shop.id == shop.id
    assert written() == before
    assert stock_of(bread) == 5
