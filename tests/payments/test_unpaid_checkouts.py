"""Camille does not pay in time: the reservation expires and the stock comes back exactly once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from marketplace.cart.services import MAX_QUANTITY, stored_items
from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.orders.models import Checkout
from tests.conftest import alerts, csrf_token, page_text, post_form
from tests.orders.helpers import stock_of
from tests.payments.conftest import pay
from tests.payments.town import (
    DECLINED,
    VISA,
    check_out,
    fill_cart,
    last_checkout,
    resident,
    statuses,
)

PAST_STRIPE_EXPIRY = 36 * 60  # seconds: the Stripe page lives as long as the reservation (35 min)


@pytest.fixture
def waiting(town):
    """Camille sent to Stripe for a cart from two shops; returns her browser, checkout, products."""
    _, (bread,) = town.connected_shop("Boulangerie Moreau", {"Pain au levain": (450, 10)})
    _, (brie,) = town.connected_shop(
        "Fromagerie Oberkampf", {"Brie de Meaux": (1290, 5)}, category="fromagerie"
    )
    browser = town.browser(resident())
    fill_cart(browser, {bread: 2, brie: 1})
    sent = check_out(browser)
    assert sent.status_code == 303
    checkout = last_checkout()
    assert [stock_of(bread), stock_of(brie)] == [8, 4]
    return browser, checkout, sent.headers["Location"], (bread, brie)


def our_reservation_runs_out(checkout) -> None:
    """Move our side of the reservation into the past, as if its 35 minutes had gone by."""
    db.session.execute(
        update(Checkout)
        .where(Checkout.id == checkout.id)
        .values(expires_at=utcnow() - timedelta(minutes=1))
    )
    db.session.commit()


def test_declined_then_never_paid_the_stock_comes_back_when_stripe_expires_it(town, waiting):
    browser, checkout, url, products = waiting
    assert "Your card was declined." in pay(url, DECLINED).text
    intent = town.stripe.v1.checkout.sessions.retrieve(checkout.stripe_session_id).payment_intent
    town.wait_for("payment_intent.payment_failed", intent)
    assert statuses(checkout) == ["pending_payment"] * 2

    town.emulator.advance_clock(PAST_STRIPE_EXPIRY)
    expired = town.wait_for("checkout.session.expired", checkout.stripe_session_id)

    assert "2 order(s) expired, stock returned" in expired.outcome
    assert statuses(checkout) == ["expired"] * 2
    assert [stock_of(p) for p in products] == [10, 5]
    page = page_text(browser.get(f"/checkout/{checkout.id}/return"))
    assert "This payment was not completed; nothing was charged." in page


def test_our_own_expiry_first_then_stripe_s_returns_the_stock_once(town, waiting):
    _, checkout, _, products = waiting
    our_reservation_runs_out(checkout)
    result = town.cli("orders", "expire")
    assert result.exit_code == 0 and "2 order(s) expired." in result.output
    assert [stock_of(p) for p in products] == [10, 5]

    town.emulator.advance_clock(PAST_STRIPE_EXPIRY)
    expired = town.wait_for("checkout.session.expired", checkout.stripe_session_id)

    assert "ignored" in expired.outcome
    assert statuses(checkout) == ["expired"] * 2
    assert [stock_of(p) for p in products] == [10, 5]  # not 12 and 6


def test_a_payment_arriving_after_our_expiry_is_refunded_in_full(town, waiting):
    browser, checkout, url, products = waiting
    our_reservation_runs_out(checkout)
    assert town.cli("orders", "expire").exit_code == 0

    paid = pay(url, VISA)  # the Stripe page was still open in her tab
    town.wait_for("checkout.session.completed", checkout.stripe_session_id)

    assert statuses(checkout) == ["expired"] * 2  # the units went back to the shelves
    assert [stock_of(p) for p in products] == [10, 5]
    checkout = db.session.get(Checkout, checkout.id)
    charge = town.stripe.v1.charges.retrieve(checkout.stripe_charge_id)
    assert charge.amount_refunded == charge.amount == checkout.total_cents == 2190
    assert [o.refunded_cents for o in checkout.orders] == [o.total_cents for o in checkout.orders]
    page = page_text(browser.get(paid.headers["Location"].removeprefix(town.url)))
    assert "Your orders are confirmed" not in page
    assert "arrived after your reservation expired: your orders were not placed" in page


def test_giving_up_the_payment_puts_everything_back(town, waiting):
    browser, checkout, url, products = waiting
    back = post_form(
        browser, f"/checkout/{checkout.id}/abandon", token_from=f"/checkout/{checkout.id}/return"
    )
    assert back.status_code == 303 and back.headers["Location"] == "/cart/"
    cart = browser.get("/cart/")
    assert ("info", "The payment is cancelled; your products are back in your cart.") in alerts(
        cart
    )
    assert "Pain au levain" in page_text(cart) and "Brie de Meaux" in page_text(cart)
    assert statuses(checkout) == ["expired"] * 2
    assert [stock_of(p) for p in products] == [10, 5]
    session = town.stripe.v1.checkout.sessions.retrieve(checkout.stripe_session_id)
    assert session.status == "expired"
    assert pay(url, VISA).status_code == 410  # the old Stripe page can no longer take money

    town.wait_for("checkout.session.expired", checkout.stripe_session_id)
    assert [stock_of(p) for p in products] == [10, 5]


CANCELLED = "The payment is cancelled; your products are back in your cart."
ALREADY_PAID = "This order is already paid: the payment cannot be cancelled."
ALREADY_CANCELLED = "This payment is already cancelled; nothing was charged."


def give_up(browser, checkout):
    """Press "Cancel the payment and go back to my cart"; return the page it leads to."""
    page = f"/checkout/{checkout.id}/return"
    sent = post_form(browser, f"/checkout/{checkout.id}/abandon", token_from=page)
    assert sent.status_code == 303
    return browser.get(sent.headers["Location"])


def test_cancelling_twice_puts_the_products_back_once(town, waiting):
    browser, checkout, _, (bread, brie) = waiting

    first, second = give_up(browser, checkout), give_up(browser, checkout)

    assert stored_items(checkout.customer_id) == {bread.id: 2, brie.id: 1}  # not 4 and 2
    assert ("info", CANCELLED) in alerts(first)
    assert ("error", ALREADY_CANCELLED) in alerts(second)
    assert [stock_of(p) for p in (bread, brie)] == [10, 5]
    town.wait_for("checkout.session.expired", checkout.stripe_session_id)
    assert [stock_of(p) for p in (bread, brie)] == [10, 5]


def test_cancelling_a_paid_checkout_says_so_and_puts_nothing_back(town, waiting):
    browser, checkout, url, products = waiting
    assert pay(url, VISA).status_code == 303
    town.wait_for("checkout.session.completed", checkout.stripe_session_id)

    for _click in range(2):
        page = give_up(browser, checkout)
        assert stored_items(checkout.customer_id) == {}
        assert ("error", ALREADY_PAID) in alerts(page)

    assert statuses(checkout) == ["confirmed"] * 2
    assert [stock_of(p) for p in products] == [8, 4]


def test_cancelling_once_paid_at_stripe_but_not_yet_heard_of_says_it_is_paid(
    town, waiting, elsewhere
):
    browser, checkout, url, products = waiting
    # The return page, opened before paying in another tab: opened now, it would read the
    # payment from Stripe (tests/payments/test_return_settles.py); its cancel button is pressed.
    token = csrf_token(browser, f"/checkout/{checkout.id}/return")
    town.webhooks_to(elsewhere.url)  # the payment's webhooks have not reached Vitrine yet
    assert pay(url, VISA).status_code == 303
    elsewhere.wait_for("checkout.session.completed", checkout.stripe_session_id)

    sent = browser.post(f"/checkout/{checkout.id}/abandon", data={"csrf_token": token})
    assert sent.status_code == 303
    page = browser.get(sent.headers["Location"])

    assert stored_items(checkout.customer_id) == {}
    assert ("error", ALREADY_PAID) in alerts(page)
    # Not given up: the return page it is sent back to read the payment from Stripe.
    assert statuses(checkout) == ["confirmed"] * 2
    assert [stock_of(p) for p in products] == [8, 4]


def test_the_products_put_back_never_pass_the_largest_quantity(town):
    _, (croissant,) = town.connected_shop("Boulangerie Moreau", {"Croissant": (110, None)})
    browser = town.browser(resident())
    fill_cart(browser, {croissant: 2})
    assert check_out(browser).status_code == 303
    checkout = last_checkout()
    fill_cart(browser, {croissant: MAX_QUANTITY - 1})  # filled up again meanwhile

    page = give_up(browser, checkout)

    assert stored_items(checkout.customer_id) == {croissant.id: MAX_QUANTITY}
    assert ("info", CANCELLED) in alerts(page)
