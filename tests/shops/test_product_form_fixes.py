"""The catalogue's small fixes: the photos' description shows again; an empty list says what to do."""

from __future__ import annotations

import io

from tests.conftest import english_client, page_text, post_form
from tests.factories import image_bytes, login, make_product, make_shop, product_form_data


def test_the_photos_description_shows_again_in_the_form_after_saving(app):
    shop = make_shop(name="Fromagerie Oberkampf", category="fromagerie")
    client = english_client(app)
    login(client, shop.owner)
    product = make_product(shop, "Comté 18 mois", 1990)
    url = f"/merchant/shops/{shop.slug}/products/{product.id}"
    saved = post_form(
        client,
        url,
        {
            **product_form_data(name="Comté 18 mois"),
            "photos": [(io.BytesIO(image_bytes("JPEG")), "comte.jpg")],
            "photo_alt": "Une meule de comté",
        },
    )
    assert saved.status_code == 302
    form = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert 'name="photo_alt" type="text" value="Une meule de comté"' in form


def test_an_empty_catalogue_says_how_to_add_or_import_products(app):
    shop = make_shop(name="Épicerie Neuve")
    client = english_client(app)
    login(client, shop.owner)
    page = client.get(f"/merchant/shops/{shop.slug}/products/")
    text = page_text(page)
    assert "No product yet." in text
    html = page.get_data(as_text=True)
    assert f'href="/merchant/shops/{shop.slug}/products/new">Add your first product' in html
    assert 'href="#import">Import your catalogue from a CSV file' in html
    assert '<details class="panel" id="import" open>' in html
    searched = page_text(client.get(f"/merchant/shops/{shop.slug}/products/?q=brie"))
    assert "No product matches your search." in searched and "No product yet." not in searched
