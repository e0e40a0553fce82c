"""Accessibility in a real browser: axe-core (tests/e2e/axe.py) finds nothing serious or critical,
and no heading that skips a level, on any page type in French and in English (tests/e2e/pages.py
lists them); the skip link and the focus work; no page breaks its Content-Security-Policy or calls
a third party. Forms with errors: tests/e2e/test_accessible_forms.py.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from marketplace.accounts.models import ADMIN, CURATOR, RESIDENT
from tests.e2e.axe import axe_violations
from tests.e2e.pages import ANONYMOUS, GUEST, SHOPKEEPER, build_town, page_urls
from tests.e2e.steps import fits_the_screen, unique
from tests.e2e.visits import check_pages, fill_the_cart, open_as

LOCALES = ("fr", "en")


@pytest.fixture(scope="module")
def town(live_town):
    """The shop, order and people every page type needs."""
    return build_town(live_town, unique)


def as_guest(context, town) -> None:
    """Open the guest order's mailed link (it proves the address) and put a product in the cart."""
    assert context.request.get(town.guest_link).ok
    fill_the_cart(context, town.product)


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("who", [ANONYMOUS, GUEST, RESIDENT, SHOPKEEPER, CURATOR, ADMIN])
def test_axe_finds_nothing_serious_nor_a_skipped_heading_on_any_page(
    browser, live_town, town, who, locale
):
    user = {
        ANONYMOUS: None,
        GUEST: None,
        RESIDENT: town.resident,
        SHOPKEEPER: town.shop.owner,
        ADMIN: town.admin,
    }.get(who, town.curator)
    urls = page_urls(live_town.app, town, who)
    if not urls:
        pytest.skip(f"this app has no {who} page yet")
    context, page, watch = open_as(browser, live_town, user, locale=locale)
    try:
        if who == RESIDENT:
            fill_the_cart(context, town.product)
        elif who == GUEST:
            as_guest(context, town)
        page.goto("/")
        expect(page.locator("html")).to_have_attribute("lang", locale)
        failures = check_pages(page, watch, urls)
    finally:
        context.close()
    assert not failures, "\n\n".join(failures)


def test_key_pages_pass_axe_on_a_phone_in_english(browser, live_town, town):
    urls = page_urls(live_town.app, town, ANONYMOUS)
    wanted = (
        "public.home",
        "search.page",
        "public.shop",
        "public.product",
        "map.index",
        "public.accessibility",
    )
    context, page, watch = open_as(browser, live_town, town.resident, "phone", "en")
    try:
        fill_the_cart(context, town.product)
        # On a phone, no page needs sideways scrolling (WCAG 1.4.10, reflow).
        failures = check_pages(page, watch, {e: urls[e] for e in wanted}, fits_the_screen)
        resident_pages = page_urls(live_town.app, town, RESIDENT)
        failures += check_pages(page, watch, resident_pages, fits_the_screen)
    finally:
        context.close()
    assert not failures, "\n\n".join(failures)


def test_the_skip_link_comes_first_and_moves_the_focus_to_the_content(open_page):
    page = open_page("desktop", "en")
    page.goto("/shops")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()  # visible when focused, hidden otherwise
    outline = skip.evaluate("(e) => getComputedStyle(e).outlineStyle")
    assert outline != "none", "the focus must be visible"
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_the_checks_see_what_they_look_for(browser, live_town, town):
    """axe and the watch are real: an unlabelled field, a heading skipping a level (moderate) and
    an inline style are all caught."""
    context, page, watch = open_as(browser, live_town, None)
    try:
        page.goto("/shops")
        page.evaluate(
            """() => {
              document.querySelector("main").append(document.createElement("input"));
              const skipped = document.createElement("h4");
              skipped.textContent = "Three levels below the page's title";
              document.querySelector("main h1").after(skipped);
              const style = document.createElement("style");
              style.textContent = "body { color: red }";
              document.head.append(style);
            }"""
        )
        found = {v["id"] for v in axe_violations(page)}
        # The field added above: hidden inputs (the Follow forms' tokens) have no id either.
        expect(page.locator("main input:not([id]):not([type=hidden])")).to_have_count(1)
        assert {"label", "heading-order"} <= found
        assert any("style" in p for p in watch.problems()), watch.problems()
    finally:
        context.close()


def test_search_suggestions_run_from_their_file_under_the_csp(browser, live_town, town):
    """The autocomplete (static/js/suggest.js, once an inline script) is a listbox for arrows."""
    context, page, watch = open_as(browser, live_town, None, locale="en")
    try:
        page.goto("/shops")
        box = page.get_by_role("combobox", name="Search products and shops")
        box.press_sequentially("Tomme de Sav")
        options = page.get_by_role("listbox", name="Search products and shops").get_by_role(
            "option"
        )
        expect(options.filter(has_text="Tomme de Savoie").first).to_be_visible()
        box.press("ArrowDown")
        expect(box).to_have_attribute("aria-activedescendant", re.compile(r"^suggest-0-0$"))
        expect(options.first).to_have_attribute("aria-selected", "true")
        box.press("Escape")
        expect(box).to_have_attribute("aria-expanded", "false")
        assert not watch.problems()
    finally:
        context.close()
