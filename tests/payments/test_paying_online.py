"""Camille pays a cart from three shops online: by card, after a decline, with 3-D Secure."""

from __future__ import annotations

import pytest
import requests

from marketplace.extensions import db
from marketplace.orders.models import Checkout
from tests.conftest import page_text
from tests.orders.helpers import stock_of
from tests.payments.conftest import pay
from tests.payments.town import (
    DECLINED,
    THREE_D_SECURE,
    VISA,
    check_out,
    last_checkout,
    resident,
    statuses,
    subjects_to,
    three_shop_cart,
)


@pytest.fixture
def cart(town):
    """Camille's browser, with bread, cheese and honey from three connected shops in the cart."""
    return three_shop_cart(town)


def send_to_stripe(town, browser) -> tuple[Checkout, str]:
    """Place the order online: the browser is sent to Stripe's page for the whole cart."""
    response = check_out(browser)
    assert response.status_code == 303, page_text(response)[:2000]
    url = response.headers["Location"]
    assert url.startswith(f"{town.emulator.url}/c/pay/")
    return last_checkout(), url


def back_from_stripe(town, browser, response) -> str:
    """Follow Stripe's redirect to our return page and return its text."""
    assert response.status_code == 303
    location = response.headers["Location"]
    assert location.startswith(town.url)
    return page_text(browser.get(location.removeprefix(town.url)))


def test_a_three_shop_cart_paid_by_card_confirms_the_three_orders(town, cart):
    browser, products = cart
    checkout, url = send_to_stripe(town, browser)
    assert statuses(checkout) == ["pending_payment"] * 3
    session = town.stripe.v1.checkout.sessions.retrieve(checkout.stripe_session_id)
    assert session.amount_total == checkout.total_cents == 2 * 450 + 1290 + 990
    assert session.metadata["checkout_id"] == str(checkout.id)
    assert session.customer_email == "camille@example.org"
    assert [stock_of(p) for p in products] == [8, 4, 2]  # reserved while she pays

    paid = pay(url, VISA)
    town.wait_for("checkout.session.completed", checkout.stripe_session_id)

    assert statuses(checkout) == ["confirmed"] * 3
    checkout = db.session.get(Checkout, checkout.id)
    assert checkout.paid_at is not None and checkout.status == "completed"
    assert checkout.stripe_charge_id and checkout.stripe_payment_intent_id
    assert subjects_to(town.app, "camille@example.org") == [
        "Your order at Boulangerie Moreau is confirmed",
        "Your order at Fromagerie Oberkampf is confirmed",
        "Your order at Épicerie Lune is confirmed",
    ]
    returned = back_from_stripe(town, browser, paid)
    assert "Payment received: €31.80. Thank you! Your orders are confirmed." in returned
    assert returned.count("Confirmed") == 3
    assert "Your cart is empty." in page_text(browser.get("/cart/"))


def test_the_return_page_believes_our_database_not_the_address(town, cart):
    browser, _ = cart
    checkout, _ = send_to_stripe(town, browser)
    forged = browser.get(
        f"/checkout/{checkout.id}/return?session_id={checkout.stripe_session_id}&paid=1"
    )
    assert "We have not received the payment yet." in page_text(forged)
    assert "Payment received" not in page_text(forged)
    stranger = town.browser(resident("other@example.org"))
    assert stranger.get(f"/checkout/{checkout.id}/return").status_code == 404


def test_a_declined_card_leaves_the_orders_unpaid_and_another_card_can_pay(town, cart):
    browser, products = cart
    checkout, url = send_to_stripe(town, browser)

    declined = pay(url, DECLINED)
    assert "Your card was declined." in declined.text
    intent = town.stripe.v1.checkout.sessions.retrieve(checkout.stripe_session_id).payment_intent
    failure = town.wait_for("payment_intent.payment_failed", intent)
    assert "declined" in failure.outcome
    assert statuses(checkout) == ["pending_payment"] * 3
    assert db.session.get(Checkout, checkout.id).paid_at is None
    assert [stock_of(p) for p in products] == [8, 4, 2]  # still held for her
    page = page_text(browser.get(f"/checkout/{checkout.id}/return"))
    assert "We have not received the payment yet." in page

    paid = pay(url, VISA)  # the same Stripe page, another card
    town.wait_for("checkout.session.completed", checkout.stripe_session_id)
    assert statuses(checkout) == ["confirmed"] * 3
    assert "Payment received: €31.80." in back_from_stripe(town, browser, paid)
    charges = town.stripe.v1.charges.list().data  # this town's emulator saw only her payment
    assert sorted((c.status, c.payment_intent) for c in charges) == [
        ("failed", intent),
        ("succeeded", intent),
    ]


def test_three_d_secure_completed_pays_the_cart(town, cart):
    browser, _ = cart
    checkout, url = send_to_stripe(town, browser)
    challenge = pay(url, THREE_D_SECURE)
    assert challenge.status_code == 303 and challenge.headers["Location"].endswith("/authenticate")
    assert statuses(checkout) == ["pending_payment"] * 3

    done = requests.post(
        challenge.headers["Location"],
        data={"outcome": "complete"},
        allow_redirects=False,
        timeout=10,
    )
    town.wait_for("checkout.session.completed", checkout.stripe_session_id)
    assert statuses(checkout) == ["confirmed"] * 3
    assert "Payment received" in back_from_stripe(town, browser, done)


def test_three_d_secure_failed_leaves_the_cart_unpaid(town, cart):
    browser, products = cart
    checkout, url = send_to_stripe(town, browser)
    challenge = pay(url, THREE_D_SECURE)
    failed = requests.post(challenge.headers["Location"], data={"outcome": "fail"}, timeout=10)
    assert "unable to authenticate" in failed.text

    intent = town.stripe.v1.checkout.sessions.retrieve(checkout.stripe_session_id).payment_intent
    town.wait_for("payment_intent.payment_failed", intent)
    assert statuses(checkout) == ["pending_payment"] * 3
    assert db.session.get(Checkout, checkout.id).paid_at is None
    assert [stock_of(p) for p in products] == [8, 4, 2]
    assert "We have not received the payment yet." in page_text(
        browser.get(f"/checkout/{checkout.id}/return")
    )
