"""A first look: a published product is found right after the commit that created it."""

from tests.factories import make_product, make_shop
from tests.search.conftest import found, search_api


def test_product_found_after_creation(app, client):
    shop = make_shop(name="Fromagerie Oberkampf", category="fromagerie")
    make_product(shop, "Fromage de chèvre frais", 450)
    make_product(shop, "Comté 18 mois", 890)
    assert found(client, "chevre") == ["Fromage de chèvre frais"]
    body = search_api(client, q="fromagerie")
    assert body["results"][0] == {
        "type": "shop",
        "id": shop.id,
        "name": "Fromagerie Oberkampf",
        "url": f"/shops/{shop.slug}",
        "sku": None,
        "price_cents": None,
        "shop": {"slug": shop.slug, "name": "Fromagerie Oberkampf"},
        "distance_km": None,
        "highlight": "<mark>Fromagerie</mark> Oberkampf",
    }
    assert set(body) == {"query", "total", "page", "per_page", "results", "facets", "suggestion"}
