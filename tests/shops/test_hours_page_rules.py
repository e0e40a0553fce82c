"""The hours page: public holidays, extra OSM rules checked by the library, part-day closures;
shown on the public page ("open now") and the open data."""

import json
import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.public.finder import ShopFilters, find_shops
from shops import services
from shops.hours import Interval
from shops.opening import is_open_at, published_opening_hours, shop_rules
from tests.conftest import page_text, post_form
from tests.factories import login, make_shop

WEEK = {"monday": "08:00-12:00", "tuesday": "08:00-12:00, 14:00-19:00"}


@pytest.fixture
def shop(app, client):
    shop = make_shop(published=False)
    login(client, shop.owner)
    return shop


def test_holidays_and_rules_are_saved_and_shown_again(shop, client):
    data = {**WEEK, "closed_on_holidays": "y", "rules": "Dec 24-Dec 31 09:00-12:00"}
    response = post_form(client, f"/merchant/shops/{shop.slug}/hours", data)
    assert response.status_code == 302
    db.session.refresh(shop)
    assert (shop.closed_on_holidays, shop.hours_rules) == (True, "Dec 24-Dec 31 09:00-12:00")
    page = page_text(client.get(f"/merchant/shops/{shop.slug}/hours"))
    assert 'value="Dec 24-Dec 31 09:00-12:00"' in page
    assert re.search(r"<input[^>]*checked[^>]*name=\"closed_on_holidays\"", page)


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (
            "fr",
            "Ces règles ne suivent pas la syntaxe opening_hours d’OpenStreetMap "
            "(erreur ligne 1, caractère 15).",
        ),
        (
            "en",
            "These rules are not in the OpenStreetMap opening_hours syntax "
            "(error at line 1, character 15).",
        ),
    ],
)
def test_rules_the_library_refuses_are_explained_and_change_nothing(
    shop, client, language, message
):
    response = post_form(
        client,
        f"/merchant/shops/{shop.slug}/hours",
        {**WEEK, "rules": "Dec 24-Dec 31 25:00-xx"},
        headers={"Accept-Language": language},
    )
    assert response.status_code == 400
    assert message in page_text(response)
    db.session.refresh(shop)
    assert (shop.hours_rules, len(shop.hours)) == ("", 12)  # the factory's hours are kept


def test_a_part_day_closure_from_the_page_closes_the_shop_that_afternoon(app, shop, client):
    response = post_form(
        client,
        f"/merchant/shops/{shop.slug}/closures",
        {"starts_on": "2026-06-02", "ends_on": "2026-06-02", "starts_time": "14:00"},
        token_from=f"/merchant/shops/{shop.slug}/hours",
    )
    assert response.status_code == 302
    db.session.refresh(shop)
    [closure] = shop.closures
    assert (closure.starts_time, closure.ends_time) == (time(14), None)
    assert "14:00" in page_text(client.get(f"/merchant/shops/{shop.slug}/hours"))

    tz = app.config["TIMEZONE"]
    tuesday = datetime(2026, 6, 2, tzinfo=UTC)
    assert is_open_at(shop.hours, shop.closures, tuesday.replace(hour=9), tz, shop_rules(shop))
    assert not is_open_at(shop.hours, shop.closures, tuesday.replace(hour=13), tz)  # 15:00
    assert "2026 Jun 02 14:00-24:00 off" in published_opening_hours(shop, tuesday.date())


def test_a_closure_ending_before_it_starts_on_the_same_day_is_refused(shop, client):
    response = post_form(
        client,
        f"/merchant/shops/{shop.slug}/closures",
        {
            "starts_on": "2026-06-02",
            "ends_on": "2026-06-02",
            "starts_time": "14:00",
            "ends_time": "10:00",
        },
        token_from=f"/merchant/shops/{shop.slug}/hours",
        headers={"Accept-Language": "fr"},
    )
    assert response.status_code == 400
    assert "La fin de la fermeture doit venir après son début." in page_text(response)
    db.session.refresh(shop)
    assert shop.closures == []


def test_the_directory_s_open_now_follows_holidays_and_part_day_closures(app):
    holidays = make_shop(name="Fermée les jours fériés")
    services.set_hours_rules(holidays, "", closed_on_holidays=True)
    afternoon = make_shop(name="Inventaire cet après-midi")
    services.add_closure(afternoon, date(2026, 7, 13), date(2026, 7, 13), "Inventaire", time(15))
    plain = make_shop(name="Ouverte")
    db.session.commit()

    def open_now(when):
        return {f.shop.name for f in find_shops(ShopFilters(open_now=True), when, "Europe/Paris")}

    monday_morning = datetime(2026, 7, 13, 8, tzinfo=UTC)  # 10:00 in Paris
    assert open_now(monday_morning) == {holidays.name, afternoon.name, plain.name}
    assert open_now(datetime(2026, 7, 13, 14, tzinfo=UTC)) == {holidays.name, plain.name}
    assert open_now(datetime(2026, 7, 14, 8, tzinfo=UTC)) == {afternoon.name, plain.name}


def test_the_shop_page_json_ld_has_the_closures_ahead(app, client):
    shop = make_shop(name="Fromagerie Oberkampf")
    services.set_opening_hours(shop, [Interval(d, time(8), time(20)) for d in range(7)])
    today = utcnow().astimezone(ZoneInfo(app.config["TIMEZONE"])).date()
    closed, afternoon = today + timedelta(days=3), today + timedelta(days=4)
    services.add_closure(shop, closed, closed, "Congés")
    services.add_closure(shop, afternoon, afternoon, "Inventaire", time(14))
    db.session.commit()
    html = client.get(f"/shops/{shop.slug}").get_data(as_text=True)
    raw = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    special = json.loads(raw)["specialOpeningHoursSpecification"]
    assert [(s["validFrom"], s["validThrough"], s["opens"], s["closes"]) for s in special] == [
        (closed.isoformat(), closed.isoformat(), "00:00", "00:00"),
        (afternoon.isoformat(), afternoon.isoformat(), "08:00", "14:00"),
    ]
