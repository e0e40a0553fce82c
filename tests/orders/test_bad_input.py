"""Someone else's order, a made-up id, a forged pickup time: a clear refusal and nothing written."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from marketplace.cart.services import stored_items
from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.orders.models import Order
from shops.models import SUSPENDED
from shops.status import transition_shop
from tests.conftest import alerts, csrf_token
from tests.factories import login, make_product, make_shop, make_user
from tests.orders.helpers import (
    PARIS,
    checkout_form,
    in_english,
    make_order,
    paris,
    slot_keys,
    stock_of,
    written,
)

MISSING = 999_999


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/orders/{}"), ("post", "/orders/{}/cancel"), ("post", "/orders/{}/reorder")],
)
@pytest.mark.parametrize("whose", ["another resident's", "no one's"])
def test_an_order_that_is_not_mine_is_not_found(app, client, method, path, whose):
    order = make_order("confirmed", quantity=2, stock=5)
    bruno = make_user("bruno@example.org", name="Bruno")
    login(client, bruno)
    before = written()

    url = path.format(order.id if whose == "another resident's" else MISSING)
    response = getattr(client, method)(url, data={"csrf_token": csrf_token(client, "/cart/")})

    assert response.status_code == 404
    assert written() == before
    assert db.session.scalar(select(Order.status).where(Order.id == order.id)) == "confirmed"
    assert stored_items(bruno.id) == {}  # nothing of Alice's order went into Bruno's cart
    assert stock_of(order.lines[0].product) == 3


def test_a_non_numeric_order_id_is_not_found(app, client):
    login(client, make_user())
    assert client.get("/orders/abc").status_code == 404
    assert client.get("/orders/-1").status_code == 404


@pytest.mark.parametrize(
    ("method", "action"),
    [("get", ""), ("post", "/ready"), ("post", "/collect"), ("post", "/cancel")],
)
def test_another_shop_s_order_is_not_found_on_my_board(app, client, method, action):
    order = make_order("ready")  # at Fromagerie B
    mine = make_shop(name="Boulangerie A")
    login(client, mine.owner)
    token = csrf_token(client, "/cart/")
    form = {"csrf_token": token, "code": order.pickup_code, "reason": "Pas à nous"}
    before = written()

    under_my_shop = f"/merchant/shops/{mine.slug}/orders/{order.id}{action}"
    under_theirs = f"/merchant/shops/{order.shop.slug}/orders/{order.id}{action}"
    assert getattr(client, method)(under_my_shop, data=form).status_code == 404
    assert getattr(client, method)(under_theirs, data=form).status_code == 404
    assert written() == before
    assert db.session.scalar(select(Order.status).where(Order.id == order.id)) == "ready"


def test_the_board_is_for_shopkeepers(app, client):
    order = make_order("confirmed")
    board = f"/merchant/shops/{order.shop.slug}/orders/"
    assert client.get(board).status_code == 302  # a visitor is sent to log in
    login(client, order.customer)
    assert client.get(board).status_code == 403


@pytest.fixture
def cart_ready(app, client):
    """Alice, logged in, with 2 baguettes of Boulangerie A in her cart; returns (shop, bread)."""
    shop = make_shop(name="Boulangerie A")
    bread = make_product(shop, "Baguette", 130, stock=10)
    in_english(client)
    login(client, make_user())
    token = csrf_token(client, "/cart/")
    client.post("/cart/add", data={"csrf_token": token, "product_id": bread.id, "quantity": 2})
    return shop, bread


def key_at(day, hour: int) -> str:
    """The form value of a pickup time at `hour` o'clock, town time, on `day`."""
    return paris(day.year, day.month, day.day, hour).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.parametrize(
    "value",
    [
        "",
        "tomorrow",
        "2026-02-30T10:00",
        "9999-99-99T99:99",
        "<script>alert(1)</script>",
        "2020-01-06T09:00",  # a Monday morning, long gone
        "sunday",  # replaced below by next Sunday, when the shop is closed
        "night",  # replaced below by 03:00 tomorrow, when the shop is closed
    ],
)
def test_a_forged_pickup_time_is_refused_and_nothing_is_written(app, client, cart_ready, value):
    shop, bread = cart_ready
    today = utcnow().astimezone(PARIS).date()
    sunday = today + timedelta(days=(6 - today.weekday()) or 7)
    value = {
        "sunday": key_at(sunday, 10),
        "night": key_at(today + timedelta(days=1), 3),
    }.get(value, value)
    form = checkout_form(client)
    before = written()

    response = client.post(
        "/checkout", data={**form, f"slot-{shop.id}": value, "method": "at_pickup"}
    )

    assert response.status_code == 409
    assert (
        "error",
        "The pickup time chosen for Boulangerie A is no longer available. "
        "Please choose another one.",
    ) in alerts(response)
    assert written() == before
    assert stock_of(bread) == 10
    assert "Baguette" in response.get_data(as_text=True)  # the cart is kept


def test_a_forged_payment_method_is_refused(app, client, cart_ready):
    shop, bread = cart_ready
    key = slot_keys(client.get("/checkout").get_data(as_text=True))[f"slot-{shop.id}"]
    before = written()

    response = client.post(
        "/checkout",
        data={
            **checkout_form(client),
            f"slot-{shop.id}": key,
            "method": "bitcoin",
        },
    )

    assert response.status_code == 400
    assert ("error", "Choose how to pay.") in alerts(response)
    assert written() == before
    assert stock_of(bread) == 10


def test_a_product_of_a_shop_suspended_after_it_was_added_blocks_the_checkout(
    app, client, cart_ready
):
    shop, bread = cart_ready
    key = slot_keys(client.get("/checkout").get_data(as_text=True))[f"slot-{shop.id}"]
    form = checkout_form(client)
    transition_shop(shop, SUSPENDED, None, "Fermeture administrative.")
    db.session.commit()
    before = written()

    response = client.post(
        "/checkout", data={**form, f"slot-{shop.id}": key, "method": "at_pickup"}
    )

    assert response.status_code == 409
    assert (
        "error",
        "Something in your cart can no longer be bought as it is (Baguette). "
        "Please check your cart.",
    ) in alerts(response)
    assert written() == before
    assert stock_of(bread) == 10


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "2026-13-01", "demain", ""])
@pytest.mark.parametrize("page", ["", "print"])
def test_a_forged_day_on_the_board_shows_today(app, client, page, day):
    order = make_order("confirmed")
    login(client, order.shop.owner)
    response = client.get(f"/merchant/shops/{order.shop.slug}/orders/{page}?day={day}")
    assert response.status_code == 200


@pytest.mark.parametrize("status", ["draft", "pending_review", "rejected", "suspended"])
def test_a_product_of_an_unpublished_shop_cannot_be_added(app, client, status):
    hidden_shop = make_shop(name="Boutique fermée", status=status)
    product = make_product(hidden_shop, "Savon", 450, stock=10)
    response = client.post(
        "/cart/add", data={"csrf_token": csrf_token(client, "/cart/"), "product_id": product.id}
    )
    assert response.status_code == 404
    assert "Savon" not in client.get("/cart/").get_data(as_text=True)


@pytest.mark.parametrize("change", [{"is_active": False}, {"hidden_reason": "Non conforme."}])
def test_a_product_withdrawn_from_sale_cannot_be_added(app, client, change):
    product = make_product(make_shop(), "Savon", 450, stock=10)
    for field, value in change.items():
        setattr(product, field, value)
    db.session.commit()
    response = client.post(
        "/cart/add", data={"csrf_token": csrf_token(client, "/cart/"), "product_id": product.id}
    )
    assert response.status_code == 404
    missing = client.post(
        "/cart/add", data={"csrf_token": csrf_token(client, "/cart/"), "product_id": MISSING}
    )
    assert missing.status_code == 404
    assert "Savon" not in client.get("/cart/").get_data(as_text=True)


def test_a_refusal_at_the_second_shop_undoes_the_first_shop_s_reservation(app, client, cart_ready):
    baker, bread = cart_ready  # Boulangerie A, checked out first (shops go by name)
    brie = make_product(make_shop(name="Fromagerie B"), "Brie de Meaux", 650, stock=5)
    token = csrf_token(client, "/cart/")
    client.post("/cart/add", data={"csrf_token": token, "product_id": brie.id})
    slots = slot_keys(client.get("/checkout").get_data(as_text=True))
    before = written()

    response = client.post(
        "/checkout",
        data={
            **checkout_form(client),
            "method": "at_pickup",
            f"slot-{baker.id}": slots[f"slot-{baker.id}"],
            f"slot-{brie.shop_id}": "2020-01-06T09:00",
        },
    )

    assert response.status_code == 409
    assert written() == before
    assert (stock_of(bread), stock_of(brie)) == (10, 5)
