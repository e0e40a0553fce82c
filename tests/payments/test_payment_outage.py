"""Stripe cannot be reached when Camille checks out: nothing is charged, nothing is lost."""

from __future__ import annotations

import pytest

from marketplace.extensions import db
from marketplace.orders.models import Checkout
from tests.conftest import alerts, page_text
from tests.orders.helpers import stock_of, written
from tests.payments.conftest import pay
from tests.payments.town import VISA, check_out, last_checkout, statuses, three_shop_cart

UNAVAILABLE = (
    "error",
    "The payment service is unavailable right now. Nothing was charged and your cart is kept: "
    "please try again in a few minutes.",
)


@pytest.mark.parametrize("town_settings", [{"STRIPE_TIMEOUT_SECONDS": 0.5}], ids=["timeout-0.5s"])
@pytest.mark.parametrize("outage", ["frozen", "down"])
def test_stripe_unreachable_at_checkout_charges_nothing_and_a_retry_pays_once(town, outage):
    browser, products = three_shop_cart(town)
    before = written()

    if outage == "frozen":
        town.emulator.pause()  # accepts connections, never answers: the client times out
    else:
        town.emulator.stop()  # connections refused
    refused = check_out(browser)

    assert refused.status_code == 503
    assert UNAVAILABLE in alerts(refused)
    # The reservation was committed before Stripe was called, then given back at once.
    given_up = last_checkout()
    assert (given_up.status, given_up.stripe_session_id) == ("expired", None)
    assert statuses(given_up) == ["expired"] * 3
    assert written()["orders"] == before["orders"] + 3
    assert [stock_of(p) for p in products] == [10, 5, 3]
    cart = page_text(browser.get("/cart/"))
    assert all(name in cart for name in ("Pain au levain", "Brie de Meaux", "Miel de lavande"))

    if outage == "frozen":
        # It now handles the requests it had queued: a session no resident ever saw is made.
        town.emulator.resume()
    else:
        town.restart_emulator()
    sent = check_out(browser)
    assert sent.status_code == 303, alerts(sent)
    checkout = last_checkout()
    assert pay(sent.headers["Location"], VISA).status_code == 303
    town.wait_for("checkout.session.completed", checkout.stripe_session_id)

    assert statuses(checkout) == ["confirmed"] * 3
    assert db.session.get(Checkout, checkout.id).paid_at is not None
    charges = town.stripe.v1.charges.list().data
    assert [(c.status, c.amount) for c in charges] == [("succeeded", 3180)]
    assert [s.payment_status for s in town.stripe.v1.checkout.sessions.list().data].count(
        "paid"
    ) == 1
