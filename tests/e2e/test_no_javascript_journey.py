"""Progressive enhancement: the resident's whole path works with JavaScript turned off."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from marketplace.extensions import db
from tests.e2e.steps import (
    VISA,
    email_for,
    log_in,
    open_menu_link,
    pay_by_card,
    see_payment_received,
    unique,
)
from tests.factories import make_user


def test_resident_orders_without_javascript(open_page, live_town):
    """Search, add to cart, change the quantity, pick a time, pay, see the code: all plain HTML."""
    shop, _ = live_town.connected_shop(
        unique("Librairie Sans Script"), {"Carnet de croquis": (1450, 6)}, category="librairie"
    )
    name = unique("Sacha")
    make_user(email_for(name), name=name).locale = "en"
    db.session.commit()
    page = open_page("phone", "en", java_script_enabled=False)
    log_in(page, email_for(name))
    search = page.get_by_label("Search products and shops").first
    search.fill("carnet croquis")
    page.get_by_role("search").first.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Carnet de croquis").first.click()
    page.get_by_role("button", name="Add to cart").click()
    open_menu_link(page, re.compile("^Cart"))
    page.get_by_label("Quantity of Carnet de croquis").fill("3")
    page.get_by_role("button", name="Update").click()
    expect(page.get_by_role("region", name=shop.name)).to_contain_text("€43.50")
    page.get_by_role("link", name="Choose pickup times and order").click()
    page.get_by_label(f"Pickup time at {shop.name}").select_option(index=2)
    page.get_by_role("button", name="Place my order").click()
    pay_by_card(page, VISA)
    see_payment_received(page)  # the page refreshes itself (a meta refresh) until it is paid
    page.get_by_role("link", name=re.compile(f"{re.escape(shop.name)}$")).click()
    expect(page.get_by_role("region", name="Pickup code")).to_be_visible()
