"""Buying without an account in a real browser; signing up or in from the checkout keeps the cart."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from marketplace.extensions import db
from marketplace.money import format_money
from tests.conftest import outbox
from tests.e2e.modes import MODES, STRIPE, Person
from tests.e2e.steps import VISA, email_for, open_menu_link, unique
from tests.e2e.test_resident_journey import add_to_cart
from tests.factories import PASSWORD
from tests.orders.guest_helpers import mailed_links


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


def person_fills_cart_and_goes_to_checkout(person: Person, shop) -> None:
    """The same steps as fill_cart_and_go_to_checkout, by mouse or keyboard, with or without JS."""
    page, say = person.page, person.say
    page.goto(f"/shops/{shop.slug}")
    person.press(page.get_by_role("link", name="Miel de châtaignier").first)
    count = page.locator("#cart-count")
    before = count.inner_text()
    person.press(page.get_by_role("button", name=say("Add to cart")))
    expect(count).not_to_have_text(before)
    menu = page.get_by_role("navigation", name=say("Main menu"))
    person.press(menu.get_by_role("link", name=say("Cart")))
    person.press(page.get_by_role("link", name=say("Choose pickup times and order")))


# The four modes of the resident's path: desktop English, phone French, keyboard only, no JavaScript.
@pytest.mark.parametrize("mode", MODES)
def test_a_visitor_orders_as_a_guest_and_opens_the_order_from_the_email(open_page, live_town, mode):
    shop = honey_shop(live_town)
    email = email_for(unique("Zoé Invitée"))
    person = Person(open_page, live_town.app, MODES[mode])
    page, say = person.page, person.say
    person_fills_cart_and_goes_to_checkout(person, shop)

    expect(page.get_by_role("heading", name=say("Order without an account"))).to_be_visible()
    person.press(page.get_by_role("link", name=say("Continue as a guest")))
    expect(page.get_by_role("heading", name=say("Pickup and payment"))).to_be_visible()
    main = page.get_by_role("main")
    person.type_into(main.get_by_label(say("Email")), email)
    person.type_into(main.get_by_label(say("Phone")), "06 12 34 56 78")
    person.type_into(main.get_by_label(say("Name (optional)")), "Zoé")
    online = say("Pay online now by card (secure payment by Stripe)")
    expect(main.get_by_label(online)).to_be_checked()
    person.press(main.get_by_role("button", name=say("Place my order")))
    expect(page.get_by_text(STRIPE[person.mode.locale]["banner"])).to_be_visible()
    person.pay_by_card(VISA)
    db.session.commit()  # end the test's read transaction before the server writes again
    paid = say(
        "Payment received: %(total)s. Thank you! Your orders are confirmed.",
        total=format_money(890, person.mode.locale),
    )
    expect(page.get_by_role("status")).to_have_text(paid)  # refreshes itself
    offer = say("Create an account with %(email)s", email=email)
    expect(page.get_by_role("link", name=offer)).to_be_visible()

    live_town.wait_for_mail(email, say("Your order at %(shop)s is confirmed", shop=shop.name))
    [link] = mailed_links(live_town.app, email)
    phone = open_page("phone", person.mode.locale)  # another device, never logged in
    phone.goto(link)
    expect(phone.get_by_role("heading", level=1)).to_contain_text(shop.name)
    expect(phone.get_by_role("heading", level=1)).to_contain_text(say("Confirmed"))
    code = phone.get_by_role("region", name=say("Pickup code"))
    qr = re.compile("^" + re.escape(say("QR code of the pickup code %(code)s", code="")))
    expect(code.get_by_role("img", name=qr)).to_be_visible()
    expect(phone.get_by_text(say("Paid online."))).to_be_visible()


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
