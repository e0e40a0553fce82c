"""A guest pays online through the Stripe emulator: confirmed by the webhook, told by email."""

from __future__ import annotations

from marketplace.extensions import db
from marketplace.orders.models import Checkout
from tests.conftest import page_text
from tests.orders.guest_helpers import guest_checkout_form, mailed_links
from tests.orders.helpers import stock_of
from tests.payments.conftest import pay
from tests.payments.town import VISA, fill_cart, last_checkout, statuses, subjects_to


def guest_sent_to_stripe(town):
    """A visitor's browser with two loaves in the cart, sent to Stripe's page as a guest."""
    _, (bread,) = town.connected_shop("Boulangerie Moreau", {"Pain au levain": (450, 10)})
    browser = town.browser()  # no account
    fill_cart(browser, {bread: 2})
    sent = browser.post("/checkout/guest", data=guest_checkout_form(browser, "online"))
    assert sent.status_code == 303, page_text(sent)[:2000]
    assert sent.headers["Location"].startswith(f"{town.emulator.url}/c/pay/")
    return browser, bread, last_checkout(), sent.headers["Location"]


def test_a_guest_pays_by_card_and_gets_the_signed_link(town):
    browser, bread, checkout, url = guest_sent_to_stripe(town)
    session = town.stripe.v1.checkout.sessions.retrieve(checkout.stripe_session_id)
    assert session.customer_email == "zoe.guest@example.org"
    assert stock_of(bread) == 8 and statuses(checkout) == ["pending_payment"]

    paid = pay(url, VISA)
    town.wait_for("checkout.session.completed", checkout.stripe_session_id)

    assert statuses(checkout) == ["confirmed"]
    assert db.session.get(Checkout, checkout.id).customer_id is None
    back = page_text(browser.get(paid.headers["Location"].removeprefix(town.url)))
    assert "Payment received: €9.00." in back
    assert "Create an account with zoe.guest@example.org" in back
    assert subjects_to(town.app, "zoe.guest@example.org") == [
        "Your order at Boulangerie Moreau is confirmed"
    ]
    [link] = mailed_links(town.app, "zoe.guest@example.org")
    phone = town.browser()
    order_page = phone.get(phone.get(link).headers["Location"])
    assert "Paid online." in page_text(order_page)
    assert checkout.orders[0].display_code in page_text(order_page)


def test_a_guest_leaves_stripe_then_comes_back_to_pay(town):
    browser, bread, checkout, url = guest_sent_to_stripe(town)
    order_id = checkout.orders[0].id
    waiting = page_text(browser.get(f"/orders/{order_id}"))
    assert "Waiting for payment" in waiting and "Pay now" in waiting

    resumed = browser.get(f"/checkout/{checkout.id}/pay")
    assert resumed.status_code == 303 and resumed.headers["Location"] == url  # the same session
    back = browser.get(f"/checkout/{checkout.id}/cancelled")

    assert back.status_code == 303 and back.headers["Location"] == "/cart/"
    assert statuses(checkout) == ["expired"] and stock_of(bread) == 10
    assert "Pain au levain" in page_text(browser.get("/cart/"))  # back in the visitor's cart
    stranger = town.browser()
    assert stranger.get(f"/checkout/{checkout.id}/pay").status_code == 302  # to log in
