"""A cart from a shop paid online and a shop paid at the counter: the service splits it in two.

The checkout the resident pays online holds the online shops' orders and points at its counter
part, confirmed at once; totals, stock and expiry follow each part on its own.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.orders import operations
from marketplace.orders.checkout import CheckoutError, CheckoutRequest, place_checkout
from marketplace.orders.models import AT_PICKUP, CHECKOUT_COMPLETED, CHECKOUT_OPEN, ONLINE
from marketplace.orders.payment_choice import MethodRefused, pick_method
from marketplace.orders.slots import pickup_slots_for
from marketplace.orders.status import CONFIRMED, EXPIRED, PENDING_PAYMENT
from tests.conftest import alerts, csrf_token, page_text
from tests.factories import login, make_product, make_shop, make_user
from tests.orders.helpers import TZ, form_as_shown, in_english, set_hours, stock_of, written

TOKEN = "mixed-cart-form-token-0001"


@pytest.fixture
def town(app):
    """A bakery paid online only (7,50 € bread), a florist at the counter only (18,00 € tulips),
    a cheese shop taking both (12,90 € brie), each with 5 units; and a resident."""
    shops, products = {}, {}
    for key, name, price, online, counter in (
        ("bakery", "Boulangerie Moreau", 750, True, False),
        ("florist", "Fleurs de Léa", 1800, False, True),
        ("cheese", "Fromagerie Oberkampf", 1290, True, True),
    ):
        shop = make_shop(name=name, prep_minutes=0, slot_capacity=50, pay_at_pickup=counter)
        shop.payouts_enabled = online
        set_hours(shop)
        shops[key], products[key] = shop, make_product(shop, f"Produit {key}", price, stock=5)
    return shops, products, make_user("camille@example.org")


def place(town, keys, methods=None, preference="", online_available=True):
    """Check out 2 units of each product in `keys`, first pickup time at each shop; commit."""
    shops, products, camille = town
    now = utcnow()
    wish = CheckoutRequest(
        {products[k].id: 2 for k in keys},
        {shops[k].id: pickup_slots_for(shops[k], now, TZ)[0].starts_at for k in keys},
        preference,
        TOKEN,
        methods={shops[k].id: m for k, m in (methods or {}).items()},
    )
    placed = place_checkout(camille.id, wish, now, TZ, online_available=online_available)
    db.session.commit()
    return placed


def test_a_mixed_cart_gives_an_online_checkout_and_its_counter_part(town):
    _, products, _ = town
    online = place(town, ["bakery", "florist"])

    counter = online.counter_part
    assert (online.method, online.status, online.total_cents) == (ONLINE, CHECKOUT_OPEN, 1500)
    assert (counter.method, counter.status, counter.total_cents) == (
        AT_PICKUP,
        CHECKOUT_COMPLETED,
        3600,
    )
    assert [(o.shop.name, o.status, o.total_cents) for o in online.orders] == [
        ("Boulangerie Moreau", PENDING_PAYMENT, 1500)
    ]
    assert [(o.shop.name, o.status, o.total_cents) for o in counter.orders] == [
        ("Fleurs de Léa", CONFIRMED, 3600)
    ]
    # The form token is the online part's: a second submission resumes its payment.
    assert (online.form_token, counter.form_token) == (TOKEN, None)
    assert counter.online_part is online and online.counter_orders == counter.orders
    assert [stock_of(products[k]) for k in ("bakery", "florist")] == [3, 3]


def test_a_shop_taking_both_is_paid_online_by_default(town):
    online = place(town, ["cheese"])
    assert (online.method, online.counter_part) == (ONLINE, None)


def test_the_resident_may_pay_a_shop_taking_both_at_the_counter(town):
    online = place(town, ["cheese", "bakery"], {"cheese": AT_PICKUP})

    assert [o.shop.name for o in online.orders] == ["Boulangerie Moreau"]
    assert [o.shop.name for o in online.counter_part.orders] == ["Fromagerie Oberkampf"]
    assert (online.total_cents, online.counter_part.total_cents) == (1500, 2580)


def test_a_cart_paid_one_way_gives_one_checkout(town):
    counter = place(town, ["florist", "cheese"], preference=AT_PICKUP)

    assert counter.method == AT_PICKUP and counter.counter_part is None
    assert [o.status for o in counter.orders] == [CONFIRMED, CONFIRMED]
    assert counter.total_cents == 3600 + 2580


def test_without_online_payment_every_part_is_paid_at_the_counter(town):
    counter = place(town, ["florist", "cheese"], online_available=False)
    assert (counter.method, counter.counter_part) == (AT_PICKUP, None)


@pytest.mark.parametrize(
    ("keys", "methods", "online_available", "code"),
    [
        (["florist"], {"florist": ONLINE}, True, "no_online_payment"),
        (["bakery"], {"bakery": AT_PICKUP}, True, "no_pay_at_pickup"),
        (["bakery"], {}, False, "no_payment_method"),
        (["cheese"], {"cheese": "bitcoin"}, True, "bad_method"),
    ],
    ids=["florist-online", "bakery-counter", "bakery-without-stripe", "unknown-way"],
)
def test_a_part_that_cannot_be_paid_as_asked_is_refused_and_nothing_is_written(
    town, keys, methods, online_available, code
):
    _, products, _ = town
    before = written()
    with pytest.raises(CheckoutError) as refused:
        place(town, keys, methods, online_available=online_available)
    db.session.rollback()

    assert refused.value.code == code
    assert written() == before
    assert stock_of(products[keys[0]]) == 5


def test_when_the_online_part_expires_the_counter_part_stands(town):
    _, products, _ = town
    online = place(town, ["bakery", "florist"])

    expired = operations.expire_overdue(utcnow() + timedelta(minutes=40))
    db.session.commit()

    assert [o.shop.name for o in expired] == ["Boulangerie Moreau"]
    assert [o.status for o in online.orders] == [EXPIRED]
    assert [o.status for o in online.counter_part.orders] == [CONFIRMED]
    assert online.counter_part.status == CHECKOUT_COMPLETED
    assert [stock_of(products[k]) for k in ("bakery", "florist")] == [5, 3]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (ONLINE, "Fleurs de Léa cannot take online payment any more: check how each shop is paid."),
        ("bitcoin", "Choose how to pay."),
    ],
)
def test_a_forged_way_to_pay_a_shop_re_shows_the_page_and_writes_nothing(
    town, client, value, message
):
    shops, products, camille = town
    in_english(client)
    login(client, camille)
    token = csrf_token(client, "/cart/")
    client.post("/cart/add", data={"csrf_token": token, "product_id": products["florist"].id})
    form = form_as_shown(client.get("/checkout").get_data(as_text=True))
    assert form[f"pay-{shops['florist'].id}"] == AT_PICKUP  # Stripe is not configured here
    before = written()

    response = client.post("/checkout", data={**form, f"pay-{shops['florist'].id}": value})

    assert response.status_code == 400
    assert ("error", message) in alerts(response)
    assert "Paid at the counter when collecting" in page_text(response)
    assert written() == before


@pytest.mark.parametrize(
    ("accepted", "chosen", "preference", "method"),
    [
        ((ONLINE, AT_PICKUP), "", "", ONLINE),  # online by default when the shop can take it
        ((ONLINE, AT_PICKUP), AT_PICKUP, "", AT_PICKUP),
        ((ONLINE, AT_PICKUP), "", AT_PICKUP, AT_PICKUP),
        ((AT_PICKUP,), "", ONLINE, AT_PICKUP),  # a cart-wide wish bends to what the shop takes
        ((ONLINE,), "", AT_PICKUP, ONLINE),
    ],
)
def test_how_a_shop_s_part_is_paid(accepted, chosen, preference, method):
    assert pick_method(accepted, chosen, preference) == method


def test_a_choice_the_shop_does_not_take_is_refused():
    with pytest.raises(MethodRefused) as refused:
        pick_method((AT_PICKUP,), ONLINE)
    assert refused.value.code == "no_online_payment"
