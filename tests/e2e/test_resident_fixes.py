"""Regressions a resident met (issue 15): radios far from their labels, a suggestion list that came
back hidden, and a cart wider than a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from marketplace.extensions import db
from tests.e2e.steps import email_for, press_add, unique
from tests.factories import PASSWORD, make_user
from tests.orders.helpers import set_hours

# The gap between a control's right edge and its label's left edge, in CSS pixels.
GAP = """(input) => {
  const label = document.querySelector(`label[for="${input.id}"]`);
  return label.getBoundingClientRect().left - input.getBoundingClientRect().right;
}"""


def a_shop_and_a_resident(live_town, locale: str):
    """A shop taking card and counter payment, and a resident of the given language."""
    shop, (cheese,) = live_town.connected_shop(
        unique("Fromagerie Radio"), {"Tomme de Bauges": (1450, None)}, pay_at_pickup=True
    )
    set_hours(shop)
    name = unique("Inès Radio")
    resident = make_user(email_for(name), name=name)
    resident.locale = locale
    db.session.commit()
    return shop, cheese, resident


def log_in(page, email: str) -> None:
    """Log in through the English form; the pages after it speak the account's language."""
    page.goto("/account/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(
        page.get_by_role("button", name=re.compile("^(Log out|Se déconnecter)$"))
    ).to_be_visible()


def add_to_cart(page, shop, product, button: str) -> None:
    page.goto(f"/shops/{shop.slug}/products/{product.id}-{product.slug}")
    press_add(page, page.get_by_role("button", name=button))


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_each_payment_radio_sits_beside_its_label(open_page, live_town, locale):
    shop, cheese, resident = a_shop_and_a_resident(live_town, locale)
    page = open_page(locale="en")
    log_in(page, resident.email)
    add_to_cart(page, shop, cheese, "Ajouter au panier" if locale == "fr" else "Add to cart")

    page.goto("/checkout")
    radios = page.locator(f"input[type=radio][name=pay-{shop.id}]")
    expect(radios).to_have_count(2)
    for radio in radios.all():
        assert 0 <= radio.evaluate(GAP) <= 16, radio.get_attribute("id")
        assert radio.bounding_box()["width"] <= 32


def test_after_escape_arrow_down_and_enter_search_instead_of_opening_a_hidden_suggestion(
    open_page, live_town
):
    live_town.connected_shop(unique("Fromagerie Esc"), {"Saint-Nectaire fermier": (1200, None)})
    page = open_page(locale="en")
    page.goto("/shops")
    box = page.get_by_role("combobox", name="Search products and shops")
    box.press_sequentially("Saint-Nect")
    listbox = page.get_by_role("listbox", name="Search products and shops")
    expect(listbox.get_by_role("option").first).to_be_visible()
    box.press("Escape")
    expect(listbox).to_be_hidden()

    box.press("ArrowDown")
    expect(box).not_to_have_attribute("aria-activedescendant", re.compile("."))
    box.press("Enter")

    expect(page).to_have_url(re.compile(r"/search\?.*q=Saint-Nect"))


def test_on_a_phone_the_cart_remove_button_fits_its_card(open_page, live_town):
    shop, cheese, resident = a_shop_and_a_resident(live_town, "fr")
    page = open_page("phone", "en", viewport={"width": 375, "height": 812})
    log_in(page, resident.email)
    add_to_cart(page, shop, cheese, "Ajouter au panier")

    page.goto("/cart/")
    remove = page.get_by_role("button", name=re.compile("^Supprimer"))
    card = page.locator("section.panel").filter(has=remove)
    button, panel = remove.bounding_box(), card.bounding_box()
    assert (
        button["x"] >= panel["x"] and button["x"] + button["width"] <= panel["x"] + panel["width"]
    )
    assert button["x"] + button["width"] <= 375
    assert card.evaluate("(e) => e.scrollWidth <= e.clientWidth"), "the cart scrolls sideways"
