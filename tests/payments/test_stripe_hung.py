"""Stripe is up but stuck (it accepts and never answers) while the town shops.

Camille's online checkout gets "payment service unavailable, nothing was charged" (503) within
the Stripe time budget, her reservation is given back at once, and nobody else waits for her:
while her checkout waits on Stripe, a visitor reads a shop page and Rose orders at another shop,
paying at the counter. When Stripe answers again, Camille pays, once.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from marketplace.extensions import db
from marketplace.orders.models import Checkout, Order
from tests.factories import make_product, make_shop, make_user
from tests.orders.helpers import set_hours, stock_of
from tests.payments.conftest import pay
from tests.payments.live_http import (
    HttpBrowser,
    StripeLine,
    alerts_of,
    assert_rows_unlocked,
    path_of,
)
from tests.payments.town import VISA, resident, statuses

UNAVAILABLE = (
    "error",
    "The payment service is unavailable right now. Nothing was charged and your cart is kept: "
    "please try again in a few minutes.",
)


@pytest.fixture
def stripe_line():
    """The line between the app and Stripe (the app's STRIPE_API_BASE), not hung yet."""
    with StripeLine() as line:
        yield line


@pytest.fixture
def town_settings(stripe_line):
    """The app calls Stripe through the line, with a budget of 6 s for a whole call."""
    return {"STRIPE_API_BASE": stripe_line.url, "STRIPE_TIME_BUDGET_SECONDS": 6}


@pytest.fixture
def line(town, stripe_line):
    """The line, relaying to the town's own Stripe emulator."""
    stripe_line.upstream = town.emulator.url
    return stripe_line


def camille_with_a_three_shop_cart(town):
    """Camille logged in over HTTP with bread, brie and honey from three shops in her cart."""
    made = [
        town.connected_shop("Boulangerie Moreau", {"Pain au levain": (450, 10)}),
        town.connected_shop("Fromagerie Oberkampf", {"Brie de Meaux": (1290, 5)}),
        town.connected_shop("Épicerie Lune", {"Miel de lavande": (990, 3)}),
    ]
    shops, products = [s for s, _ in made], [p for _, (p,) in made]
    camille = HttpBrowser(town.url).log_in(resident())
    camille.add_to_cart(dict(zip(products, (2, 1, 1), strict=True)))
    return camille, shops, products


def rose_at_the_florist(town):
    """Rose logged in over HTTP with tulips of a florist that takes payment at the counter."""
    florist = make_shop(name="Fleuriste Rose", category="fleuriste", pay_at_pickup=True)
    set_hours(florist)  # open every day, all day: a pickup time is always offered
    tulips = make_product(florist, "Tulipes", 1500, stock=5)
    rose = HttpBrowser(town.url).log_in(make_user("rose@example.org", name="Rose"))
    rose.add_to_cart({tulips: 1})
    return rose, florist, tulips


def pending_checkouts() -> int:
    """Checkouts still waiting for a payment, read from the database."""
    db.session.expire_all()
    return db.session.scalar(
        select(func.count()).select_from(Checkout).where(Checkout.status == "open")
    )


def test_a_hung_stripe_answers_camille_fast_and_holds_up_nobody(town, line):
    camille, camille_shops, products = camille_with_a_three_shop_cart(town)
    rose, florist, tulips = rose_at_the_florist(town)
    first_form = camille.checkout_form("online")
    line.hang()

    answers = {}
    waiting = threading.Thread(
        target=lambda: answers.setdefault("camille", camille.post("/checkout", first_form))
    )
    waiting.start()
    line.wait_for_hung(1)  # her checkout now waits on Stripe

    # Meanwhile: her reserved rows are free, a visitor and Rose are served as usual.
    assert_rows_unlocked(camille_shops, products)
    visitor = HttpBrowser(town.url).get(f"/shops/{camille_shops[1].slug}")
    assert visitor.status_code == 200 and "Fromagerie Oberkampf" in visitor.text
    placed = rose.post("/checkout", rose.checkout_form("at_pickup"))
    assert placed.status_code == 303 and path_of(placed).startswith("/orders"), alerts_of(placed)
    assert waiting.is_alive(), "Rose and the visitor should be served while Camille waits"
    waiting.join()

    refused = answers["camille"]  # within the browser's 10 s, or requests had raised
    assert refused.status_code == 503
    assert UNAVAILABLE in alerts_of(refused)
    assert int(refused.headers["Retry-After"]) > 0
    # One call, retried once, under one idempotency key: a late answer cannot make two sessions.
    assert [h.request_line for h in line.hung] == ["POST /v1/checkout/sessions HTTP/1.1"] * 2
    assert len({h.idempotency_key for h in line.hung}) == 1
    # Her reservation is given back at once: no checkout left pending, stock whole.
    assert pending_checkouts() == 0
    given_up = db.session.scalars(select(Checkout).where(Checkout.method == "online")).one()
    assert statuses(given_up) == ["expired"] * 3
    assert [stock_of(p) for p in products] == [10, 5, 3]
    rose_order = db.session.scalars(select(Order).where(Order.shop_id == florist.id)).one()
    assert rose_order.status == "confirmed" and stock_of(tulips) == 4

    line.restore()  # Stripe answers again
    resent = camille.post("/checkout", first_form)  # the browser resends the old form
    assert path_of(resent) == f"/checkout/{given_up.id}/return"  # nothing placed again
    sent = camille.post("/checkout", camille.checkout_form("online"))
    assert sent.status_code == 303, alerts_of(sent)
    checkout = db.session.scalars(select(Checkout).order_by(Checkout.id.desc())).first()
    assert pay(sent.headers["Location"], VISA).status_code == 303
    town.wait_for("checkout.session.completed", checkout.stripe_session_id)

    assert statuses(checkout) == ["confirmed"] * 3
    assert [(c.status, c.amount) for c in town.stripe.v1.charges.list().data] == [
        ("succeeded", 3180)
    ]
    assert len(town.stripe.v1.checkout.sessions.list().data) == 1  # the hung calls made none
    assert [stock_of(p) for p in products] == [8, 4, 2]
