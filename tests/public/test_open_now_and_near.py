"""The directory and the map: "open now" in the town's time zone from the hours and closures,
"near me" nearest first, and the map's data with every shop of the filters (not one page)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from urllib.parse import parse_qs, urlsplit

from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.public.finder import ShopFilters, find_shops, parse_shop_filters
from marketplace.public.map_views import SHOPS_PER_PAGE
from shops import services
from shops.hours import END_OF_DAY, Interval
from tests.conftest import page_text
from tests.factories import make_shop

# Monday 7 December 2026, 07:30 UTC: 08:30 in Paris, where the bakery opened at 08:00.
MONDAY_MORNING = datetime(2026, 12, 7, 7, 30, tzinfo=UTC)


def always_open(shop):
    services.set_opening_hours(shop, [Interval(d, time(0), END_OF_DAY) for d in range(7)])


def never_open(shop):
    services.set_opening_hours(shop, [])


def closed_these_days(shop):
    always_open(shop)
    today = utcnow().date()
    services.add_closure(shop, today - timedelta(days=1), today + timedelta(days=1), "Congés")


def a_town(app):
    """Three florists: open round the clock, never open, and open but on holiday these days."""
    shops = {
        "open": make_shop(name="Fleurs Ouvertes", category="fleuriste", lat=48.853, lon=2.369),
        "never": make_shop(name="Fleurs Fermées", category="fleuriste", lat=48.897, lon=2.344),
        "holiday": make_shop(name="Fleurs en Congés", category="fleuriste", lat=48.86, lon=2.35),
    }
    always_open(shops["open"])
    never_open(shops["never"])
    closed_these_days(shops["holiday"])
    db.session.commit()
    return shops


def listed(html: str) -> list[str]:
    return re.findall(r'<a href="/shops/[^"]+">([^<]+)</a>', html)


def test_open_now_is_decided_in_the_town_s_time_zone(app):
    make_shop(name="Boulangerie Matinale")  # Mon-Sat 08:00-13:00 and 15:00-19:30, town time
    db.session.commit()
    with app.app_context():
        paris = find_shops(ShopFilters(open_now=True), MONDAY_MORNING, "Europe/Paris")
        utc = find_shops(ShopFilters(open_now=True), MONDAY_MORNING, "UTC")
    assert [f.shop.name for f in paris] == ["Boulangerie Matinale"]
    assert utc == []  # 07:30 in UTC: not open yet


def test_a_closure_closes_a_shop_that_its_hours_open(app):
    shop = make_shop(name="Boulangerie Matinale")
    services.add_closure(shop, MONDAY_MORNING.date(), MONDAY_MORNING.date(), "Inventaire")
    db.session.commit()
    assert find_shops(ShopFilters(open_now=True), MONDAY_MORNING, "Europe/Paris") == []
    [found] = find_shops(ShopFilters(), MONDAY_MORNING, "Europe/Paris")
    assert not found.open_now


def test_filters_are_read_leniently():
    assert parse_shop_filters(
        {"category": "fleuriste", "open_now": "1", "near": "48.85341,2.3"}
    ) == (ShopFilters("fleuriste", True, (48.853, 2.3)))
    assert parse_shop_filters({"category": "nonsense", "open_now": "maybe", "near": "nan,2"}) == (
        ShopFilters()
    )


def test_the_directory_lists_only_the_shops_open_now_when_asked(app, client):
    a_town(app)
    everyone = page_text(client.get("/shops?category=fleuriste"))
    assert sorted(listed(everyone)) == ["Fleurs Fermées", "Fleurs Ouvertes", "Fleurs en Congés"]
    assert 'name="open_now" value="1">' in everyone  # the checkbox, not ticked

    open_now = page_text(client.get("/shops?category=fleuriste&open_now=1"))
    assert listed(open_now) == ["Fleurs Ouvertes"]
    assert 'name="open_now" value="1" checked>' in open_now
    assert "(1)" in open_now  # the count is of the shops open now


def test_the_directory_says_when_no_shop_is_open(app, client):
    shops = a_town(app)
    never_open(shops["open"])
    db.session.commit()
    html = page_text(
        client.get("/shops?category=fleuriste&open_now=1", headers={"Accept-Language": "en"})
    )
    assert listed(html) == []
    assert "No shop is open right now with these filters." in html
    assert 'href="/shops?category=fleuriste">See every shop</a>' in html


def test_the_directory_sorts_by_distance_from_the_visitor(app, client):
    a_town(app)
    html = page_text(client.get("/shops?category=fleuriste&near=48.8531,2.3691"))
    assert listed(html) == ["Fleurs Ouvertes", "Fleurs en Congés", "Fleurs Fermées"]
    assert "0 km" in html or "0,0 km" in html
    assert "5,2 km" in html  # French decimals
    assert "Triés du plus proche" in html or "Sorted by distance" in html
    assert 'name="near" value="48.853,2.369"' in html  # kept when the form filters again


def test_directory_pages_keep_the_filters(app, client):
    for n in range(SHOPS_PER_PAGE + 2):
        always_open(make_shop(name=f"Fleuriste {n:02d}", category="fleuriste"))
    db.session.commit()
    html = page_text(client.get("/shops?open_now=1&category=fleuriste"))
    assert len(listed(html)) == SHOPS_PER_PAGE
    [next_page] = re.findall(r'rel="next" href="([^"]+)"', html)
    assert parse_qs(urlsplit(next_page).query) == {
        "page": ["2"],
        "category": ["fleuriste"],
        "open_now": ["1"],
    }
    second = page_text(client.get("/shops?open_now=1&category=fleuriste&page=2"))
    assert len(listed(second)) == 2


def test_the_map_data_has_every_shop_of_the_filters_with_a_position(app, client):
    shops = a_town(app)
    make_shop(name="Fleurs Sans Adresse", category="fleuriste", lat=None, lon=None)
    make_shop(name="Fleurs Refusées", category="fleuriste", status="rejected")
    for n in range(SHOPS_PER_PAGE):  # more shops than a page of the list: all are on the map
        make_shop(name=f"Librairie {n:02d}", category="librairie", lat=48.86, lon=2.37 + n / 1000)
    db.session.commit()

    response = client.get("/map/shops.geojson")
    assert response.status_code == 200
    assert response.mimetype == "application/geo+json"
    data = response.get_json()
    assert data["type"] == "FeatureCollection"
    names = [f["properties"]["name"] for f in data["features"]]
    assert len(names) == 3 + SHOPS_PER_PAGE  # not the shop without a position, not the rejected
    assert "Fleurs Sans Adresse" not in names and "Fleurs Refusées" not in names

    flowers = client.get(
        "/map/shops.geojson?category=fleuriste", headers={"Accept-Language": "fr"}
    ).get_json()
    by_name = {f["properties"]["name"]: f for f in flowers["features"]}
    assert sorted(by_name) == ["Fleurs Fermées", "Fleurs Ouvertes", "Fleurs en Congés"]
    opened = by_name["Fleurs Ouvertes"]
    assert opened["geometry"] == {"type": "Point", "coordinates": [2.369, 48.853]}  # lon, lat
    assert opened["properties"] == {
        "name": "Fleurs Ouvertes",
        "url": f"/shops/{shops['open'].slug}",
        "category": "Fleuriste",
        "address": "12 rue Oberkampf",
        "open_now": True,
    }
    assert by_name["Fleurs en Congés"]["properties"]["open_now"] is False

    open_now = client.get("/map/shops.geojson?category=fleuriste&open_now=1").get_json()
    assert [f["properties"]["name"] for f in open_now["features"]] == ["Fleurs Ouvertes"]


def test_the_map_page_filters_open_now_and_points_its_markers_at_the_same_filters(app, client):
    a_town(app)
    html = page_text(client.get("/map?category=fleuriste&open_now=1&near=48.853,2.369"))
    assert listed(html) == ["Fleurs Ouvertes"]
    assert 'data-src="/map/shops.geojson?category=fleuriste&open_now=1"' in html
    assert 'data-near="48.853,2.369"' in html  # the position the map draws
    # Without JavaScript, the list is the map: every shop listed, with whether it is open.
    everyone = page_text(client.get("/map?category=fleuriste", headers={"Accept-Language": "en"}))
    assert sorted(listed(everyone)) == ["Fleurs Fermées", "Fleurs Ouvertes", "Fleurs en Congés"]
    assert everyone.count('badge--closed">Closed now<') == 2
    assert everyone.count('badge--open">Open now<') == 1
