"""A shopkeeper adds and edits products through the form: prices typed the French or English way."""

import io
from pathlib import Path

import pytest
from sqlalchemy import select

from marketplace.extensions import db
from shops.models import Product
from tests.conftest import alerts, english_client, page_text, post_form
from tests.factories import (
    image_bytes,
    login,
    make_product,
    make_product_image,
    make_shop,
    product_form_data,
)


@pytest.fixture
def client(app):
    """The messages below are checked in English: this browser asks for English pages."""
    return english_client(app)


@pytest.fixture
def shop(app, client):
    shop = make_shop(name="Fromagerie Oberkampf", category="fromagerie")
    login(client, shop.owner)
    return shop


def products_of(shop):
    db.session.expire_all()
    return db.session.scalars(select(Product).where(Product.shop_id == shop.id)).all()


@pytest.mark.parametrize("typed", ["12,50", "12.50", "12,5", " 12,50 € "])
def test_a_price_typed_either_way_is_stored_in_cents(app, client, shop, typed):
    response = post_form(
        client, f"/merchant/shops/{shop.slug}/products/new", product_form_data(price=typed)
    )
    assert response.status_code == 302
    [product] = products_of(shop)
    assert (product.name, product.price_cents) == ("Comté 24 mois", 1250)


def test_an_empty_stock_means_unlimited(app, client, shop):
    post_form(client, f"/merchant/shops/{shop.slug}/products/new", product_form_data(stock=""))
    post_form(
        client,
        f"/merchant/shops/{shop.slug}/products/new",
        product_form_data(name="Brie de Meaux", stock="0"),
    )
    stocks = {p.name: p.stock for p in products_of(shop)}
    assert stocks == {"Comté 24 mois": None, "Brie de Meaux": 0}
    listing = page_text(client.get(f"/merchant/shops/{shop.slug}/products/"))
    assert "unlimited" in listing or "illimité" in listing


def test_a_new_product_with_photos_is_on_the_public_page(app, client, shop):
    response = post_form(
        client,
        f"/merchant/shops/{shop.slug}/products/new",
        {
            **product_form_data(stock="12", sku="CMT-24", category="Pâtes pressées"),
            "photos": [
                (io.BytesIO(image_bytes("JPEG")), "comte.jpg"),
                (io.BytesIO(image_bytes("PNG")), "comte-coupe.png"),
            ],
            "photo_alt": "Une meule de comté",
        },
    )
    assert response.status_code == 302
    assert ("success", "Product added.") in alerts(client.get(response.headers["Location"]))
    [product] = products_of(shop)
    assert (product.stock, product.sku, product.category, product.is_active) == (
        12,
        "CMT-24",
        "Pâtes pressées",
        True,
    )
    assert [i.alt for i in product.images] == ["Une meule de comté"] * 2
    page = client.get(f"/shops/{shop.slug}/products/{product.id}-{product.slug}")
    assert page.status_code == 200
    assert "€12.50" in page_text(page)


def test_the_shopkeeper_edits_a_product(app, client, shop):
    product = make_product(shop, "Comté 18 mois", 1990, stock=5, sku="CMT-18")
    url = f"/merchant/shops/{shop.slug}/products/{product.id}"
    form = page_text(client.get(url))
    assert 'value="19.90"' in form and 'value="CMT-18"' in form
    response = post_form(
        client,
        url,
        product_form_data(
            name="Comté 18 mois affiné", price="21.00", stock="", sku="CMT-18", active=""
        ),
    )
    assert response.status_code == 302
    [product] = products_of(shop)
    assert (product.name, product.price_cents, product.stock, product.is_active) == (
        "Comté 18 mois affiné",
        2100,
        None,
        False,
    )
    assert product.slug == "comte-18-mois-affine"


def test_the_edit_form_shows_the_price_the_way_each_language_writes_it(app, client, shop):
    product = make_product(shop, "Comté 18 mois", 1990)
    url = f"/merchant/shops/{shop.slug}/products/{product.id}"
    for language, typed in (("fr", "19,90"), ("en", "19.90")):
        page = client.get(url, headers={"Accept-Language": language}).get_data(as_text=True)
        assert f'value="{typed}"' in page, language


def test_two_products_of_a_shop_cannot_share_a_sku(app, client, shop):
    make_product(shop, "Comté 18 mois", 1990, sku="CMT")
    response = post_form(
        client, f"/merchant/shops/{shop.slug}/products/new", product_form_data(sku="CMT")
    )
    assert response.status_code == 400
    assert "Another product already uses this SKU." in page_text(response)
    assert [p.name for p in products_of(shop)] == ["Comté 18 mois"]


def test_a_photo_is_removed(app, client, shop):
    product = make_product(shop, "Comté 18 mois", 1990)
    image = make_product_image(product, app.config["UPLOAD_DIR"])
    stored = Path(app.config["UPLOAD_DIR"]) / f"{image.path}.jpg"
    assert stored.exists()
    url = f"/merchant/shops/{shop.slug}/products/{product.id}"
    response = post_form(client, f"{url}/images/{image.id}/delete", token_from=url)
    assert response.status_code == 302
    assert products_of(shop)[0].images == []
    assert not stored.exists()


def test_a_product_has_five_photos_at_most(app, client, shop):
    product = make_product(shop, "Comté 18 mois", 1990)
    for _ in range(5):
        make_product_image(product, app.config["UPLOAD_DIR"])
    response = post_form(
        client,
        f"/merchant/shops/{shop.slug}/products/{product.id}",
        {
            **product_form_data(name="Comté 18 mois", price="19,90"),
            "photos": [(io.BytesIO(image_bytes()), "sixieme.jpg")],
        },
    )
    assert response.status_code == 400
    assert "A product has 5 photos at most." in page_text(response)
    assert len(products_of(shop)[0].images) == 5
