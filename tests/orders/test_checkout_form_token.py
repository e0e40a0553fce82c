"""The checkout form carries a one-time token: one checkout per form, whatever is sent again.

The simultaneous clicks, over real HTTP and online too, are in tests/payments/test_double_submit.py;
here the same form comes back later (a resend, the back button), without its token, or with a
token that placed someone else's checkout.
"""

from __future__ import annotations

import pytest

from tests.conftest import alerts, csrf_token, page_text
from tests.factories import login, make_product, make_shop, make_user
from tests.orders.helpers import checkout_form, in_english, slot_keys, stock_of, written

EXPIRED_FORM = (
    "error",
    "This order form has expired: check your choices and place the order again.",
)


@pytest.fixture
def alice(app, client):
    """Alice, logged in, with 2 baguettes in her cart; returns (client, shop, bread)."""
    shop = make_shop(name="Boulangerie A", pay_at_pickup=True)
    bread = make_product(shop, "Baguette", 130, stock=10)
    in_english(client)
    login(client, make_user("alice@example.org"))
    fill(client, bread)
    return client, shop, bread


def fill(client, bread) -> None:
    token = csrf_token(client, "/cart/")
    client.post("/cart/add", data={"csrf_token": token, "product_id": bread.id, "quantity": 2})


def order_form(client) -> dict:
    """The checkout form as the page gives it, paying at the counter."""
    slots = slot_keys(client.get("/checkout").get_data(as_text=True))
    return {**checkout_form(client), "method": "at_pickup", **slots}


def test_the_same_form_sent_again_shows_the_order_it_placed(alice):
    client, _, bread = alice
    form = order_form(client)
    placed = client.post("/checkout", data=form)
    assert placed.status_code == 303
    after_first = written()

    again = client.post("/checkout", data=form)  # the cart is empty now: still the same answer

    assert again.status_code == 303
    assert again.headers["Location"] == placed.headers["Location"]
    assert written() == after_first
    assert stock_of(bread) == 8


def test_each_checkout_page_gives_a_new_token(alice):
    client, _, _ = alice
    assert checkout_form(client)["checkout_token"] != checkout_form(client)["checkout_token"]


@pytest.mark.parametrize("token", [None, "", "short", "x" * 65, "<script>alert(1)</script>" * 2])
def test_a_form_without_a_valid_token_places_nothing_and_offers_a_fresh_one(alice, token):
    client, _, bread = alice
    form = order_form(client)
    if token is None:
        del form["checkout_token"]
    else:
        form["checkout_token"] = token
    before = written()

    refused = client.post("/checkout", data=form)

    assert refused.status_code == 400
    assert EXPIRED_FORM in alerts(refused)
    assert written() == before
    assert stock_of(bread) == 10
    assert 'name="checkout_token" value="' in page_text(refused)  # try again from this page
    assert "Baguette" in page_text(refused)


def test_a_token_that_placed_someone_else_s_checkout_places_nothing_and_shows_nothing(app, alice):
    client, _, bread = alice
    alice_form = order_form(client)
    assert client.post("/checkout", data=alice_form).status_code == 303
    bruno = in_english(app.test_client())
    login(bruno, make_user("bruno@example.org", name="Bruno"))
    fill(bruno, bread)
    before = written()

    refused = bruno.post(
        "/checkout", data={**order_form(bruno), "checkout_token": alice_form["checkout_token"]}
    )

    assert refused.status_code == 409
    assert ("error", "This order could not be placed: please try again.") in alerts(refused)
    assert written() == before
    assert stock_of(bread) == 8  # Alice's two only
