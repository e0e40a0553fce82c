"""What residents type and what they get back: analysis, ranking, filters, sorts, facets."""

from __future__ import annotations

import pytest

from search.analysis import content_words, fold, french_analyzer
from tests.factories import make_product, make_shop
from tests.search.conftest import found, search_api


def test_folding_handles_accents_and_ligatures():
    assert fold("Œufs Crème Brûlée Æbleskiver") == "oeufs creme brulee aebleskiver"
    assert content_words("l'abricot d'Auvergne qu'il aime") == ["abricot", "auvergne", "aime"]


def test_the_french_analyser_keeps_the_thé_and_drops_french_stop_words():
    tokens = [t.text for t in french_analyzer()("Le thé de la maison")]
    assert tokens == ["the", "maison"]


@pytest.fixture
def market(app):
    bakery = make_shop(name="Boulangerie du Marché", category="boulangerie", description="")
    cheese = make_shop(
        name="Fromagerie Oberkampf", category="fromagerie", description="Affineur.", featured=True
    )
    far = make_shop(
        name="Épicerie de Montmartre",
        category="epicerie",
        description="Épicerie fine.",
        postcode="75018",
        lat=48.886,
        lon=2.340,
    )
    make_product(bakery, "Pain au levain", 450, description="Farine bio, levain naturel.")
    make_product(bakery, "Pains aux raisins", 180)
    make_product(bakery, "Baguette tradition", 130)
    make_product(cheese, "Sauce au roquefort", 590)
    make_product(cheese, "Saucisse de Morteau", 990)
    make_product(cheese, "Fromage de chèvre frais", 450, stock=0)
    make_product(far, "Pâtes fraîches", 350)
    make_product(far, "Pâté de campagne", 600)
    make_product(far, "Thé vert sencha", 650)
    return {"bakery": bakery, "cheese": cheese, "far": far}


def test_exact_words_rank_above_their_stemmed_cousins(app, client, market):
    assert found(client, "sauce")[0] == "Sauce au roquefort"
    assert found(client, "saucisse")[0] == "Saucisse de Morteau"
    assert found(client, "pâté")[0] == "Pâté de campagne"


def test_plurals_accents_elisions_and_english(app, client, market):
    assert "Pain au levain" in found(client, "pains")
    assert found(client, "chevre") == ["Fromage de chèvre frais"]
    assert found(client, "the vert") == ["Thé vert sencha"]
    assert "Thé vert sencha" in found(client, "green tea")
    assert found(client, "l'levain")[0] == "Pain au levain"
    assert "Fromage de chèvre frais" in found(client, "goat cheese")


def test_every_word_first_then_the_page_is_filled_with_partial_matches(app, client, market):
    # "Pains aux raisins" lacks "levain": it comes after the document holding every word, with
    # the baguette, whose product type is bread ("pain").
    first, *partial = found(client, "pain levain")
    assert first == "Pain au levain"
    assert set(partial) == {"Pains aux raisins", "Baguette tradition"}
    assert search_api(client, q="pain levain")["total"] == 3
    either = found(client, "levain sencha")
    assert set(either) == {"Pain au levain", "Thé vert sencha"}


def test_typos_are_forgiven_and_a_correction_is_suggested(app, client, market):
    body = search_api(client, q="boulangrie")
    assert body["results"][0]["name"] == "Boulangerie du Marché"
    assert body["suggestion"] == "boulangerie"
    assert found(client, "fromge")[0] == "Fromage de chèvre frais"
    assert search_api(client, q="pain")["suggestion"] is None


def test_quoted_phrases_keep_their_word_order(app, client, market):
    assert found(client, '"pain au levain"') == ["Pain au levain"]
    # No name holds the phrase: its words, every word first.
    assert found(client, '"levain pain"')[0] == "Pain au levain"


def test_filters(app, client, market):
    assert found(client, "", category="fromagerie", sort="price_asc") == [
        "Fromage de chèvre frais",
        "Sauce au roquefort",
        "Saucisse de Morteau",
        "Fromagerie Oberkampf",
    ]
    assert found(client, "fromage", in_stock="1") == []
    assert found(client, "", min_price="5", max_price="6", sort="price_asc") == [
        "Sauce au roquefort",
        "Pâté de campagne",
    ]
    assert found(client, "", shop=market["far"].slug, sort="price_desc")[0] == "Thé vert sencha"
    assert set(found(client, "", postcode="75018")) == {
        "Épicerie de Montmartre",
        "Pâtes fraîches",
        "Pâté de campagne",
        "Thé vert sencha",
    }
    near = search_api(client, near="48.8865,2.3405", radius_km="1", sort="distance")
    assert {r["shop"]["name"] for r in near["results"]} == {"Épicerie de Montmartre"}
    assert 0 < near["results"][0]["distance_km"] < 1


def test_facets_count_what_matched(app, client, market):
    facets = search_api(client, q="pain")["facets"]
    # Two breads by name, and the baguette by its type "Pain" (issue 14).
    assert facets["category"] == [
        {"value": "boulangerie", "label": "Boulangerie - pâtisserie", "count": 3}
    ]
    assert facets["shop"][0]["value"] == market["bakery"].slug
    assert [(p["value"], p["count"]) for p in facets["price"]] == [("0-5", 3)]
    assert facets["in_stock"][0]["count"] == 3


def test_pagination(app, client, market):
    first = search_api(client, q="", sort="price_asc", per_page=4)
    second = search_api(client, q="", sort="price_asc", per_page=4, page=2)
    assert first["total"] == second["total"] == 12
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}


def test_highlights_are_escaped_with_marks(app, client, market):
    make_product(market["bakery"], "Pain <b>spécial</b>", 300)
    [result] = search_api(client, q="special")["results"]
    assert result["highlight"] == "Pain &lt;b&gt;<mark>spécial</mark>&lt;/b&gt;"


def test_bad_parameters_are_a_400_with_details(app, client):
    response = client.get("/api/v1/search?min_price=abc&sort=distance&page=0&category=x")
    assert response.status_code == 400
    problem = response.get_json()
    assert problem["status"] == 400
    assert set(problem["errors"]) == {"min_price", "sort", "page", "category"}


def test_a_digit_python_cannot_count_is_a_400_not_a_500(app, client):
    # "²" is a digit to str.isdigit() but not a number to int().
    for name in ("page", "per_page"):
        response = client.get("/api/v1/search", query_string={name: "²"})
        assert response.status_code == 400
        assert set(response.get_json()["errors"]) == {name}
        assert client.get("/search", query_string={"q": "pain", name: "²"}).status_code == 400


def test_autocomplete(app, client, market):
    body = client.get("/search/suggest?q=bou").get_json()
    kinds = [(s["type"], s["label"]) for s in body["suggestions"]]
    assert ("category", "Boulangerie - pâtisserie") in kinds
    assert ("shop", "Boulangerie du Marché") in kinds
    body = client.get("/search/suggest?q=pain au lev").get_json()
    assert [s["label"] for s in body["suggestions"]] == ["Pain au levain"]
    assert body["suggestions"][0]["url"].startswith(f"/shops/{market['bakery'].slug}/products/")
    assert len(client.get("/search/suggest?q=p").get_json()["suggestions"]) <= 8
