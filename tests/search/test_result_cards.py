"""What a search result shows: a picture for each, the name once, the street, and "Add"."""

from __future__ import annotations

import re
from datetime import date, timedelta

from marketplace.accounts.models import SHOPKEEPER
from marketplace.extensions import db
from shops import services
from shops.pictograms import ICON_DIR
from tests.conftest import english_client, page_text
from tests.factories import make_product, make_product_image, make_shop, make_user

RESULT = re.compile(r'<li class="product-row" id="([ps]-\d+)">(.*?)</li>', re.S)


def results(client, q: str) -> dict[str, str]:
    """{anchor: the result's HTML} of the search page."""
    html = client.get("/search", query_string={"q": q}).get_data(as_text=True)
    return dict(RESULT.findall(html))


def visible_text(fragment: str) -> str:
    """The words a sighted visitor reads (tags and visually hidden texts dropped)."""
    fragment = re.sub(r'<span class="visually-hidden">.*?</span>', "", fragment, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))


def test_each_product_result_shows_its_name_once_and_a_picture(app):
    shop = make_shop(name="Fromagerie Image")
    with_photo = make_product(shop, "Comté fruité", 1290, product_type="fromage-pate-pressee")
    make_product_image(with_photo, app.config["UPLOAD_DIR"])
    make_product(shop, "Crottin de chèvre", 390, product_type="fromage-chevre")
    found = results(english_client(app), "comte crottin")
    photo, icon = found[f"p-{with_photo.id}"], next(v for k, v in found.items() if "Crottin" in v)
    assert visible_text(photo).count("Comté") == 1  # a title, not the title and an excerpt
    assert re.search(r'<img class="thumb" src="/media/[^"]+-thumb\.jpg" alt=""', photo)
    assert f'<img class="thumb thumb--icon" src="/static/{ICON_DIR}/cheese.svg" alt=""' in icon
    assert visible_text(icon).count("Crottin") == 1


def test_a_shop_result_has_its_categorys_pictogram_and_its_street(app):
    shop = make_shop(name="Librairie Pictogramme", category="librairie", address="3 rue des Livres")
    found = results(english_client(app), "pictogramme")
    card = found[f"s-{shop.id}"]
    assert f'src="/static/{ICON_DIR}/book.svg" alt=""' in card
    assert "Shop · Bookshop, 3 rue des Livres" in visible_text(card)


def test_two_shops_of_the_same_name_are_told_apart_by_their_street(app):
    make_shop(name="Le Fournil", address="1 rue de la Roquette")
    owner = make_user("zoe@example.org", SHOPKEEPER, "Zoé")
    other = make_shop(owner, name="Le Fournil", address="40 avenue Parmentier")
    make_product(other, "Fougasse aux olives", 380)
    text = " ".join(visible_text(v) for v in results(english_client(app), "fournil").values())
    assert "1 rue de la Roquette" in text and "40 avenue Parmentier" in text
    product = visible_text(next(iter(results(english_client(app), "fougasse").values())))
    assert "Le Fournil, 40 avenue Parmentier" in product


def test_add_is_offered_for_products_in_stock_of_a_shop_taking_orders(app):
    shop = make_shop(name="Épicerie Bouton")
    jam = make_product(shop, "Confiture d'abricots", 650, stock=3)
    gone = make_product(shop, "Confiture de mûres", 690, stock=0)
    found = results(english_client(app), "confiture")
    assert "data-add-to-cart" in found[f"p-{jam.id}"]
    assert f'<input type="hidden" name="product_id" value="{jam.id}">' in found[f"p-{jam.id}"]
    assert "data-add-to-cart" not in found[f"p-{gone.id}"]
    today = date.today()
    services.add_closure(shop, today - timedelta(days=1), today + timedelta(days=9), "Inventaire")
    db.session.commit()
    closed = results(english_client(app), "confiture")
    assert "data-add-to-cart" not in closed[f"p-{jam.id}"]  # no pickup day ahead: no order
    assert page_text(english_client(app).get("/search?q=confiture")).count("Confiture") >= 2
