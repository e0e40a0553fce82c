"""A resident fills one cart from several shops, as a visitor first, then logged in."""

import re

import pytest

from marketplace.cart.services import stored_items
from marketplace.extensions import db
from marketplace.money import format_money
from tests.conftest import alerts, csrf_token, page_text
from tests.factories import login, make_product, make_shop, make_user
from tests.orders.helpers import in_english, make_order, written


@pytest.fixture
def shops(app):
    """Two published shops, a baker and a cheesemonger, with a product each."""
    baker = make_shop(name="Boulangerie A")
    cheese = make_shop(name="Fromagerie B", category="fromagerie")
    return {
        "bread": make_product(baker, "Baguette", 130, stock=10),
        "croissant": make_product(baker, "Croissant", 110, stock=None),
        "brie": make_product(cheese, "Brie de Meaux", 650, stock=3),
    }


def add(client, product, quantity=1):
    """Press "Add to cart" on a product page."""
    token = csrf_token(client, "/cart/")
    return client.post(
        "/cart/add", data={"csrf_token": token, "product_id": product.id, "quantity": quantity}
    )


def cart_lines(client) -> dict[str, int]:
    """What the cart page shows: {product name: quantity}."""
    html = page_text(client.get("/cart/"))
    rows = re.findall(r"<tr>\s*<td>([^<\n]+).*?name=\"quantity\"[^>]*value=\"(\d+)\"", html, re.S)
    return {name.strip(): int(quantity) for name, quantity in rows}


def test_a_visitor_s_cart_is_kept_in_the_session(app, client, shops):
    before = written()
    add(client, shops["bread"], 2)
    add(client, shops["brie"])
    assert cart_lines(client) == {"Baguette": 2, "Brie de Meaux": 1}
    assert cart_lines(app.test_client()) == {}  # another browser has its own cart
    assert written() == before


def test_the_visitor_s_cart_joins_the_stored_cart_at_login(app, client, shops):
    alice = make_user()
    login(client, alice)
    add(client, shops["bread"], 2)
    client.post("/account/logout", data={"csrf_token": csrf_token(client, "/cart/")})
    assert cart_lines(client) == {}  # logged out: the stored cart stays stored

    add(client, shops["bread"], 1)
    add(client, shops["brie"], 1)
    login(client, alice)

    assert stored_items(alice.id) == {shops["bread"].id: 3, shops["brie"].id: 1}
    assert cart_lines(client) == {"Baguette": 3, "Brie de Meaux": 1}
    client.post("/account/logout", data={"csrf_token": csrf_token(client, "/cart/")})
    assert cart_lines(client) == {}  # the visitor's lines were moved, not copied


def test_the_cart_is_grouped_by_shop_with_subtotals(app, client, shops):
    in_english(client)
    add(client, shops["brie"], 2)
    add(client, shops["bread"], 3)
    add(client, shops["croissant"], 2)

    html = page_text(client.get("/cart/"))
    sections = re.findall(r"<section.*?</section>", html, re.S)
    assert [re.search(r"<h2[^>]*><a[^>]*>(.*?)</a>", s).group(1) for s in sections] == [
        "Boulangerie A",
        "Fromagerie B",
    ]
    assert "Baguette" in sections[0] and "Croissant" in sections[0] and "Brie" in sections[1]
    subtotal = r"Subtotal</th><td class=\"num\">(.*?)</td>"
    assert re.search(subtotal, sections[0]).group(1) == format_money(3 * 130 + 2 * 110, "en")
    assert re.search(subtotal, sections[1]).group(1) == format_money(2 * 650, "en")
    assert f"Total: {format_money(610 + 1300, 'en')}" in html


@pytest.mark.parametrize("quantity", ["0", "-1", "1000000000", "abc", "", "1.5", "100", "²", "٣"])
def test_a_tampered_quantity_is_refused_on_add(app, client, shops, quantity):
    alice = make_user()
    in_english(client)
    login(client, alice)
    add(client, shops["bread"], 2)

    response = add(client, shops["bread"], quantity)

    assert response.status_code == 303
    assert ("error", "Choose a quantity from 1 to 99.") in alerts(client.get("/cart/"))
    assert stored_items(alice.id) == {shops["bread"].id: 2}


@pytest.mark.parametrize("quantity", ["-1", "1000000000", "abc", "", "1.5", "100", "²", "٣"])
def test_a_tampered_quantity_is_refused_on_update(app, client, shops, quantity):
    in_english(client)
    add(client, shops["bread"], 2)
    token = csrf_token(client, "/cart/")

    response = client.post(
        "/cart/update",
        data={"csrf_token": token, "product_id": shops["bread"].id, "quantity": quantity},
    )

    assert response.status_code == 303
    assert ("error", "Choose a quantity from 1 to 99.") in alerts(client.get("/cart/"))
    assert cart_lines(client) == {"Baguette": 2}


def test_quantities_change_and_zero_removes_the_line(app, client, shops):
    add(client, shops["bread"], 2)
    add(client, shops["croissant"], 1)
    token = csrf_token(client, "/cart/")
    change = {"csrf_token": token, "product_id": shops["bread"].id}
    client.post("/cart/update", data={**change, "quantity": "5"})
    assert cart_lines(client) == {"Baguette": 5, "Croissant": 1}
    client.post("/cart/update", data={**change, "quantity": "0"})
    assert cart_lines(client) == {"Croissant": 1}
    client.post("/cart/remove", data={"csrf_token": token, "product_id": shops["croissant"].id})
    assert cart_lines(client) == {}


@pytest.mark.parametrize("product_id", ["abc", "-1", "", "²", "1e3", "9" * 20])
@pytest.mark.parametrize("action", ["add", "update", "remove"])
def test_a_tampered_product_id_is_a_bad_request(app, client, shops, action, product_id):
    add(client, shops["bread"], 2)
    token = csrf_token(client, "/cart/")
    response = client.post(
        f"/cart/{action}", data={"csrf_token": token, "product_id": product_id, "quantity": 1}
    )
    assert response.status_code == 400
    assert cart_lines(client) == {"Baguette": 2}


def test_more_than_the_stock_is_refused(app, client, shops):
    in_english(client)
    add(client, shops["brie"], 2)
    add(client, shops["brie"], 2)  # 4 wanted, 3 left
    assert ("error", "Only 3 left of Brie de Meaux.") in alerts(client.get("/cart/"))
    assert cart_lines(client) == {"Brie de Meaux": 2}


def test_re_ordering_puts_the_lines_back_in_the_cart(app, client):
    order = make_order("collected", quantity=2)  # 2 Brie de Meaux, for Alice
    in_english(client)
    login(client, order.customer)
    url = f"/orders/{order.id}"

    response = client.post(f"{url}/reorder", data={"csrf_token": csrf_token(client, url)})
    assert response.status_code == 303 and response.headers["Location"].endswith("/cart/")
    client.post(f"{url}/reorder", data={"csrf_token": csrf_token(client, url)})
    assert cart_lines(client) == {"Brie de Meaux": 4}  # re-ordering twice adds up

    product = order.lines[0].product
    product.is_active = False
    db.session.commit()
    client.post(
        "/cart/remove", data={"csrf_token": csrf_token(client, url), "product_id": product.id}
    )
    client.post(f"{url}/reorder", data={"csrf_token": csrf_token(client, url)})
    assert ("info", "Some products of this order are no longer sold.") in alerts(
        client.get("/cart/")
    )
    assert cart_lines(client) == {}
