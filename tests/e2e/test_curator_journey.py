"""The curator's journey in a real browser: approve a shop, feature it, collect it, read the figures."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from marketplace.accounts.models import CURATOR
from marketplace.extensions import db
from shops.models import PENDING_REVIEW
from tests.e2e.live import DEVICES
from tests.e2e.steps import email_for, fits_the_screen, follow, log_in, open_menu_link, unique
from tests.factories import make_product, make_shop, make_user


def approve(page: Page, shop_name: str) -> None:
    """From the review queue, open the shop's file and publish it."""
    open_menu_link(page, "Town office")
    expect(page.get_by_role("heading", name=re.compile("^Review queue"))).to_be_visible()
    waiting = page.get_by_role("region", name=shop_name)
    waiting.get_by_role("link", name=re.compile("^Open the shop's file")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Waiting for review")
    page.get_by_role("button", name="Approve and publish").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Published")


def feature(page: Page) -> None:
    """Put the shop on the home page."""
    page.get_by_role("button", name="Feature on the home page").click()
    expect(page.get_by_role("status")).to_contain_text("Home page updated.")
    expect(page.get_by_role("button", name="Stop featuring on the home page")).to_be_visible()


def make_collection(page: Page, title: str, shop_name: str) -> None:
    """Create a published collection (its address made from the title), find the shop, add it."""
    page.get_by_role("navigation", name="Town office").get_by_role(
        "link", name="Collections"
    ).click()
    page.get_by_role("link", name="Create a collection").click()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Text").fill("Les commerces de bouche du quartier, choisis par la ville.")
    page.get_by_label("Published").check()
    # Loaded, scripts included: the suggestions come from a script that must be listening.
    follow(page, page.get_by_role("button", name="Save"))
    expect(page.get_by_role("status")).to_contain_text("Collection saved.")
    finder = page.get_by_role("search", name="Add a shop or a product")
    box = finder.get_by_label("Name of a published shop or product")
    box.fill(shop_name)  # the suggestions come as the curator types
    expect(finder.get_by_role("option", name=re.compile(re.escape(shop_name)))).to_be_visible()
    box.press("ArrowDown")
    box.press("Enter")  # the suggestion opens the page's results for that name
    page.get_by_role("button", name=f"Add {shop_name}").click()
    expect(page.get_by_role("status")).to_contain_text("Added to the collection.")
    items = page.get_by_role("region", name="Shops and products, in order")
    expect(items.get_by_role("listitem")).to_have_count(1)


def read_dashboard(page: Page, unfound: str, shop_name: str) -> None:
    """The dashboard shows the search nobody could satisfy, and the shop that has sold nothing."""
    follow(
        page,
        page.get_by_role("navigation", name="Town office").get_by_role("link", name="Dashboard"),
    )
    expect(page.get_by_role("heading", name="Local economy dashboard")).to_be_visible()
    for title, cell in (
        ("Searches with no result", unfound),
        ("Shops with no sale in 30 days", shop_name),
    ):
        table = page.get_by_role("region", name=title)
        whole = table.get_by_role("link", name="Show all")
        if whole.count():  # the live town is busy: the table shows its top 10 only
            follow(page, whole)
            table = page.get_by_role("region", name=title)
            expect(table.get_by_role("link", name="Show fewer rows")).to_be_visible()
        expect(table.get_by_role("cell", name=cell, exact=True)).to_be_visible()


@pytest.mark.parametrize("device", DEVICES)
def test_curator_publishes_and_promotes_a_shop(open_page, live_town, device):
    """Approve from the queue, feature, add to a collection; residents see it; the figures add up."""
    shop = make_shop(name=unique("Primeur des Trois Bornes"), status=PENDING_REVIEW)
    make_product(shop, "Pommes reinettes", 380)
    curator_name = unique("Office")
    make_user(email_for(curator_name), CURATOR, curator_name)
    db.session.commit()
    unfound = unique("xylophone").replace(" ", "")

    visitor = open_page(device, "en")
    visitor.goto("/")
    visitor.get_by_label("Search products and shops").first.fill(unfound)
    visitor.get_by_label("Search products and shops").first.press("Enter")
    expect(visitor.get_by_text(f"Nothing matches “{unfound}” yet.")).to_be_visible()

    page = open_page(device, "en")
    log_in(page, email_for(curator_name))
    approve(page, shop.name)
    feature(page)
    fits_the_screen(page)
    title = unique("Fruits de saison")
    make_collection(page, title, shop.name)

    visitor.goto("/")
    expect(visitor.get_by_role("link", name=shop.name).first).to_be_visible()  # featured
    visitor.get_by_role("link", name=title).click()
    expect(visitor.get_by_role("heading", name=title)).to_be_visible()
    expect(visitor.get_by_role("link", name=shop.name)).to_be_visible()

    read_dashboard(page, unfound, shop.name)
    fits_the_screen(page)
