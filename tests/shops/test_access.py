"""A shopkeeper manages only their own shops; residents and visitors never reach merchant pages."""

import io
from datetime import date

import pytest
from sqlalchemy import select

from marketplace.accounts.models import SHOPKEEPER
from marketplace.extensions import db
from shops.models import Closure, Shop
from tests.conftest import csrf_token
from tests.factories import (
    image_bytes,
    login,
    make_product,
    make_product_image,
    make_shop,
    make_user,
    product_form_data,
    shop_form_data,
    shop_state,
)


def _photo():
    return {"photo": (io.BytesIO(image_bytes()), "devanture.jpg"), "alt": "Vitrine"}


def _csv():
    return {"file": (io.BytesIO(b"name,price\nPain volant,1.00\n"), "catalogue.csv")}


def _product():
    return product_form_data(name="Pain volant", price="1,00", stock="3")


# Every merchant URL of a shop, with what a form there would send.
MERCHANT_URLS = [
    ("GET", "/merchant/shops/{shop}", None),
    ("POST", "/merchant/shops/{shop}", lambda: shop_form_data(name="Volée")),
    ("GET", "/merchant/shops/{shop}/hours", None),
    ("POST", "/merchant/shops/{shop}/hours", lambda: {"monday": "00:00-24:00"}),
    ("GET", "/merchant/shops/{shop}/photo", None),
    ("POST", "/merchant/shops/{shop}/photo", _photo),
    (
        "POST",
        "/merchant/shops/{shop}/closures",
        lambda: {"starts_on": "2026-08-01", "ends_on": "2026-08-31"},
    ),
    ("POST", "/merchant/shops/{shop}/closures/{closure}/delete", dict),
    ("POST", "/merchant/shops/{shop}/submit", dict),
    ("GET", "/merchant/shops/{shop}/products/", None),
    ("GET", "/merchant/shops/{shop}/products/new", None),
    ("POST", "/merchant/shops/{shop}/products/new", _product),
    ("GET", "/merchant/shops/{shop}/products/{product}", None),
    ("POST", "/merchant/shops/{shop}/products/{product}", _product),
    ("POST", "/merchant/shops/{shop}/products/import", _csv),
    ("GET", "/merchant/shops/{shop}/products/export.csv", None),
    ("POST", "/merchant/shops/{shop}/products/{product}/images/{image}/delete", dict),
]
URL_IDS = [f"{method} {url.split('{shop}')[1] or '/'}" for method, url, _ in MERCHANT_URLS]


@pytest.fixture
def shops(app):
    """Anne's shop and Bruno's shop (draft, with a product, a photo and a closure)."""
    anne = make_user("anne@example.org", SHOPKEEPER, "Anne")
    bruno = make_user("bruno@example.org", SHOPKEEPER, "Bruno")
    shop_a = make_shop(anne, "Fleurs d'Anne", category="fleuriste")
    shop_b = make_shop(bruno, "Librairie de Bruno", published=False, category="librairie")
    product = make_product(shop_b, "Roman", 1990, stock=4, sku="ROM-1")
    image = make_product_image(product, app.config["UPLOAD_DIR"])
    closure = Closure(starts_on=date(2026, 12, 24), ends_on=date(2026, 12, 26))
    shop_b.closures.append(closure)
    db.session.commit()
    ids = {"shop": shop_b.slug, "product": product.id, "closure": closure.id, "image": image.id}
    return anne, bruno, shop_a, shop_b, ids


def request(client, method, url, data):
    if method == "GET":
        return client.get(url)
    payload = {"csrf_token": csrf_token(client, "/"), **(data() if data else {})}
    return client.post(url, data=payload)


@pytest.mark.parametrize(("method", "url", "data"), MERCHANT_URLS, ids=URL_IDS)
def test_a_shopkeeper_gets_404_on_every_page_of_another_shop(app, client, shops, method, url, data):
    anne, _bruno, _shop_a, shop_b, ids = shops
    before = shop_state(shop_b.id)
    login(client, anne)
    response = request(client, method, url.format(**ids), data)
    assert response.status_code == 404
    assert shop_state(shop_b.id) == before


def test_the_owner_reaches_the_same_pages(app, client, shops):
    _anne, bruno, _shop_a, _shop_b, ids = shops
    login(client, bruno)
    for method, url, data in MERCHANT_URLS:
        response = request(client, method, url.format(**ids), data)
        # The forms above are valid: what the 404s refuse would have worked for the owner.
        assert response.status_code == (200 if method == "GET" else 302), (method, url)


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_product_of_another_shop_is_404_under_my_own_shop(app, client, shops, method):
    anne, _bruno, shop_a, shop_b, ids = shops
    before = shop_state(shop_b.id)
    login(client, anne)
    base = f"/merchant/shops/{shop_a.slug}/products/{ids['product']}"
    assert request(client, method, base, _product).status_code == 404
    delete = f"{base}/images/{ids['image']}/delete"
    assert request(client, "POST", delete, dict).status_code == 404
    assert shop_state(shop_b.id) == before


def test_another_shop_s_closure_or_photo_cannot_be_deleted_through_my_shop(app, client, shops):
    anne, _bruno, shop_a, shop_b, ids = shops
    mine = make_product(shop_a, "Bouquet", 2500)
    before = shop_state(shop_b.id)
    login(client, anne)
    request(client, "POST", f"/merchant/shops/{shop_a.slug}/closures/{ids['closure']}/delete", dict)
    request(
        client,
        "POST",
        f"/merchant/shops/{shop_a.slug}/products/{mine.id}/images/{ids['image']}/delete",
        dict,
    )
    assert shop_state(shop_b.id) == before


MERCHANT_PAGES = [("GET", "/merchant/", None), ("GET", "/merchant/shops/new", None)]
MERCHANT_PAGES += [("POST", "/merchant/shops/new", lambda: shop_form_data(name="Intrus"))]


def test_a_resident_is_forbidden_every_merchant_page(app, client, shops, resident):
    _anne, _bruno, _shop_a, shop_b, ids = shops
    before = shop_state(shop_b.id)
    login(client, resident)
    for method, url, data in MERCHANT_PAGES + MERCHANT_URLS:
        response = request(client, method, url.format(**ids), data)
        assert response.status_code == 403, (method, url)
    assert shop_state(shop_b.id) == before
    assert db.session.scalar(select(Shop).where(Shop.name == "Intrus")) is None


def test_a_visitor_is_sent_to_the_login_page(app, client, shops):
    _anne, _bruno, _shop_a, shop_b, ids = shops
    before = shop_state(shop_b.id)
    for method, url, data in MERCHANT_PAGES + MERCHANT_URLS:
        response = request(client, method, url.format(**ids), data)
        assert response.status_code == 302, (method, url)
        assert response.headers["Location"].startswith("/account/login?next="), (method, url)
    assert shop_state(shop_b.id) == before
    assert db.session.scalar(select(Shop).where(Shop.name == "Intrus")) is None
