""" "Add" on a list keeps the resident where they were: with JavaScript the page does not reload
(the cart count changes and is announced), without it the page comes back at the product."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from marketplace.extensions import db
from tests.e2e.steps import unique
from tests.factories import make_product, make_shop

NOTEBOOKS = [f"Carnet n° {n:02d}" for n in range(1, 25)]  # a long page: the last ones are far down


def stationer():
    """A stationer with two dozen notebooks (not a florist: the map's tests count those)."""
    shop = make_shop(name=unique("Papeterie Ancre"), category="papeterie")
    products = [make_product(shop, name, 350 + n, stock=None) for n, name in enumerate(NOTEBOOKS)]
    db.session.commit()
    return shop, products


def test_add_without_reload_updates_and_announces_the_cart_count(open_page, live_town):
    shop, _ = stationer()
    page = open_page("desktop", "en")
    page.goto(f"/shops/{shop.slug}")
    page.evaluate("() => { window.stayed = true; }")  # gone if the page reloads
    count = page.get_by_role("navigation", name="Main menu").locator("#cart-count")
    expect(count).to_be_hidden()
    page.get_by_role("button", name="Add Carnet n° 20").click()
    expect(count).to_have_text("(1)")
    expect(count).to_be_visible()
    expect(page.locator("#cart-status")).to_have_text("Carnet n° 20 is in your cart.")
    expect(page.locator("#cart-status")).to_have_attribute("aria-live", "polite")  # read out
    page.get_by_role("button", name="Add Carnet n° 03").click()
    expect(count).to_have_text("(2)")
    assert page.evaluate("() => window.stayed === true")
    assert page.url.endswith(f"/shops/{shop.slug}")
    page.goto("/cart/")  # really in the cart, as the server keeps it
    expect(page.get_by_role("main")).to_contain_text("Carnet n° 20")
    expect(page.get_by_role("main")).to_contain_text("Carnet n° 03")


def test_without_javascript_add_comes_back_to_the_product_not_the_top(open_page, live_town):
    shop, products = stationer()
    last = products[-1]
    page = open_page("phone", "fr", java_script_enabled=False)
    page.goto(f"/shops/{shop.slug}")
    row = page.locator(f"#p-{last.id}")
    row.get_by_role("button", name=f"Ajouter {last.name}").click()
    expect(page).to_have_url(re.compile(rf"/shops/{shop.slug}#p-{last.id}$"))
    expect(row).to_be_in_viewport()
    expect(page.get_by_role("heading", level=1)).not_to_be_in_viewport()  # not back at the top
    expect(page.locator("#cart-count")).to_have_text("(1)")
    expect(page.get_by_role("status").first).to_contain_text(f"Ajouté à votre panier : {last.name}")


def test_the_shop_and_search_pages_keep_their_headings_in_order(open_page, live_town):
    """axe's heading-order (a moderate rule, not in the blocking set) on the grouped shop page."""
    from tests.e2e.pages import AXE

    shop, _ = stationer()
    page = open_page("desktop", "en")
    for url in (f"/shops/{shop.slug}", f"/shops/{shop.slug}?q=carnet", "/search?q=carnet"):
        page.goto(url)
        page.evaluate("(() => {" + AXE.read_text(encoding="utf-8") + "\n})()")
        found = page.evaluate(
            """async () => (await axe.run(document, {runOnly: {type: "rule",
                 values: ["heading-order", "image-alt", "duplicate-id-aria"]}})).violations
                 .map((v) => v.id)"""
        )
        assert found == [], (url, found)
