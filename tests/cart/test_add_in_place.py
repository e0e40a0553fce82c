"""Adding to the cart from a list keeps the visitor's place: back to the product's anchor without
JavaScript, a JSON answer (count and message) for static/js/add-to-cart.js."""

from __future__ import annotations

import re

import pytest

from marketplace.extensions import db
from shops.models import Product
from tests.conftest import alerts, csrf_token, english_client, page_text
from tests.factories import make_product, make_shop

ADD_FORM = re.compile(
    r'<li class="product-row" id="(p-\d+)">(?:(?!</li>).)*?data-add-to-cart>'
    r'(?:(?!</form>).)*?name="next" value="([^"]+)"',
    re.S,
)


@pytest.fixture
def shop(app):
    shop = make_shop(name="Épicerie Retour")
    make_product(shop, "Confiture de fraises", 650, stock=2)
    make_product(shop, "Miel de lavande", 990, stock=None)
    return shop


def product_named(shop, name) -> Product:
    return db.session.scalars(
        db.select(Product).where(Product.shop_id == shop.id, Product.name == name)
    ).one()


def post_add(client, product, next_path=None, quantity=1, **headers):
    data = {"csrf_token": csrf_token(client, "/cart/"), "product_id": product.id}
    data["quantity"] = quantity
    if next_path is not None:
        data["next"] = next_path
    return client.post("/cart/add", data=data, headers=headers)


def test_without_javascript_every_add_of_a_list_returns_to_its_own_row(app, shop):
    client = english_client(app)
    for path in (f"/shops/{shop.slug}", f"/shops/{shop.slug}?q=miel", "/search?q=confiture"):
        forms = ADD_FORM.findall(client.get(path).get_data(as_text=True))
        assert forms, path
        for anchor, back in forms:
            assert back == f"{path}#{anchor}", path
    # Posted as a browser would, the form comes back to the row, the message on the page.
    anchor, back = forms[0]
    jam = product_named(shop, "Confiture de fraises")
    answer = post_add(client, jam, back)
    assert answer.status_code == 303 and answer.headers["Location"].endswith(f"{back}")
    assert ("success", "Confiture de fraises is in your cart.") in alerts(client.get(back))
    # A refusal goes back to the same place too, saying why; an outside address is never followed.
    assert post_add(client, jam, back, quantity=5).headers["Location"].endswith(f"#{anchor}")
    outside = post_add(client, jam, "//evil.example/#p-1").headers["Location"]
    assert outside.endswith("/cart/")


def test_the_product_page_form_is_enhanced_too(app, shop):
    jam = product_named(shop, "Confiture de fraises")
    html = app.test_client().get(f"/shops/{shop.slug}/products/{jam.id}-{jam.slug}")
    assert 'class="add-to-cart" data-add-to-cart' in html.get_data(as_text=True)


def test_the_script_gets_the_count_and_the_message_and_no_flash_is_left(app, shop):
    client = english_client(app)
    json = {"Accept": "application/json"}
    jam, honey = product_named(shop, "Confiture de fraises"), product_named(shop, "Miel de lavande")
    first = post_add(client, jam, f"/shops/{shop.slug}#p-{jam.id}", **json)
    assert first.status_code == 200
    assert first.get_json() == {"message": "Confiture de fraises is in your cart.", "count": 1}
    assert post_add(client, honey, None, quantity=3, **json).get_json()["count"] == 4
    page = client.get(f"/shops/{shop.slug}")
    assert alerts(page) == []  # the script said it: nothing waits for the next page
    assert '<span class="count" id="cart-count">(4)</span>' in page_text(page)


def test_the_script_gets_a_json_error_in_the_visitors_language(app, shop):
    client = app.test_client()  # French
    jam = product_named(shop, "Confiture de fraises")
    refused = post_add(client, jam, None, quantity=3, Accept="application/json")
    assert refused.status_code == 409
    assert (
        refused.get_json()["error"]["message"] == "Confiture de fraises\u202f: plus que 2 en stock."
    )
    bad = post_add(client, jam, None, quantity="abc", Accept="application/json")
    assert bad.status_code == 400 and "entre 1 et 99" in bad.get_json()["error"]["message"]
    no_token = client.post(
        "/cart/add", data={"product_id": jam.id}, headers={"Accept": "application/json"}
    )
    assert no_token.status_code == 400 and no_token.get_json()["error"]["message"]


def test_the_header_count_is_there_even_when_the_cart_is_empty(app, shop):
    html = page_text(english_client(app).get(f"/shops/{shop.slug}"))
    assert '<span class="count" id="cart-count" hidden>(0)</span>' in html
    assert '<p id="cart-status" class="cart-status" aria-live="polite"' in html
