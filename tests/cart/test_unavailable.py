"""A product that can no longer be bought stays in the cart, marked, and blocks the checkout."""

import pytest

from marketplace.extensions import db
from tests.cart.helpers import deactivate, hide, sell_all_but_one, sell_out, suspend_shop
from tests.conftest import alerts, csrf_token, page_text
from tests.factories import login, make_product, make_shop, make_user
from tests.orders.helpers import checkout_form, in_english, slot_keys, stock_of, written

NO_LONGER_SOLD = (
    "Something in your cart can no longer be bought as it is (Baguette). Please check your cart."
)
NOT_ENOUGH = "Not enough stock left of Baguette: lower the quantity or remove it."


@pytest.mark.parametrize(
    ("spoil", "label", "refusal"),
    [
        (deactivate, "No longer available", NO_LONGER_SOLD),
        (hide, "No longer available", NO_LONGER_SOLD),
        (suspend_shop, "No longer available", NO_LONGER_SOLD),
        (sell_out, "Out of stock", NOT_ENOUGH),
        (sell_all_but_one, "Not enough left: lower the quantity (1 left)", NOT_ENOUGH),
    ],
    ids=lambda v: getattr(v, "__name__", "")[:20],
)
def test_a_spoilt_line_is_shown_and_blocks_the_checkout_until_fixed(
    app, client, spoil, label, refusal
):
    baker = make_shop(name="Boulangerie A")
    cheese = make_shop(name="Fromagerie B", category="fromagerie")
    bread = make_product(baker, "Baguette", 130, stock=10)
    brie = make_product(cheese, "Brie de Meaux", 650, stock=5)
    in_english(client)
    login(client, make_user())
    token = csrf_token(client, "/cart/")
    for product, quantity in ((bread, 2), (brie, 1)):
        client.post(
            "/cart/add",
            data={"csrf_token": token, "product_id": product.id, "quantity": quantity},
        )
    slots = slot_keys(client.get("/checkout").get_data(as_text=True))
    assert len(slots) == 2

    spoil(bread)
    db.session.commit()
    stock = stock_of(bread)

    cart = page_text(client.get("/cart/"))
    assert "Baguette" in cart and label in cart  # shown as such, never silently dropped
    assert "Fix the lines marked above before ordering." in cart
    assert 'href="/checkout"' not in cart

    before = written()
    order_now = {**checkout_form(client), "method": "at_pickup", **slots}
    refused = client.post("/checkout", data=order_now)
    assert refused.status_code == 409
    assert ("error", refusal) in alerts(refused)
    assert written() == before
    assert (stock_of(bread), stock_of(brie)) == (stock, 5)

    if spoil is sell_all_but_one:  # the resident lowers the quantity
        client.post(
            "/cart/update",
            data={"csrf_token": token, "product_id": bread.id, "quantity": 1},
        )
    else:  # ... or removes the line
        client.post("/cart/remove", data={"csrf_token": token, "product_id": bread.id})
    fixed = page_text(client.get("/cart/"))
    assert "Fix the lines marked above" not in fixed and 'href="/checkout"' in fixed

    placed = client.post("/checkout", data=order_now)
    assert placed.status_code == 303
    assert stock_of(brie) == 4
    assert stock_of(bread) == (0 if spoil is sell_all_but_one else stock)
