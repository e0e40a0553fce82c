"""A form posted from another site (no CSRF token, or someone else's) is refused and changes nothing."""

import io

import pytest
from sqlalchemy import func, select

from marketplace.accounts.models import SHOPKEEPER, User
from marketplace.extensions import db
from shops.models import Product, Shop
from tests.conftest import csrf_token, page_text
from tests.factories import (
    PASSWORD,
    login,
    make_shop,
    make_user,
    product_form_data,
    shop_form_data,
)

REFUSED = "Your form expired or was not sent from this site. Please try again."


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def bob_shop(app):
    return make_shop(make_user("bob@example.org", SHOPKEEPER, "Bob"), "Épicerie de Bob")


def forms(shop):
    """(who is logged in, path, form data) for forms of every kind."""
    products = f"/merchant/shops/{shop.slug}/products"
    return {
        "login": (None, "/account/login", {"email": "bob@example.org", "password": PASSWORD}),
        "register": (
            None,
            "/account/register",
            {
                "name": "Eve",
                "email": "eve@example.org",
                "password": "un mot de passe solide",
                "confirm": "un mot de passe solide",
            },
        ),
        "shop creation": (
            shop.owner,
            "/merchant/shops/new",
            shop_form_data(name="Boutique piégée"),
        ),
        "product creation": (
            shop.owner,
            f"{products}/new",
            product_form_data(name="Produit piégé"),
        ),
        "csv import": (
            shop.owner,
            f"{products}/import",
            {"file": (io.BytesIO(b"name;price\nProduit import\xc3\xa9;2,50\n"), "c.csv")},
        ),
        "language switch": (None, "/lang/en", {"next": "/"}),
    }


def state():
    return (count(User), count(Shop), count(Product))


@pytest.mark.parametrize(
    "form",
    ["login", "register", "shop creation", "product creation", "csv import", "language switch"],
)
@pytest.mark.parametrize("token", ["missing", "from another session"])
def test_a_form_without_a_valid_csrf_token_is_refused(app, client, bob_shop, form, token):
    user, path, data = forms(bob_shop)[form]
    if user is not None:
        login(client, user)
    before = state()
    if token == "from another session":
        data = {**data, "csrf_token": csrf_token(app.test_client())}
    response = client.post(path, data=data, headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert REFUSED in page_text(response)
    assert state() == before
    # Nobody got logged in or out, and the interface is still in French.
    assert (client.get("/account/settings").status_code == 200) is (user is not None)
    assert '<html lang="fr">' in client.get("/").get_data(as_text=True)


def test_the_same_forms_work_with_the_token(app, client, bob_shop):
    for name, (user, path, data) in forms(bob_shop).items():
        client = app.test_client()
        if user is not None:
            login(client, user)
        # Anonymous pages carry no token of the visitor's own (no session): the login form does.
        token = csrf_token(client, "/" if user is not None else "/account/login")
        response = client.post(path, data={**data, "csrf_token": token})
        assert response.status_code == 302, name
    assert db.session.scalar(select(Shop).where(Shop.name == "Boutique piégée")) is not None
    assert count(Product) == 2
    assert count(User) == 2
