"""GET /api/v1/search serialises an answer once per answer and language (issue 20): the same
search gives the same bytes, each language its own facet labels, and a change shows at once."""

from __future__ import annotations

from marketplace.extensions import db
from search.params import parse_params
from search.service import run_search
from shops import catalogue
from tests.factories import make_product, make_shop


def api(client, language: str = "fr", **params) -> bytes:
    """The raw body of an API search, in `language`."""
    answer = client.get(
        "/api/v1/search", query_string=params, headers={"Accept-Language": language}
    )
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    return answer.data


def test_the_same_search_is_serialised_once_and_each_language_gets_its_labels(app, client):
    shop = make_shop(name="Fromagerie Oberkampf", category="fromagerie")
    make_product(shop, "Comté 24 mois", 1250, stock=3)

    french = api(client, q="comte")
    again = api(client, q="comte")
    english = api(client, "en", q="comte")

    assert again == french
    assert french.startswith(b'{"facets":{')  # as jsonify writes it: sorted keys, compact
    assert b"Comt\\u00e9 24 mois" in french or "Comté 24 mois".encode() in french
    assert english != french  # the facets' labels: "Fromagerie" / "Cheese shop"...
    with app.test_request_context("/api/v1/search?q=comte"):
        answer = run_search(parse_params({"q": "comte"})[0])  # the answer kept this minute
        assert set(answer.__dict__["_api_bodies"]) == {"fr", "en"}


def test_a_change_shows_in_the_next_api_answer(app, client):
    shop = make_shop(name="Fromagerie Oberkampf", category="fromagerie")
    product = make_product(shop, "Brie de Meaux", 900)
    before = client.get("/api/v1/search?q=brie").get_json()
    catalogue.update_product(product, {"price_cents": 450})
    db.session.commit()

    after = client.get("/api/v1/search?q=brie").get_json()

    assert [r["price_cents"] for r in before["results"]] == [900]
    assert [r["price_cents"] for r in after["results"]] == [450]
