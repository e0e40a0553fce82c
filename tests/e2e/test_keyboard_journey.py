"""The resident's search → cart → checkout → payment, with the keyboard alone (no mouse click)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from marketplace.extensions import db
from tests.e2e.steps import VISA, see_payment_received, tab_to, unique
from tests.factories import PASSWORD, make_user


def test_resident_orders_with_the_keyboard_alone(open_page, live_town):
    """Tab, Enter, Space, arrows and typing only: skip link, search, add, cart, log in, pay."""
    shop, _ = live_town.connected_shop(
        unique("Épicerie Clavier"), {"Confiture de mirabelles": (680, 9)}, category="épicerie"
    )
    email = f"{unique('keyboard').replace(' ', '-')}@example.org"
    make_user(email, name="Noor").locale = "en"
    db.session.commit()
    page = open_page("desktop", "en")
    keys = page.keyboard
    page.goto("/")

    # The skip link comes first, and takes the focus to the content.
    keys.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    keys.press("Enter")
    expect(page.locator("main")).to_be_focused()

    page.goto("/")
    tab_to(page, page.get_by_label("Search products and shops").first)
    keys.type("confitrue mirabelle")
    keys.press("Enter")
    filters = page.get_by_role("complementary", name="Filters")
    tab_to(page, filters.get_by_role("link", name=shop.name))
    keys.press("Enter")
    expect(filters.get_by_role("link", name=f"✓ {shop.name}")).to_be_visible()
    tab_to(page, page.get_by_role("link", name="Confiture de mirabelles"))
    keys.press("Enter")

    tab_to(page, page.get_by_label("Quantity"))
    keys.press("ArrowUp")  # 1 -> 2
    tab_to(page, page.get_by_role("button", name="Add to cart"))
    keys.press("Space")
    menu = page.get_by_role("navigation", name="Main menu")
    expect(menu.get_by_role("link", name=re.compile("^Cart"))).to_contain_text("(2)")
    tab_to(page, menu.get_by_role("link", name=re.compile("^Cart")))
    keys.press("Enter")
    expect(page.get_by_role("region", name=shop.name)).to_contain_text("Confiture de mirabelles")
    tab_to(page, page.get_by_role("link", name="Choose pickup times and order"))
    keys.press("Enter")

    tab_to(page, page.get_by_label("Email"))
    keys.type(email)
    keys.press("Tab")
    keys.type(PASSWORD)
    keys.press("Enter")
    expect(page.get_by_role("heading", name="Pickup and payment")).to_be_visible()
    slot = page.get_by_label(f"Pickup time at {shop.name}")
    first_choice = slot.input_value()
    tab_to(page, slot)
    keys.press("ArrowDown")  # the next pickup time
    expect(slot).not_to_have_value(first_choice)
    tab_to(page, page.get_by_role("button", name="Place my order"))
    keys.press("Enter")

    expect(page.get_by_text("TEST MODE")).to_be_visible()
    tab_to(page, page.get_by_label("Card number"))
    keys.type(VISA)
    keys.press("Enter")
    see_payment_received(page)
    tab_to(page, page.get_by_role("link", name=re.compile(f"{re.escape(shop.name)}$")))
    keys.press("Enter")
    code = page.get_by_role("region", name="Pickup code")
    expect(code.get_by_role("img", name=re.compile("^QR code of the pickup code"))).to_be_visible()
