"""The shop map in a real browser: Leaflet markers from the list, "near me" only on request,
tiles the only third party, and the list usable without JavaScript and without tiles."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.steps import tab_to, unique
from tests.e2e.visits import TILES, open_as
from tests.factories import make_product, make_shop

# Until the lead merges marketplace/translations/pending/8.po, the map's own words are English
# on French pages too; the French pages are still French where it matters here (the numbers).
NEAR_ME = re.compile("^(Near me|Près de moi)$")


@pytest.fixture(scope="module")
def florists(live_town):
    """Two shops with coordinates, one near the Bastille, one far north, of a category that no
    other journey of the shared live town uses (the first test counts the list)."""
    near = make_shop(
        name=unique("Disques de Bastille"), category="disquaire", lat=48.853, lon=2.369
    )
    far = make_shop(name=unique("Disques du Nord"), category="disquaire", lat=48.897, lon=2.344)
    for shop in (near, far):  # a shop with something to sell, as other tests of the session expect
        make_product(shop, "Vinyle d’occasion", 2500, stock=None)
    return near, far


def test_the_map_shows_a_marker_per_listed_shop_and_only_tiles_leave_the_page(
    browser, live_town, florists
):
    context, page, watch = open_as(browser, live_town, None, locale="fr")
    try:
        page.goto("/map?category=disquaire")
        listed = page.locator(".map-list li[data-lat]")
        expect(listed).to_have_count(2)
        expect(page.locator(".leaflet-marker-icon")).to_have_count(2)
        expect(page.get_by_role("button", name=florists[0].name)).to_be_attached()  # keyboard
        expect(page.locator(".leaflet-control-attribution")).to_contain_text(
            "OpenStreetMap contributors"
        )
        expect(page.get_by_role("button", name=NEAR_ME)).to_be_visible()
        assert watch.outside, "the tiles were requested"
        assert {re.sub(r"^https://([^/]+)/.*", r"\1", u) for u in watch.outside} == {TILES}
        assert not watch.problems(allowed_hosts=(TILES,))
    finally:
        context.close()


def test_near_me_asks_for_the_position_only_on_click_and_sorts_by_distance(
    browser, live_town, florists
):
    near, far = florists
    context, page, watch = open_as(
        browser,
        live_town,
        None,
        locale="fr",
        geolocation={"latitude": 48.8531, "longitude": 2.3691},
        permissions=["geolocation"],
    )
    try:
        page.goto("/map?category=disquaire")
        assert "near=" not in page.url
        page.get_by_role("button", name=NEAR_ME).click()
        expect(page).to_have_url(re.compile(r"near=48\.853%2C2\.369|near=48\.853,2\.369"))
        expect(page.locator("#near-status")).to_contain_text(
            re.compile("Sorted by distance|Triés du plus proche")
        )
        names = page.locator(".map-list li a").all_inner_texts()
        assert names.index(near.name) < names.index(far.name)
        # Distances in the French way: a decimal comma.
        expect(page.locator(".map-list li").filter(has_text=far.name)).to_contain_text(
            re.compile(r"\d,\d km")
        )
        assert not watch.problems(allowed_hosts=(TILES,))
    finally:
        context.close()


def test_the_list_works_without_javascript_and_without_tiles(browser, live_town, florists):
    context, page, watch = open_as(browser, live_town, None, locale="en", java_script_enabled=False)
    try:
        page.goto("/map")
        expect(page.get_by_text("The map needs JavaScript")).to_be_visible()
        expect(page.get_by_role("button", name="Near me")).to_be_hidden()
        page.get_by_label("Category").select_option("disquaire")
        page.get_by_role("button", name="Filter").click()
        expect(page).to_have_url(re.compile(r"category=disquaire"))
        page.get_by_role("link", name=florists[1].name).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(florists[1].name)
        assert watch.outside == [], "no tile and no third party without JavaScript"
    finally:
        context.close()


def test_markers_are_reached_and_opened_with_the_keyboard(browser, live_town, florists):
    near, _far = florists
    context, page, _watch = open_as(browser, live_town, None, locale="en")
    try:
        page.goto("/map?category=disquaire")
        marker = page.get_by_role("button", name=near.name)
        tab_to(page, marker)
        page.keyboard.press("Enter")
        popup = page.locator(".leaflet-popup").get_by_role("link", name=near.name)
        expect(popup).to_be_visible()
        tab_to(page, popup)
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", level=1)).to_contain_text(near.name)
    finally:
        context.close()
