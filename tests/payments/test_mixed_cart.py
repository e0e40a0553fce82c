"""Camille's cart mixes a bakery paid online and a florist paid at the counter: one checkout page.

The bakery's Stripe account is onboarded, Léa's flower shop has none: the bakery's part goes
through one Stripe payment, the flowers are confirmed at once, and they stand whatever the
payment does (paid, given up, expired).
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from marketplace.cart.services import stored_items
from marketplace.extensions import db
from marketplace.orders.models import Checkout, Order
from payments.models import TRANSFER, LedgerEntry
from tests.conftest import alerts, page_text, post_form
from tests.factories import make_product, make_shop
from tests.orders.helpers import form_as_shown, stock_of
from tests.payments.conftest import pay
from tests.payments.live_http import HttpBrowser, path_of
from tests.payments.test_double_submit import click_together
from tests.payments.town import VISA, fill_cart, hand_over, resident, statuses, subjects_to

PAST_STRIPE_EXPIRY = 36 * 60  # seconds: the Stripe page lives as long as the reservation
STANDS = "Only the orders paid online are cancelled: your orders to pay at the counter stand."


@pytest.fixture
def mixed(town):
    """Camille's browser with 2 breads (4,50 €, online) and tulips (18,00 €, at the counter)."""
    _, (bread,) = town.connected_shop("Boulangerie Moreau", {"Pain au levain": (450, 10)})
    florist = make_shop(
        name="Fleurs de Léa", category="fleuriste", slot_capacity=50, prep_minutes=0
    )
    tulips = make_product(florist, "Bouquet de tulipes", 1800, stock=4)
    db.session.commit()
    camille = resident()
    browser = town.browser(camille)
    fill_cart(browser, {bread: 2, tulips: 1})
    return browser, camille, (bread, tulips)


def place_as_shown(town, browser):
    """Place the order with what the checkout page shows; return (online checkout, Stripe URL)."""
    form = form_as_shown(browser.get("/checkout").get_data(as_text=True))
    sent = browser.post("/checkout", data=form)
    assert sent.status_code == 303, alerts(sent)
    assert sent.headers["Location"].startswith(f"{town.emulator.url}/c/pay/")
    db.session.expire_all()
    online = db.session.scalars(select(Checkout).where(Checkout.method == "online")).one()
    return online, sent.headers["Location"]


def test_the_page_says_how_each_shop_is_paid_and_never_refuses_the_cart(town, mixed):
    browser, _, _ = mixed
    page = page_text(browser.get("/checkout"))

    assert "Not available" not in page
    bakery = page[page.index("Boulangerie Moreau — €9.00") : page.index("Fleurs de Léa — €18.00")]
    assert "How to pay Boulangerie Moreau" in bakery  # it takes both: the resident chooses
    assert re.search(r'value="online" checked>\s*<label[^>]*>Pay online now by card', bakery)
    florist = page[page.index("Fleurs de Léa — €18.00") :]
    assert "Paid at the counter when collecting" in florist
    assert "(this shop does not take card payment online)" in florist
    assert "they stand even if you do not finish the card payment" in page


def test_one_confirmation_pays_the_bakery_online_and_confirms_the_flowers_at_once(town, mixed):
    browser, camille, (bread, tulips) = mixed
    online, url = place_as_shown(town, browser)

    counter = online.counter_part
    assert (online.total_cents, counter.total_cents) == (900, 1800)
    assert [o.shop.name for o in online.orders] == ["Boulangerie Moreau"]
    assert statuses(online) == ["pending_payment"] and statuses(counter) == ["confirmed"]
    assert (stock_of(bread), stock_of(tulips)) == (8, 3)
    session = town.stripe.v1.checkout.sessions.retrieve(online.stripe_session_id)
    assert session.amount_total == 900  # the flowers are not charged by card
    assert subjects_to(town.app, camille.email) == ["Your order at Fleurs de Léa is confirmed"]
    assert stored_items(camille.id) == {}

    paid = pay(url, VISA)
    town.wait_for("checkout.session.completed", online.stripe_session_id)
    assert statuses(online) == ["confirmed"] and statuses(counter) == ["confirmed"]
    back = page_text(browser.get(paid.headers["Location"].removeprefix(town.url)))
    assert "Payment received: €9.00." in back
    assert re.search(r"Boulangerie Moreau</a> — €9.00 .*Confirmed.* — paid online by card", back)
    assert re.search(r"Fleurs de Léa</a> — €18.00 .*Confirmed.* — to pay at the counter", back)

    # The ledger: the bakery is sent its share of the card payment, the florist nothing.
    bakery_order, florist_order = online.orders[0], counter.orders[0]
    for order in (bakery_order, florist_order):
        hand_over(town, order)
    entries = db.session.scalars(select(LedgerEntry).order_by(LedgerEntry.id)).all()
    charge = town.stripe.v1.charges.retrieve(db.session.get(Checkout, online.id).stripe_charge_id)
    fee = town.stripe.v1.balance_transactions.retrieve(charge.balance_transaction).fee
    assert (charge.amount, fee) == (900, 39)  # 1.5 % of 9,00 € + 0,25 €: on the online part only
    assert [(e.order_id, e.kind, e.amount_cents, e.status) for e in entries] == [
        (bakery_order.id, TRANSFER, 900 - 39, "succeeded")
    ]


def test_when_the_online_payment_expires_the_counter_orders_stand(town, mixed):
    browser, _, (bread, tulips) = mixed
    online, _ = place_as_shown(town, browser)

    town.emulator.advance_clock(PAST_STRIPE_EXPIRY)
    expired = town.wait_for("checkout.session.expired", online.stripe_session_id)

    assert "1 order(s) expired, stock returned" in expired.outcome
    assert statuses(online) == ["expired"] and statuses(online.counter_part) == ["confirmed"]
    assert (stock_of(bread), stock_of(tulips)) == (10, 3)  # the bread back, the tulips kept
    assert STANDS in page_text(browser.get(f"/checkout/{online.id}/return"))
    listed = page_text(browser.get("/orders"))
    assert "Fleurs de Léa" in listed and "To pay at the counter." in listed


def test_giving_up_the_payment_puts_back_the_bread_only(town, mixed):
    browser, camille, (bread, tulips) = mixed
    online, _ = place_as_shown(town, browser)

    back = post_form(
        browser, f"/checkout/{online.id}/abandon", token_from=f"/checkout/{online.id}/return"
    )
    cart = browser.get(back.headers["Location"])

    assert stored_items(camille.id) == {bread.id: 2}
    assert ("info", "The payment is cancelled; your products are back in your cart.") in alerts(
        cart
    )
    assert (
        "info",
        "Your orders to pay at the counter are confirmed (Fleurs de Léa): see My orders.",
    ) in alerts(cart)
    assert statuses(online) == ["expired"] and statuses(online.counter_part) == ["confirmed"]
    assert (stock_of(bread), stock_of(tulips)) == (10, 3)
    assert "Fleurs de Léa" in page_text(browser.get("/orders"))


def test_a_double_submission_of_a_mixed_cart_places_it_once(town, mixed):
    _, camille, (bread, tulips) = mixed
    http = HttpBrowser(town.url).log_in(camille)
    form = form_as_shown(http.get("/checkout").text)

    answers = click_together([http.tab() for _ in range(3)], form)

    assert [a.status_code for a in answers] == [303] * 3
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Checkout)) == 2
    assert db.session.scalar(select(func.count()).select_from(Order)) == 2
    assert (stock_of(bread), stock_of(tulips)) == (8, 3)
    online = db.session.scalars(select(Checkout).where(Checkout.method == "online")).one()
    assert {path_of(a) for a in answers if not a.headers["Location"].startswith("http")} <= {
        f"/checkout/{online.id}/pay"
    }
    assert len(town.stripe.v1.checkout.sessions.list().data) == 1
    assert subjects_to(town.app, camille.email) == ["Your order at Fleurs de Léa is confirmed"]


@pytest.mark.parametrize("town_settings", [{"STRIPE_TIMEOUT_SECONDS": 0.5}], ids=["timeout-0.5s"])
def test_with_stripe_down_the_flowers_stand_and_the_bread_stays_in_the_cart(town, mixed):
    browser, camille, (bread, tulips) = mixed
    form = form_as_shown(browser.get("/checkout").get_data(as_text=True))
    town.emulator.stop()  # connections refused

    refused = browser.post("/checkout", data=form)

    assert refused.status_code == 503
    assert (
        "success",
        "Your orders to pay at the counter are confirmed (Fleurs de Léa): see My orders.",
    ) in alerts(refused)
    assert any("The payment service is unavailable right now." in t for _, t in alerts(refused))
    db.session.expire_all()
    online = db.session.scalars(select(Checkout).where(Checkout.method == "online")).one()
    assert (online.status, online.stripe_session_id) == ("expired", None)
    assert statuses(online) == ["expired"] and statuses(online.counter_part) == ["confirmed"]
    assert (stock_of(bread), stock_of(tulips)) == (10, 3)
    assert stored_items(camille.id) == {bread.id: 2}  # what is left to pay, for a retry
    assert "Fleurs de Léa" not in page_text(refused).split("Pickup and payment", 2)[-1]
