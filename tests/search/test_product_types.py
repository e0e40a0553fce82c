"""Product types (issue 14, items 1, 3 and 6): type labels and synonyms found by search, type and
family filters and facets, shops found by what they are and sell."""

from __future__ import annotations

import pytest

from tests.factories import make_product, make_shop
from tests.search.conftest import found, search_api


@pytest.fixture
def town(app):
    grocer = make_shop(name="Épicerie Léon", category="epicerie", description="")
    cheese = make_shop(name="Fromagerie Oberkampf", category="fromagerie", description="")
    books = make_shop(
        name="Le Chat Lecteur", category="librairie", description="", specialities="jeunesse, BD"
    )
    other_books = make_shop(name="Librairie Voltaire", category="librairie", description="")
    wine = make_shop(
        name="Cave Martin", category="caviste", description="Vins de vignerons, tous bio."
    )
    make_shop(name="Cave du Marché", category="caviste", description="Grands crus.")
    make_product(grocer, "Spaghetti n°5", 180, category="Épicerie salée")
    make_product(grocer, "Coquillettes complètes", 160)
    make_product(grocer, "Muesli croustillant", 390)
    make_product(grocer, "Granola aux noix", 450)
    make_product(grocer, "Riz basmati", 290)
    make_product(cheese, "Crottin de Chavignol", 350)
    make_product(cheese, "Comté 18 mois", 990)
    make_product(books, "Le Petit Prince", 890, category="Jeunesse")
    make_product(other_books, "Madame Bovary", 790, category="Romans")
    make_product(wine, "Côtes du Rhône 2022", 1200)
    return {"grocer": grocer, "books": books, "other_books": other_books, "wine": wine}


def test_a_type_finds_products_whose_names_do_not_say_it(client, town):
    assert set(found(client, "pâtes")) == {"Spaghetti n°5", "Coquillettes complètes"}
    assert set(found(client, "pasta")) == {"Spaghetti n°5", "Coquillettes complètes"}
    assert {"Muesli croustillant", "Granola aux noix"} <= set(
        found(client, "céréales petit déjeuner")
    )
    assert found(client, "fromage de chèvre")[0] == "Crottin de Chavignol"
    assert "Crottin de Chavignol" in found(client, "goat's cheese")


def test_a_kind_of_product_does_not_find_its_siblings(client, town):
    # "spaghetti" is a kind of pâtes, not a synonym: coquillettes are not spaghetti.
    assert found(client, "spaghetti") == ["Spaghetti n°5"]


def test_the_type_and_family_filters_keep_only_products_of_that_type(client, town):
    body = search_api(client, q="", type="pates")
    assert {r["name"] for r in body["results"]} == {"Spaghetti n°5", "Coquillettes complètes"}
    body = search_api(client, q="", family="epicerie-salee")
    assert {r["name"] for r in body["results"]} == {
        "Spaghetti n°5",
        "Coquillettes complètes",
        "Riz basmati",
    }
    assert found(client, "", type="pates", category="fromagerie") == []


def test_facets_count_families_and_types(client, town):
    facets = search_api(client, q="", family="epicerie-salee")["facets"]
    assert {(t["value"], t["count"]) for t in facets["type"]} == {("pates", 2), ("riz", 1)}
    assert facets["family"] == [{"value": "epicerie-salee", "label": "Épicerie salée", "count": 3}]
    english = client.get(
        "/api/v1/search", query_string={"type": "pates"}, headers={"Accept-Language": "en"}
    ).get_json()
    assert english["facets"]["type"][0]["label"] == "Pasta"


def test_an_unknown_type_is_refused_with_a_message(client, town):
    response = client.get("/api/v1/search", query_string={"type": "nope"})
    assert response.status_code == 400
    assert "type" in response.get_json()["errors"]
    page = client.get("/search", query_string={"q": "riz", "type": "nope"})
    assert page.status_code == 400
    assert "Riz basmati" in page.get_data(as_text=True)


def test_the_page_shows_type_facets_as_links(client, town):
    html = client.get("/search", query_string={"q": "pâtes"}).get_data(as_text=True)
    assert "type=pates" in html
    assert "family=epicerie-salee" in html


def test_shops_are_found_by_what_they_are_and_sell(client, town):
    assert found(client, "librairie jeunesse")[0] == "Le Chat Lecteur"
    # In English the children's books it sells match too: the shop is among the first answers.
    assert "Le Chat Lecteur" in found(client, "children's bookshop")[:3]
    assert found(client, "caviste bio")[0] == "Cave Martin"
    assert found(client, "organic wine shop")[0] == "Cave Martin"
