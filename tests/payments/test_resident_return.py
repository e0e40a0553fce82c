"""What Camille sees around the Stripe page (issue 15): the true payment state of each order, a
return page that waits for the webhook and then refreshes itself, and a "back" link that gives up."""

from __future__ import annotations

import re

import requests

from marketplace.extensions import db
from marketplace.orders.models import Checkout
from tests.conftest import alerts, page_text
from tests.orders.helpers import stock_of
from tests.payments.conftest import pay
from tests.payments.test_unpaid_checkouts import waiting  # noqa: F401 - a fixture
from tests.payments.town import DECLINED, VISA, check_out, fill_cart, last_checkout, resident

REFRESH = '<meta http-equiv="refresh" content="3">'


def stripe_cancel_link(url: str) -> str:
    """The "back" link of Stripe's hosted page (its cancel_url)."""
    found = re.search(r'<a href="([^"]+)">', requests.get(url, timeout=10).text)
    assert found, "no back link on the Stripe page"
    return found.group(1).replace("&amp;", "&")


def quantities(browser) -> list[str]:
    """The quantities in the cart, line by line."""
    return re.findall(
        r'name="quantity" type="number"[^>]*value="(\d+)"', page_text(browser.get("/cart/"))
    )


def test_a_waiting_order_says_so_and_offers_to_pay_now(town, waiting):  # noqa: F811
    browser, checkout, url, _ = waiting
    order = checkout.orders[0]

    for page in (browser.get(f"/orders/{order.id}"), browser.get("/orders")):
        text = page_text(page)
        assert "Paid online." not in text
        assert "Waiting for payment: the products are reserved until you pay." in text
        assert f'href="/checkout/{checkout.id}/pay"' in text
    resumed = browser.get(f"/checkout/{checkout.id}/pay")
    assert resumed.status_code == 303 and resumed.headers["Location"] == url


def test_an_order_expired_after_a_declined_card_is_not_paid(town, waiting):  # noqa: F811
    browser, checkout, url, _ = waiting
    assert "Your card was declined." in pay(url, DECLINED).text
    town.emulator.advance_clock(36 * 60)
    town.wait_for("checkout.session.expired", checkout.stripe_session_id)

    text = page_text(browser.get(f"/orders/{checkout.orders[0].id}"))

    assert "Paid online." not in text and "Pay now" not in text
    assert "Not paid: the reservation expired; nothing was charged." in text


def test_a_paid_order_says_paid_online(town, waiting):  # noqa: F811
    browser, checkout, url, _ = waiting
    pay(url, VISA)
    town.wait_for("checkout.session.completed", checkout.stripe_session_id)

    text = page_text(browser.get(f"/orders/{checkout.orders[0].id}"))

    assert "Paid online." in text and "Pay now" not in text


def test_an_order_to_pay_at_the_counter_says_so(town):
    _, (bread,) = town.connected_shop("Boulangerie Comptoir", {"Baguette": (130, 10)})
    browser = town.browser(resident())
    fill_cart(browser, {bread: 1})
    assert check_out(browser, "at_pickup").status_code == 303

    text = page_text(browser.get(f"/orders/{last_checkout().orders[0].id}"))

    assert "To pay at the counter." in text and "Paid online." not in text


def test_the_return_page_waits_for_the_webhook_and_shows_paid(town, waiting):  # noqa: F811
    browser, _, url, _ = waiting
    town.app.config["PAYMENT_RETURN_WAIT_SECONDS"] = 15  # an upper bound: it returns when paid
    paid = pay(url, VISA)  # straight back, without waiting for the webhook ourselves

    page = page_text(browser.get(paid.headers["Location"].removeprefix(town.url)))

    assert "Payment received: €21.90. Thank you! Your orders are confirmed." in page
    assert REFRESH not in page


def test_the_return_page_refreshes_itself_until_the_payment_is_settled(town, waiting):  # noqa: F811
    browser, checkout, url, _ = waiting

    waiting_page = browser.get(f"/checkout/{checkout.id}/return").get_data(as_text=True)
    assert REFRESH in waiting_page
    assert "This page updates itself every few seconds." in page_text(
        browser.get(f"/checkout/{checkout.id}/return")
    )

    pay(url, VISA)
    town.wait_for("checkout.session.completed", checkout.stripe_session_id)
    settled = browser.get(f"/checkout/{checkout.id}/return").get_data(as_text=True)
    assert REFRESH not in settled


def test_going_back_from_stripe_gives_up_and_shows_the_cart_again(town, waiting):  # noqa: F811
    browser, checkout, url, products = waiting
    back = stripe_cancel_link(url)
    assert back.startswith(town.url)

    sent = browser.get(back.removeprefix(town.url))

    assert sent.status_code == 303 and sent.headers["Location"] == "/cart/"
    cart = browser.get("/cart/")
    assert ("info", "The payment is cancelled; your products are back in your cart.") in alerts(
        cart
    )
    assert "Pain au levain" in page_text(cart) and "Brie de Meaux" in page_text(cart)
    assert quantities(browser) == ["2", "1"]
    assert [stock_of(p) for p in products] == [10, 5]
    db.session.expire_all()
    assert db.session.get(Checkout, checkout.id).status == "expired"
    my_orders = page_text(browser.get("/orders"))
    assert "Boulangerie Moreau" not in my_orders and "Expired" not in my_orders
    # A second visit of the same link adds nothing to the cart.
    again = browser.get(back.removeprefix(town.url))
    assert again.status_code == 303 and "/cart/" not in again.headers["Location"]
    assert quantities(browser) == ["2", "1"]
