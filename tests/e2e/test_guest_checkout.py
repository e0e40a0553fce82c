"""Buying without an account in a real browser; signing up or in from the checkout keeps the cart."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from playwright.sync_api import Page, expect

from marketplace.extensions import db
from tests.conftest import outbox
from tests.e2e.steps import VISA, email_for, open_menu_link, pay_by_card, unique
from tests.e2e.test_resident_journey import add_to_cart
from tests.factories import PASSWORD
from tests.orders.guest_helpers import mailed_links
from tests.payments.town import last_checkout


def honey_shop(town):
    """A shop taking card payment, selling chestnut honey."""
    shop, _ = town.connected_shop(
        unique("Miellerie Ménilmontant"), {"Miel de châtaignier": (890, 10)}, category="épicerie"
    )
    return shop


def fill_cart_and_go_to_checkout(page: Page, shop) -> None:
    """On the shop's page, open the honey, add it, and follow the cart's button to order."""
    page.goto(f"/shops/{shop.slug}")
    page.get_by_role("link", name="Miel de châtaignier").first.click()
    add_to_cart(page, 1)
    open_menu_link(page, "Cart")
    page.get_by_role("link", name="Choose pickup times and order").click()


def test_a_visitor_orders_as_a_guest_and_opens_the_order_from_the_email(open_page, live_town):
    shop = honey_shop(live_town)
    email = email_for(unique("Zoé Invitée"))
    page = open_page("desktop", "en")
    fill_cart_and_go_to_checkout(page, shop)

    expect(page.get_by_role("heading", name="Order without an account")).to_be_visible()
    page.get_by_role("link", name="Continue as a guest").click()
    expect(page.get_by_role("heading", name="Pickup and payment")).to_be_visible()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Phone").fill("06 12 34 56 78")
    page.get_by_label("Name (optional)").fill("Zoé")
    expect(page.get_by_label("Pay online now by card")).to_be_checked()
    page.get_by_role("button", name="Place my order").click()
    pay_by_card(page, VISA)
    live_town.wait_for("checkout.session.completed", last_checkout().stripe_session_id)
    db.session.commit()  # end the test's read transaction before the server writes again
    expect(page.get_by_role("status")).to_contain_text("Payment received")  # refreshes itself
    expect(page.get_by_role("link", name=f"Create an account with {email}")).to_be_visible()

    [link] = mailed_links(live_town.app, email)
    phone = open_page("phone", "en")  # another device, never logged in
    phone.goto(link)
    expect(phone.get_by_role("heading", level=1)).to_contain_text(shop.name)
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Confirmed")
    code = phone.get_by_role("region", name="Pickup code")
    expect(code.get_by_role("img", name=re.compile("^QR code of the pickup code"))).to_be_visible()
    expect(phone.get_by_text("Paid online.")).to_be_visible()


def test_signing_up_then_in_from_the_checkout_comes_back_to_it_with_the_cart(open_page, live_town):
    shop = honey_shop(live_town)
    email = email_for(unique("Nouvelle Voisine"))
    page = open_page("desktop", "en")
    fill_cart_and_go_to_checkout(page, shop)

    page.get_by_role("main").get_by_role("link", name="Sign up").click()
    page.get_by_label("Your name").fill("Nouvelle Voisine")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    # A new account confirms its email first (issue 19): the mailed link keeps the way back.
    expect(page.get_by_text(f"we sent a message to {email}")).to_be_visible()
    [mail] = [m for m in outbox(live_town.app) if m.startswith(f"To: {email}\n")]
    link = urlsplit(re.search(r"https?://\S+", mail).group(0))
    page.goto(f"{link.path}?{link.query}")  # the link carries next=/checkout
    page.get_by_role("button", name="Confirm and open my account").click()
    expect(page.get_by_role("heading", name="Pickup and payment")).to_be_visible()
    expect(page.get_by_role("group", name=re.compile(f"^{re.escape(shop.name)}"))).to_contain_text(
        "1 × Miel de châtaignier"
    )

    page.get_by_role("button", name="Log out").click()
    fill_cart_and_go_to_checkout(page, shop)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Pickup and payment")).to_be_visible()
    # The account kept the first jar; the visitor's second one joined it at login.
    expect(page.get_by_role("group", name=re.compile(f"^{re.escape(shop.name)}"))).to_contain_text(
        "2 × Miel de châtaignier"
    )
