"""The resident's journey in a real browser: search, fill a two-shop cart, pay, collect."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from marketplace.extensions import db
from tests.e2e.live import DEVICES
from tests.e2e.steps import (
    DECLINED,
    VISA,
    email_for,
    fits_the_screen,
    follow,
    log_in,
    open_menu_link,
    open_search_filters,
    pay_by_card,
    press_add,
    see_payment_received,
    unique,
)
from tests.factories import PASSWORD, make_user


def two_shops(town):
    """Two published shops taking online payment, each selling a jam, and their owners."""
    grocer, _ = town.connected_shop(
        unique("Épicerie Lune"),
        {"Confiture de fraises": (650, 20), "Miel de lavande": (990, 5)},
        category="épicerie",
    )
    cheese, _ = town.connected_shop(
        unique("Fromagerie Oberkampf"),
        {"Comté affiné 18 mois": (1290, 8), "Confiture de cerises noires": (720, 10)},
        category="fromagerie",
    )
    return grocer, cheese


def search_with_a_typo(page: Page, grocer_name: str) -> None:
    """Search "confitrue", get jams anyway, keep one shop's, open the strawberry jam."""
    page.get_by_label("Search products and shops").first.fill("confitrue")
    page.get_by_label("Search products and shops").first.press("Enter")
    expect(page.get_by_role("heading", name="Search", exact=True)).to_be_visible()
    results = page.get_by_role("region", name=re.compile(r"results?$"))
    expect(results.get_by_role("link", name="Confiture de cerises noires").first).to_be_visible()
    fits_the_screen(page)
    open_search_filters(page).get_by_role("link", name=grocer_name).click()
    expect(page).to_have_url(re.compile(r"[?&]shop="))
    expect(open_search_filters(page).get_by_role("link", name=f"✓ {grocer_name}")).to_be_visible()
    expect(results.get_by_role("link", name="Confiture de cerises noires")).to_have_count(0)
    results.get_by_role("link", name="Confiture de fraises").click()


def add_to_cart(page: Page, quantity: int) -> None:
    """On a product page, choose a quantity and add it to the cart."""
    page.get_by_label("Quantity").fill(str(quantity))
    press_add(page, page.get_by_role("button", name="Add to cart"))


def add_from_second_shop(page: Page, cheese_name: str) -> None:
    """Search without the accent, pick the cheese shop in the results, add its comté."""
    search = page.get_by_label("Search products and shops").first
    search.fill("comte")
    search.press("Enter")
    open_search_filters(page).get_by_role("link", name=cheese_name).click()
    page.get_by_role("link", name="Comté affiné 18 mois").click()
    add_to_cart(page, 1)


def choose_slots_and_pay(page: Page, town, email: str, grocer_name: str, cheese_name: str) -> None:
    """From the cart: log in, pick a pickup time per shop, pay; declined once, then accepted."""
    open_menu_link(page, "Cart")
    expect(page.get_by_role("region", name=grocer_name)).to_contain_text("Confiture de fraises")
    expect(page.get_by_role("region", name=cheese_name)).to_contain_text("Comté affiné 18 mois")
    fits_the_screen(page)
    page.get_by_role("link", name="Choose pickup times and order").click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Pickup and payment")).to_be_visible()
    fits_the_screen(page)
    later = page.get_by_label(f"Pickup time at {cheese_name}")
    # The last time offered, days ahead: the shop's board must show it on its own day.
    later.select_option(index=later.locator("option").count() - 1)
    chosen = later.locator("option:checked").inner_text()
    for shop in (grocer_name, cheese_name):  # both take cards: online is the default
        choice = page.get_by_role("group", name=f"How to pay {shop}")
        expect(choice.get_by_label("Pay online now by card")).to_be_checked()
    page.get_by_role("button", name="Place my order").click()

    pay_by_card(page, DECLINED)
    expect(page.get_by_role("alert")).to_contain_text("Your card was declined.")
    pay_by_card(page, VISA)
    see_payment_received(page)
    page.get_by_role("link", name=re.compile(f"{re.escape(cheese_name)}$")).click()
    expect(page.get_by_role("heading", name="Pickup", exact=True)).to_be_visible()
    day, start = chosen.split("–")[0].split(", ")  # "Friday 4 December", "14:30"
    pickup = page.get_by_role("region", name="Pickup", exact=True)
    expect(pickup).to_contain_text(day)
    expect(pickup).to_contain_text(start)


def pickup_code(page: Page) -> str:
    """Read the pickup code shown on the order page, and check its QR code is there."""
    code_region = page.get_by_role("region", name="Pickup code")
    expect(
        code_region.get_by_role("img", name=re.compile("^QR code of the pickup code"))
    ).to_be_visible()
    fits_the_screen(page)
    return code_region.locator(".code").inner_text().strip()


def hand_over(counter: Page, owner_email: str, shop_name: str, code: str) -> None:
    """The shopkeeper finds the order on the board, prepares it, and checks the code."""
    log_in(counter, owner_email)
    open_menu_link(counter, re.compile("^My shops"))
    follow(
        counter,
        counter.get_by_role("navigation", name=f"Manage {shop_name}").get_by_role(
            "link", name="Orders"
        ),
    )
    order_link = counter.get_by_role("link", name=re.compile(r"^Order #\d+$"))
    for _ in range(8):  # the first pickup time may be on a later day (night, Sunday)
        if order_link.count():
            break
        follow(counter, counter.get_by_role("link", name="Next day ›"))
    order_link.first.click()
    expect(counter.get_by_role("heading", level=1)).to_contain_text("Confirmed")
    order = counter.get_by_role("heading", level=1).inner_text().split()[1]  # "#12"
    counter.get_by_role("button", name="Mark ready", exact=True).click()
    expect(counter.get_by_role("status")).to_contain_text(f"Order {order} is ready")
    board_line = counter.get_by_role("listitem").filter(has_text=f"Order {order}")
    expect(board_line).to_contain_text("Ready for pickup")  # on the board of its own day
    board_line.get_by_role("link", name=f"Order {order}").click()
    expect(counter.get_by_role("heading", level=1)).to_contain_text("Ready for pickup")
    fits_the_screen(counter)
    counter.get_by_label("Pickup code given by the customer").fill(code)
    counter.get_by_role("button", name="Check the code and hand over").click()
    expect(counter.get_by_role("status")).to_contain_text(f"Order {order} is collected.")


@pytest.mark.parametrize("device", DEVICES)
def test_resident_orders_from_two_shops(open_page, live_town, device):
    """Search with a typo, filter, two shops, slots, a declined card then a good one, collect."""
    grocer, cheese = two_shops(live_town)
    email = email_for(unique("Camille"))
    make_user(email, name="Camille").locale = "en"
    db.session.commit()  # the test's own transaction must not hold SQLite's lock
    page = open_page(device, "en")
    page.goto("/")
    search_with_a_typo(page, grocer.name)
    add_to_cart(page, 2)
    add_from_second_shop(page, cheese.name)
    choose_slots_and_pay(page, live_town, email, grocer.name, cheese.name)
    code = pickup_code(page)

    hand_over(open_page(device, "en"), cheese.owner.email, cheese.name, code)
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Collected")
    expect(page.get_by_role("region", name="Pickup code")).to_have_count(0)
