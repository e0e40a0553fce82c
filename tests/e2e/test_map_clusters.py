"""The map in a real browser (issue 15): every shop of the filters as a marker, crowded markers
grouped into clusters that open with the mouse or the keyboard, the "open now" filter without
JavaScript's help, and "near me" drawing the visitor's position on the map and sorting the
directory by distance."""

from __future__ import annotations

import re
from datetime import time

import pytest
from playwright.sync_api import expect

from marketplace.extensions import db
from shops import services
from shops.hours import END_OF_DAY, Interval
from tests.e2e.steps import tab_to, unique
from tests.e2e.test_accessibility import TILES, open_as
from tests.factories import make_product, make_shop

CLUSTER = re.compile(r"^(\d+) (shops here|boutiques ici)")
BASTILLE = {"latitude": 48.8531, "longitude": 2.3691}


@pytest.fixture(scope="module")
def sports(live_town):
    """Five sports shops 200 m apart near the Bastille (two never open), one far west."""
    made = {"open": [], "closed": []}
    for n in range(5):
        shop = make_shop(
            name=unique(f"Sport Bastille {n}"), category="sport", lat=48.853 + n * 0.002, lon=2.369
        )
        kind = "closed" if n in (1, 3) else "open"
        hours = [] if kind == "closed" else [Interval(d, time(0), END_OF_DAY) for d in range(7)]
        services.set_opening_hours(shop, hours)
        make_product(shop, "Ballon", 1500, stock=None)
        made[kind].append(shop)
    far = make_shop(name=unique("Sport Auteuil"), category="sport", lat=48.847, lon=2.257)
    services.set_opening_hours(far, [Interval(d, time(0), END_OF_DAY) for d in range(7)])
    make_product(far, "Raquette", 4500, stock=None)
    made["far"] = far
    db.session.commit()
    return made


def test_crowded_shops_are_clustered_and_a_cluster_opens_with_the_keyboard(
    browser, live_town, sports
):
    context, page, watch = open_as(browser, live_town, None, locale="en")
    try:
        page.goto("/map?category=sport")
        cluster = page.get_by_role("button", name=CLUSTER)
        expect(cluster).to_have_count(1)
        expect(cluster).to_have_accessible_name("5 shops here: zoom in")
        far = page.get_by_role("button", name=sports["far"].name)
        expect(far).to_be_visible()  # alone: a marker of its own
        tab_to(page, cluster)
        page.keyboard.press("Enter")  # zooms in until the shops part
        first = sports["open"][0]
        expect(page.get_by_role("button", name=first.name)).to_be_visible()
        page.get_by_role("button", name=first.name).click()
        popup = page.locator(".leaflet-popup")
        expect(popup.get_by_role("link", name=first.name)).to_be_visible()
        expect(popup).to_contain_text("Open now")
        assert not watch.problems(allowed_hosts=(TILES,))
    finally:
        context.close()


def test_the_open_now_filter_narrows_the_markers_and_the_list(browser, live_town, sports):
    context, page, watch = open_as(browser, live_town, None, locale="fr")
    try:
        page.goto("/map?category=sport")
        expect(page.locator(".map-list li")).to_have_count(6)
        page.get_by_label("Ouvert en ce moment").check()
        page.get_by_role("button", name="Filtrer").click()
        expect(page).to_have_url(re.compile(r"open_now=1"))
        expect(page.locator(".map-list li")).to_have_count(4)
        for shop in sports["closed"]:
            expect(page.locator(".map-list")).not_to_contain_text(shop.name)
        expect(page.get_by_role("button", name=CLUSTER)).to_have_accessible_name(
            re.compile(r"^3 boutiques ici")
        )
        expect(page.get_by_label("Ouvert en ce moment")).to_be_checked()
        assert not watch.problems(allowed_hosts=(TILES,))
    finally:
        context.close()


def test_the_open_now_filter_works_without_javascript_on_the_directory(browser, live_town, sports):
    context, page, _watch = open_as(
        browser, live_town, None, locale="en", java_script_enabled=False
    )
    try:
        page.goto("/shops?category=sport")
        expect(page.get_by_role("button", name="Near me")).to_be_hidden()
        page.get_by_label("Open now").check()
        page.get_by_role("button", name="Filter").click()
        cards = page.locator(".cards .card")
        expect(cards).to_have_count(4)
        expect(cards.filter(has_text="Closed now")).to_have_count(0)
    finally:
        context.close()


def test_near_me_draws_the_position_on_the_map(browser, live_town, sports):
    context, page, watch = open_as(
        browser, live_town, None, locale="fr", geolocation=BASTILLE, permissions=["geolocation"]
    )
    try:
        page.goto("/map?category=sport")
        expect(page.locator(".you-are-here")).to_have_count(0)
        page.get_by_role("button", name="Près de moi").click()
        expect(page).to_have_url(re.compile(r"near=48\.853(%2C|,)2\.369"))
        here = page.locator(".leaflet-marker-icon.you-are-here")
        expect(here).to_be_visible()
        expect(here).to_have_attribute("title", "Votre position")
        expect(page.locator("path.you-are-here__area")).to_have_count(1)
        # The nearest shop first in the list, the far one last.
        names = page.locator(".map-list li a").all_inner_texts()
        assert names[0] == sports["open"][0].name and names[-1] == sports["far"].name
        assert not watch.problems(allowed_hosts=(TILES,))
    finally:
        context.close()


def test_near_me_sorts_the_directory_by_distance(browser, live_town, sports):
    context, page, _watch = open_as(
        browser, live_town, None, locale="en", geolocation=BASTILLE, permissions=["geolocation"]
    )
    try:
        page.goto("/shops?category=sport")
        page.get_by_role("button", name="Near me").click()
        expect(page.get_by_role("status")).to_contain_text("Sorted by distance")
        titles = page.locator(".cards .card h3").all_inner_texts()
        assert titles[0] == sports["open"][0].name and titles[-1] == sports["far"].name
        expect(page.locator(".cards .card").last).to_contain_text(re.compile(r"\d\.\d km"))
        page.get_by_role("link", name="Sort by name").click()
        expect(page).not_to_have_url(re.compile("near="))
    finally:
        context.close()
