"""The shop page: products grouped by type under headings, its own search box, a small map."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import event

from marketplace.extensions import db
from shops import catalogue, services
from shops.models import Product
from tests.conftest import english_client, page_text
from tests.factories import make_product, make_shop

H3 = re.compile(r'<h3 id="(t-[a-z0-9-]+)">([^<]+)</h3>')


@pytest.fixture
def bakery(app):
    shop = make_shop(name="Boulangerie Typée")
    make_product(shop, "Tarte aux pommes", 450, product_type="patisserie")
    make_product(shop, "Croissant", 110, product_type="viennoiserie")
    make_product(shop, "Baguette tradition", 130, product_type="pain")
    make_product(shop, "Pain au chocolat", 120, product_type="viennoiserie")
    make_product(shop, "Sac en toile", 500, product_type=None)
    return shop


def untyped(shop) -> None:
    """The shopkeeper's untyped product keeps no guessed type (create_product guesses one)."""
    product = db.session.scalars(db.select(Product).where(Product.name == "Sac en toile")).one()
    product.product_type = None
    db.session.commit()


def test_products_are_grouped_by_type_under_headings_in_the_visitors_language(app, bakery):
    untyped(bakery)
    english = page_text(english_client(app).get(f"/shops/{bakery.slug}"))
    # Taxonomy order (bread, pastries, cakes), the untyped last; h3 under the h2 "Products".
    assert H3.findall(english) == [
        ("t-pain", "Bread"),
        ("t-viennoiserie", "Pastries (viennoiserie)"),
        ("t-patisserie", "Cakes and pastries"),
        ("t-autres", "Other products"),
    ]
    section = english[english.index('id="t-viennoiserie"') : english.index('id="t-patisserie"')]
    assert "Croissant" in section and "Pain au chocolat" in section
    assert '<a href="#t-viennoiserie">Pastries (viennoiserie) (2)</a>' in english  # the jump list
    french = page_text(app.test_client().get(f"/shops/{bakery.slug}"))
    assert [label for _id, label in H3.findall(french)] == [
        "Pain",
        "Viennoiseries",
        "Pâtisseries",
        "Autres produits",
    ]


def test_a_type_on_a_later_page_is_linked_on_that_page(app, bakery, monkeypatch):
    from marketplace.public import views

    monkeypatch.setattr(views, "PRODUCTS_PER_PAGE", 2)
    html = page_text(english_client(app).get(f"/shops/{bakery.slug}"))
    assert H3.findall(html) == [("t-pain", "Bread"), ("t-viennoiserie", "Pastries (viennoiserie)")]
    assert f'href="/shops/{bakery.slug}?page=2#t-patisserie"' in html
    second = page_text(english_client(app).get(f"/shops/{bakery.slug}?page=2"))
    assert [i for i, _ in H3.findall(second)] == ["t-viennoiserie", "t-patisserie"]


@pytest.fixture
def statements(app):
    """The SQL statements the app runs."""
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(db.engine.__class__, "before_cursor_execute", count)
    yield seen
    event.remove(db.engine.__class__, "before_cursor_execute", count)


def test_the_grouped_page_costs_the_same_queries_for_5_or_40_products(app, bakery, statements):
    url = f"/shops/{bakery.slug}"

    def queries() -> list[str]:
        app.extensions.pop("vitrine_page_cache", None)  # rendered each time, not a cache hit
        statements.clear()
        assert app.test_client().get(url).status_code == 200
        return [s.split(" FROM ")[0][:60] for s in statements]

    queries()  # the first request of the app loads a few things once
    few = queries()
    for n in range(35):
        make_product(bakery, f"Produit {n}", 100 + n, product_type=("pain", "gateaux", None)[n % 3])
    many = queries()
    assert len(many) == len(few) <= 6, (few, many)


def test_a_new_type_shows_on_the_next_request_through_the_page_cache(app, bakery):
    client = english_client(app)
    assert "Cheese" not in page_text(client.get(f"/shops/{bakery.slug}"))
    assert client.get(f"/shops/{bakery.slug}").headers["X-Page-Cache"] == "hit"
    product = db.session.scalars(db.select(Product).where(Product.name == "Croissant")).one()
    catalogue.update_product(product, {"product_type": "fromage"})
    db.session.commit()
    html = page_text(client.get(f"/shops/{bakery.slug}"))
    assert ("t-fromage", "Cheese") in H3.findall(html)


def test_the_search_box_finds_this_shops_products_only(app, bakery):
    other = make_shop(name="Autre Boulangerie")
    make_product(other, "Croissant aux amandes", 190)
    client = english_client(app)
    html = page_text(client.get(f"/shops/{bakery.slug}"))
    assert 'role="search" aria-label="Search in this shop"' in html and 'name="q"' in html
    found = client.get(f"/shops/{bakery.slug}?q=croissant")
    text = page_text(found)
    assert "1 product matches “croissant”." in text
    assert "Croissant" in text and "amandes" not in text and "Baguette" not in text
    assert found.headers.get("X-Page-Cache") is None  # a search is never a cached page
    assert f'href="/shops/{bakery.slug}#products-h">Show all products' in text
    escaped = client.get(f"/shops/{bakery.slug}?q=<script>alert(1)</script>")
    assert escaped.status_code == 200
    assert "<script>alert(1)" not in escaped.get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in escaped.get_data(as_text=True)


def test_a_small_map_with_javascript_and_a_link_to_the_town_map_centred_on_the_shop(app, bakery):
    client = english_client(app)
    html = page_text(client.get(f"/shops/{bakery.slug}"))
    # The box is hidden until static/js/shop-map.js draws it: without JavaScript, the link.
    assert re.search(r'<div id="shop-minimap"[^>]* hidden\s', html)
    assert 'data-lat="48.865" data-lon="2.378"' in html and "js/shop-map.js" in html
    assert f'<a href="/map?shop={bakery.slug}">See it on the town map</a>' in html
    town_map = page_text(client.get(f"/map?shop={bakery.slug}"))
    assert f"Sorted by distance from {bakery.name}." in town_map
    assert 'data-centre-lat="48.865" data-centre-lon="2.378"' in town_map
    nowhere = make_shop(name="Boutique Sans Adresse", lat=None, lon=None)
    html = page_text(client.get(f"/shops/{nowhere.slug}"))
    assert "shop-minimap" not in html and "shop-map.js" not in html


def test_a_shop_closed_for_the_coming_week_shows_no_add_button(app, bakery):
    client = english_client(app)
    assert "data-add-to-cart" in client.get(f"/shops/{bakery.slug}").get_data(as_text=True)
    today = date.today()
    services.add_closure(bakery, today - timedelta(days=1), today + timedelta(days=10), "Congés")
    db.session.commit()
    html = page_text(client.get(f"/shops/{bakery.slug}"))
    assert "data-add-to-cart" not in html
    assert "orders are paused until the shop reopens" in html
