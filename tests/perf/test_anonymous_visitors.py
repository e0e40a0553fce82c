"""A visitor who only looks costs no session: no cookie is set, and the page may be shared."""

from __future__ import annotations

import pytest

from tests.conftest import CSRF_RE
from tests.factories import login, make_product, make_shop, make_user


@pytest.fixture
def bread(app):
    return make_product(make_shop(name="Boulangerie Visite"), "Baguette", 120, stock=5)


def browse_pages(product) -> list[str]:
    shop = product.shop
    return [
        "/",
        "/shops",
        f"/shops?category={shop.category}",
        f"/shops/{shop.slug}",
        f"/shops/{shop.slug}/products/{product.id}-{product.slug}",
        "/search?q=baguette",
        "/map",
    ]


def test_browsing_sets_no_cookie_and_the_pages_may_be_shared(app, bread):
    client = app.test_client()
    for url in browse_pages(bread):
        for _ in range(2):  # rendered, then (shop and product pages) from the cache
            response = client.get(url)
            assert response.status_code == 200, url
            assert "Set-Cookie" not in response.headers, url
            assert response.headers["Cache-Control"] == "public, no-cache", url
            assert response.headers["X-Accel-Expires"] == "1", url
            assert {"Cookie", "Accept-Language"} <= set(response.vary), url
    assert not client.get_cookie("session")


def test_the_language_link_is_the_first_thing_that_sets_a_cookie(app, bread):
    client = app.test_client()
    assert client.get("/lang/en?next=/shops").headers["Location"] == "/shops"
    assert client.get_cookie("session")
    page = client.get("/shops")
    assert '<html lang="en">' in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "private, no-cache"  # not for nginx to share


def test_people_with_a_session_get_private_pages(app, bread):
    client = app.test_client()
    login(client, make_user())
    for url in browse_pages(bread):
        response = client.get(url)
        assert response.headers["Cache-Control"] == "private, no-cache", url
        assert "X-Accel-Expires" not in response.headers, url


def test_a_new_visitor_adds_to_the_cart_and_then_has_a_session(app, bread):
    client = app.test_client()
    page = client.get(f"/shops/{bread.shop.slug}").get_data(as_text=True)
    token = CSRF_RE.search(page)
    added = client.post(
        "/cart/add",
        data={"csrf_token": token.group(1) or token.group(2), "product_id": bread.id},
        headers={"Origin": "http://localhost"},
    )
    assert added.status_code == 303 and "Set-Cookie" in added.headers
    cart = client.get("/cart/")
    assert "Baguette" in cart.get_data(as_text=True)
