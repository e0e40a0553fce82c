"""The public API: only what the public may see, strict parameters, pages, ETags, one error format."""

from __future__ import annotations

from marketplace.extensions import db
from tests.factories import make_product, make_shop


def test_only_published_shops_and_products_on_sale_are_listed(app, client, bakery):
    make_shop(name="Brouillon", published=False)
    make_shop(name="Suspendue", status="suspended")
    hidden = make_product(bakery, "Éclair caché", 250)
    hidden.hidden_reason = "Photo trompeuse"
    off = make_product(bakery, "Galette (janvier)", 1800, is_active=False)
    db.session.commit()

    shops = client.get("/api/v1/shops").get_json()
    assert [s["slug"] for s in shops["items"]] == [bakery.slug]
    assert client.get("/api/v1/shops/brouillon").status_code == 404
    assert client.get("/api/v1/shops/suspendue/products").status_code == 404
    names = [
        p["name"] for p in client.get(f"/api/v1/shops/{bakery.slug}/products").get_json()["items"]
    ]
    assert sorted(names) == ["Baguette tradition", "Croissant", "Pain de seigle"]
    for product in (hidden, off):
        response = client.get(f"/api/v1/products/{product.id}")
        assert response.status_code == 404
        assert response.get_json()["code"] == "not-found"


def test_no_personal_data_nor_hashes_in_public_answers(app, client, bakery):
    bodies = [
        client.get(path).get_data(as_text=True)
        for path in (
            "/api/v1/shops",
            f"/api/v1/shops/{bakery.slug}",
            f"/api/v1/shops/{bakery.slug}/products",
            "/api/v1/categories",
            "/api/v1/search?q=baguette",
        )
    ]
    owner = bakery.owner
    for body in bodies:
        assert owner.email not in body
        assert owner.password_hash not in body
        assert "owner" not in body and "password" not in body and "token" not in body


def test_filters_and_distance(app, client, bakery):
    far = make_shop(
        name="Fromagerie Lointaine",
        category="fromagerie",
        postcode="75020",
        lat=48.8566,
        lon=2.3990,
    )
    assert [
        s["slug"] for s in client.get("/api/v1/shops?category=fromagerie").get_json()["items"]
    ] == [far.slug]
    assert [s["slug"] for s in client.get("/api/v1/shops?postcode=75011").get_json()["items"]] == [
        bakery.slug
    ]
    near = client.get("/api/v1/shops?near=48.8650,2.3780&radius_km=0.5").get_json()["items"]
    assert [s["slug"] for s in near] == [bakery.slug] and near[0]["distance_km"] < 0.01
    wide = client.get("/api/v1/shops?near=48.8650,2.3780&radius_km=5").get_json()["items"]
    assert [s["slug"] for s in wide] == [bakery.slug, far.slug]


def test_pages_have_link_headers_and_a_ceiling(app, client, bakery):
    for i in range(5):
        make_product(bakery, f"Pain {i}", 200 + i)
    response = client.get(f"/api/v1/shops/{bakery.slug}/products?page=2&per_page=3")
    body = response.get_json()
    assert (body["page"], body["per_page"], body["total"], len(body["items"])) == (2, 3, 8, 3)
    link = response.headers["Link"]
    assert f'</api/v1/shops/{bakery.slug}/products?page=3&per_page=3>; rel="next"' in link
    assert 'page=1&per_page=3>; rel="prev"' in link and 'page=3&per_page=3>; rel="last"' in link
    too_many = client.get("/api/v1/shops?per_page=101")
    assert too_many.status_code == 400 and "per_page" in too_many.get_json()["errors"]


def test_unknown_repeated_and_loose_parameters_are_refused(app, client, bakery):
    for query, field in [
        ("categry=boulangerie", "categry"),
        ("page=1&page=2", "page"),
        ("page=1.5", "page"),
        ("page=+1", "page"),
        ("page=%201", "page"),
        ("per_page=1e2", "per_page"),
        ("open_now=maybe", "open_now"),
        ("near=91,2", "near"),
        ("category=inconnue", "category"),
    ]:
        response = client.get(f"/api/v1/shops?{query}")
        assert response.status_code == 400, query
        assert field in response.get_json()["errors"], query
    assert client.get("/api/v1/categories?x=1").status_code == 400
    assert client.get("/api/v1/search?qq=pain").status_code == 400


def test_etag_answers_304_until_something_changes(app, client, bakery):
    first = client.get(f"/api/v1/shops/{bakery.slug}")
    etag = first.headers["ETag"]
    again = client.get(f"/api/v1/shops/{bakery.slug}", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    bakery.description = "Nouveau four à bois."
    db.session.commit()
    changed = client.get(f"/api/v1/shops/{bakery.slug}", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_wrong_method_is_405_with_allow_in_the_error_format(app, client, bakery):
    response = client.delete("/api/v1/shops")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert response.get_json()["status"] == 405


def test_categories_count_published_shops(app, client, bakery):
    make_shop(name="Brouillon", published=False)
    items = {c["code"]: c for c in client.get("/api/v1/categories").get_json()["items"]}
    assert items["boulangerie"]["shop_count"] == 1 and items["boulangerie"]["label_en"] == "Bakery"
