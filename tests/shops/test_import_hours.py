"""The town's CSV takes opening hours in the full OpenStreetMap syntax, as OSM and our own open
data write them: the week, date ranges and "PH off" all kept, checked by opening-hours-py."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select

from marketplace.extensions import db
from shops.csv_shops import check_shops, import_shops
from shops.models import Shop
from shops.opening import is_open_at, published_opening_hours, shop_rules

HEADER = "slug,name,category,address,postcode,city,opening_hours,owner_email"


def _csv(hours: str) -> bytes:
    return (
        f'{HEADER}\nlappe,Fromagerie Lappe,fromagerie,3 rue de Lappe,75011,Paris,"{hours}",'
        "marie@example.org\n"
    ).encode()


def test_an_osm_expression_with_holidays_and_date_ranges_is_imported_whole(app):
    hours = "Mo-Sa 08:00-13:00,15:00-19:30; Su off; Dec 24 08:00-12:00; 2027 Jan 04-2027 Jan 09 off; PH off"
    report = import_shops(_csv(hours))
    assert report.ok, report.errors
    db.session.commit()

    shop = db.session.scalar(select(Shop).where(Shop.slug == "lappe"))
    assert sorted((h.weekday, h.opens) for h in shop.hours)[:2] == [(0, time(8)), (0, time(15))]
    assert len(shop.hours) == 12
    assert shop.hours_rules == "Dec 24 08:00-12:00; 2027 Jan 04-2027 Jan 09 off"
    assert shop.closed_on_holidays is True
    assert published_opening_hours(shop, date(2026, 12, 1)) == (
        "Mo-Sa 08:00-13:00,15:00-19:30; Su off; Dec 24 08:00-12:00; "
        "2027 Jan 04-2027 Jan 09 off; PH off"
    )
    # Open on Christmas Eve's morning only, closed on Christmas Day (a public holiday).
    assert _open(shop, 24, 10) and not _open(shop, 24, 16) and not _open(shop, 25, 10)


def _open(shop: Shop, day: int, hour: int) -> bool:
    when = datetime(2026, 12, day, hour, tzinfo=ZoneInfo("Europe/Paris"))
    return is_open_at(shop.hours, shop.closures, when, "Europe/Paris", shop_rules(shop))


def test_a_syntax_the_library_refuses_is_a_line_error_in_french(app):
    for hours in ("Mo-Sa 08:00-19:00; PH sometimes", "lundi 8h-19h"):
        [error] = check_shops(_csv(hours)).errors
        assert error.column == "opening_hours"
        assert error.message.startswith("Les horaires doivent suivre la syntaxe OpenStreetMap")
