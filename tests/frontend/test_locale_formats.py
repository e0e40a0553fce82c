"""Numbers, distances and dates on the new pages follow the visitor's language (Flask-Babel)."""

from __future__ import annotations

import re

import pytest

from marketplace.public.finder import parse_near
from marketplace.templating import decimal_filter, format_km
from tests.conftest import page_text
from tests.factories import make_product, make_shop


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr", ["1,25", "2,5", "1 234,5", "0,0"]), ("en", ["1.25", "2.5", "1,234.5", "0.0"])],
)
def test_decimals_follow_the_language(app, language, expected):
    with app.test_request_context(headers={"Accept-Language": language}):
        shown = [decimal_filter(1.25), decimal_filter(2.5), decimal_filter(1234.5, 1)]
        shown.append(decimal_filter(0.04, 1))
    assert [s.replace("\u202f", " ").replace("\xa0", " ") for s in shown] == expected
    assert decimal_filter(None) == ""


def test_distances_are_written_for_the_language(app):
    # A fresh app context each: Flask-Babel keeps the locale for the app context's lifetime.
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "fr"}):
        assert format_km(1.26) == "1,3 km"
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "en"}):
        assert format_km(1.26) == "1.3 km"


def test_near_me_positions_are_checked_and_rounded():
    assert parse_near("48.85341,2.34880") == (48.853, 2.349)
    assert parse_near("91,2") is None
    assert parse_near("abc") is None
    assert parse_near("48.8") is None
    assert parse_near(None) is None


def test_the_map_list_sorts_by_distance_with_local_decimals(app, client):
    near = make_shop(name="Fleurs de Bastille", category="fleuriste", lat=48.853, lon=2.369)
    far = make_shop(name="Fleurs du Nord", category="fleuriste", lat=48.897, lon=2.344)
    make_shop(name="Sans adresse", category="fleuriste", lat=None, lon=None)
    page = page_text(client.get("/map?near=48.8531,2.3691", headers={"Accept-Language": "fr"}))
    names = re.findall(r'<a href="/shops/[^"]+">([^<]+)</a>', page)
    assert names == [near.name, far.name, "Sans adresse"]  # no position: last
    assert re.search(r"Fleurs du Nord</a>\s*<span class=\"muted\">[^<]*· 5,2 km", page)
    assert page.count("data-lat=") == 2  # the shop without coordinates has no marker
    english = page_text(client.get("/map?near=48.8531,2.3691", headers={"Accept-Language": "en"}))
    assert "· 5.2 km" in english
    bad = client.get("/map?near=999,abc&category=nonsense&page=-3")
    assert bad.status_code == 200  # bad input is ignored, never a 500
    assert "Sans adresse" in page_text(bad)


def test_the_map_filters_by_category(client, app):
    make_shop(name="Fleurs de Bastille", category="fleuriste")
    make_shop(name="Librairie du Canal", category="librairie")
    page = page_text(client.get("/map?category=librairie"))
    assert "Librairie du Canal" in page and "Fleurs de Bastille" not in page


def test_the_accessibility_statement_dates_itself_in_the_language(client):
    french = page_text(client.get("/accessibility", headers={"Accept-Language": "fr"}))
    english = page_text(client.get("/accessibility", headers={"Accept-Language": "en"}))
    assert "28 novembre 2026" in french
    assert "28 November 2026" in english
    for text in (french, english):
        assert "Défenseur des droits" in text
        assert "RGAA" in text
        assert "mailto:accessibilite@vitrine.localhost" in text


def test_every_page_links_to_the_accessibility_statement_and_the_map(client):
    page = page_text(client.get("/"))
    assert 'href="/accessibility"' in page
    assert 'href="/map"' in page


def test_search_results_show_distances_with_the_local_decimal_sign(app, client):
    shop = make_shop(name="Fromagerie Oberkampf", category="fromagerie", lat=48.8650, lon=2.3780)
    make_product(shop, "Brie de Meaux", 650)
    url = "/search?q=brie&near=48.8531,2.3691"
    french = page_text(client.get(url, headers={"Accept-Language": "fr"}))
    english = page_text(client.get(url, headers={"Accept-Language": "en"}))
    assert "Brie de Meaux" in french
    assert re.search(r"· 1,\d km", french), "French writes 1,5 km"
    assert re.search(r"· 1\.\d km", english)
