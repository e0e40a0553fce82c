"""On a phone (375 x 667) the header stays under 100 px and the search results start on the first
screen, the filters folded behind a "Filters" button; in English, dates are in words, never in the
US short format ("12/4/26, 9:44 PM"). Issue 15."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from marketplace.extensions import db
from tests.e2e.pages import build_town
from tests.e2e.steps import fits_the_screen, unique
from tests.e2e.test_accessibility import open_as

SMALL_PHONE = {"width": 375, "height": 667}
US_SHORT = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b|\d\s?[AP]M\b")


def speaking(user, locale: str):
    """The user, who now reads Vitrine in `locale` (committed: the live server reads it)."""
    user.locale = locale
    db.session.commit()
    return user


@pytest.fixture(scope="module")
def town(live_town):
    """A shop, a resident with an order, and a product to search for."""
    return build_town(live_town, unique)


@pytest.mark.parametrize("locale", ["fr", "en"])
@pytest.mark.parametrize("logged_in", [False, True], ids=["visitor", "resident"])
def test_the_header_is_under_100_px_on_a_phone(browser, live_town, town, locale, logged_in):
    who = speaking(town.resident, locale) if logged_in else None
    context, page, _watch = open_as(browser, live_town, who, "phone", locale, viewport=SMALL_PHONE)
    try:
        page.goto("/shops")
        header = page.locator(".site-header").bounding_box()
        assert header["height"] < 100, f"the header is {header['height']} px tall"
        fits_the_screen(page)
        expect(page.locator("html")).to_have_attribute("lang", locale)
        # Every menu link is still there: the last one (the language) scrolls into view.
        language = page.locator(".site-header nav li").last.locator("a")
        expect(language).to_have_text("English" if locale == "fr" else "Français")
        language.scroll_into_view_if_needed()
        expect(language).to_be_in_viewport()
        # The search box reads well: a 16 px text at least, dark on white, with its placeholder.
        box = page.locator(".site-header input[type=search]")
        assert box.evaluate("(e) => parseFloat(getComputedStyle(e).fontSize)") >= 16
        assert box.evaluate("(e) => getComputedStyle(e).backgroundColor") == "rgb(255, 255, 255)"
        assert box.get_attribute("placeholder")
    finally:
        context.close()


def test_on_a_phone_the_first_result_is_on_the_first_screen(browser, live_town, town):
    context, page, _watch = open_as(browser, live_town, None, "phone", "fr", viewport=SMALL_PHONE)
    try:
        page.goto("/search?q=tomme")
        first = page.locator("ol.products > li").first
        expect(first).to_be_visible()
        box = first.bounding_box()
        assert box["y"] + min(box["height"], 48) <= SMALL_PHONE["height"], box
        # The filters are folded behind a button, and open from it (no script needed).
        filters = page.locator("summary", has_text="Filtres")
        expect(filters).to_be_visible()
        facet = page.get_by_role("heading", name="Disponibilité")
        expect(facet).to_be_hidden()
        filters.click()
        expect(facet).to_be_visible()
        fits_the_screen(page)
    finally:
        context.close()


def test_on_a_desktop_the_filters_stand_beside_the_results(browser, live_town, town):
    context, page, _watch = open_as(browser, live_town, None, "desktop", "en")
    try:
        page.goto("/search?q=tomme")
        expect(page.get_by_role("heading", name="Availability")).to_be_visible()
        expect(page.locator("summary", has_text="Filters")).to_be_hidden()
    finally:
        context.close()


def test_dates_in_english_are_in_words_not_the_us_short_format(browser, live_town, town):
    resident = speaking(town.resident, "en")
    context, page, _watch = open_as(browser, live_town, resident, "desktop", "en")
    try:
        for path in ("/orders", f"/orders/{town.order.id}"):
            page.goto(path)
            text = page.locator("main").inner_text()
            assert not US_SHORT.search(text), f"{path}: {US_SHORT.search(text).group(0)!r}"
            assert re.search(
                r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) \d{1,2} "
                r"(January|February|March|April|May|June|July|August|September|October|"
                r"November|December)",
                text,
            ), path
            assert re.search(r"\b\d{2}:\d{2}\b", text), path  # a 24-hour clock
    finally:
        context.close()
