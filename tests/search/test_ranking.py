"""Issue 14's ranking: coordination, negations, English as French, likelier corrections."""

from __future__ import annotations

import pytest

from tests.factories import make_product, make_shop
from tests.search.conftest import found, search_api


@pytest.fixture
def grocer(app):
    bakery = make_shop(name="Boulangerie du Marché", category="boulangerie", description="")
    shop = make_shop(name="Épicerie Oberkampf", category="epicerie", description="")
    for name in (
        "Pâtes complètes",
        "Pâtes aux œufs",
        "Riz complet",
        "Compote de pommes sans sucre ajouté",
        "Compote de pommes",
        "Confiture d'abricots sans sucre",
        "Sucre de canne",
        "Jambon blanc supérieur",
        "Jambon de Bayonne",
        "Chocolat blanc",
        "Jus d'orange",
        "Orange Carrot Juice smoothie",
        "Pain de la boulanerie",  # a misspelled product name
    ):
        make_product(shop, name, 300)
    make_product(bakery, "Baguette tradition", 130)
    return shop


def test_every_word_first_then_the_head_word_then_the_rest(app, client, grocer):
    # Today's AND found only "Pâtes complètes": a short page while partial matches exist.
    assert found(client, "pâtes complètes") == ["Pâtes complètes", "Pâtes aux œufs", "Riz complet"]
    assert found(client, "jambon blanc") == [
        "Jambon blanc supérieur",
        "Jambon de Bayonne",
        "Chocolat blanc",
    ]


def test_sans_binds_to_the_next_word(app, client, grocer):
    # "Sucre de canne" says sucre without "sans": it does not answer "sans sucre".
    assert found(client, "compote sans sucre") == [
        "Compote de pommes sans sucre ajouté",
        "Compote de pommes",
        "Confiture d'abricots sans sucre",
    ]
    assert found(client, "sugar free compote")[0] == "Compote de pommes sans sucre ajouté"


def test_an_english_query_scores_the_french_name_like_a_native_one(app, client, grocer):
    assert found(client, "orange juice")[0] == "Jus d'orange"
    assert found(client, "white ham")[0] == "Jambon blanc supérieur"
    assert found(client, "apple sauce without sugar")[0] == "Compote de pommes sans sucre ajouté"


def test_a_correction_prefers_the_frequent_word_over_a_rare_misspelling(app, client, grocer):
    # One edit from the misspelled product name, two from the bakery category's word.
    assert search_api(client, q="boulanerei")["suggestion"] == "boulangerie"
    # The misspelling itself is in one name: not enough to keep it when boulangerie is common.
    body = search_api(client, q="boulanerie")
    assert body["suggestion"] == "boulangerie"
    names = [r["name"] for r in body["results"]]
    assert {"Boulangerie du Marché", "Pain de la boulanerie"} <= set(names)


def test_suggestions_forgive_typos_and_name_the_shop_of_a_product(app, client, grocer):
    body = client.get("/search/suggest", query_string={"q": "boulng"}).get_json()
    assert body["suggestions"][0]["value"] == "boulangerie"
    products = client.get("/search/suggest", query_string={"q": "baguet"}).get_json()
    product = next(s for s in products["suggestions"] if s["type"] == "product")
    assert product["shop_name"] == "Boulangerie du Marché"
