"""The shopkeeper at the counter, with the keyboard alone: log in, prepare, check the code, hand over.

(The resident's side is tests/e2e/test_keyboard_journey.py.) Every control is reached with Tab,
shows a visible focus (steps.tab_to checks it), and is used with Enter or by typing.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from marketplace.extensions import db
from tests.e2e.pages import build_town
from tests.e2e.steps import tab_to, unique
from tests.factories import PASSWORD


def test_the_shopkeeper_hands_an_order_over_with_the_keyboard_alone(open_page, live_town):
    town = build_town(live_town, unique)
    order, keeper = town.order, town.shop.owner
    code = order.pickup_code
    db.session.commit()
    page = open_page("phone", "en")  # at the counter: the shop's phone
    keys = page.keyboard

    page.goto("/account/login")
    tab_to(page, page.get_by_label("Email"))
    keys.type(keeper.email)
    keys.press("Tab")
    keys.type(PASSWORD)
    keys.press("Enter")
    expect(page.get_by_role("button", name="Log out")).to_be_attached()

    # The order's page on the board, as the new-order email links to it.
    page.goto(f"/merchant/shops/{town.shop.slug}/orders/{order.id}")
    tab_to(page, page.get_by_role("button", name="Mark ready"))
    keys.press("Enter")
    # Back on the day's board, the order is ready; the customer arrives: open it again.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Orders")
    tab_to(page, page.get_by_role("link", name=f"Order #{order.id}"))
    keys.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ready")

    field = page.get_by_label("Pickup code given by the customer")
    tab_to(page, field)
    keys.type("WRONG1")
    keys.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("This code is not the order's code")
    field = page.get_by_label("Pickup code given by the customer")
    tab_to(page, field)
    keys.press("Control+A")
    keys.type(code)
    tab_to(page, page.get_by_role("button", name="Check the code and hand over"))
    keys.press("Space")
    expect(page.get_by_role("status")).to_contain_text(
        re.compile(rf"Order #{order.id} is collected")
    )
