"""The visitors' CSRF token (pages for people without a session): accepted only from this site,
from someone not logged in, while fresh; and it never becomes anybody's own secret."""

from __future__ import annotations

import time

import pytest
from itsdangerous import TimestampSigner

from marketplace import anon_csrf
from marketplace.cart.storage import SESSION_KEY as CART_KEY
from tests.conftest import CSRF_RE
from tests.factories import login, make_product, make_shop, make_user

REFUSED = "Your form expired or was not sent from this site"


@pytest.fixture
def csrf_app(app):
    app.config["WTF_CSRF_ENABLED"] = True
    return app


@pytest.fixture
def bread(csrf_app):
    return make_product(make_shop(name="Boulangerie Jeton"), "Baguette", 120, stock=5)


def visitors_token(client, url: str) -> str:
    match = CSRF_RE.search(client.get(url).get_data(as_text=True))
    return match.group(1) or match.group(2)


def add(client, product, token: str, **headers):
    data = {"csrf_token": token, "product_id": product.id, "quantity": 1}
    return client.post("/cart/add", data=data, headers={"Accept-Language": "en", **headers})


def cart_of(client) -> dict:
    with client.session_transaction() as session:
        return dict(session.get(CART_KEY) or {})


def test_a_new_visitor_adds_to_the_cart_with_the_page_s_token(csrf_app, bread):
    client = csrf_app.test_client()
    token = visitors_token(client, f"/shops/{bread.shop.slug}")
    answer = add(client, bread, token, Origin="http://localhost")
    assert answer.status_code == 303
    assert cart_of(client)
    # Their session now holds a secret of their own, never the visitors' one.
    with client.session_transaction() as session:
        own = session["csrf_token"]
    with csrf_app.test_request_context():
        assert own != anon_csrf._visitor_secret()
    # A second add from the same page (add-in-place keeps the page) still works.
    assert add(client, bread, token).status_code == 303


@pytest.mark.parametrize(
    "source",
    [{"Origin": "https://evil.example"}, {"Origin": "null"}, {"Referer": "https://evil.example/x"}],
)
def test_the_visitors_token_sent_from_another_site_is_refused(csrf_app, bread, source):
    client = csrf_app.test_client()
    token = visitors_token(client, f"/shops/{bread.shop.slug}")
    answer = add(client, bread, token, **source)
    assert answer.status_code == 400 and REFUSED in answer.get_data(as_text=True)
    assert not cart_of(client)


def test_a_post_without_a_token_or_with_a_forged_one_is_refused(csrf_app, bread):
    client = csrf_app.test_client()
    for token in ("", "forged", visitors_token(client, "/") + "x"):
        answer = add(client, bread, token)
        assert answer.status_code == 400, token
    assert not cart_of(client)


def test_an_old_visitors_token_is_refused(csrf_app, bread):
    class LongAgo(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - (anon_csrf.VISITOR_TOKEN_HOURS + 1) * 3600

    with csrf_app.test_request_context():
        old = anon_csrf._serializer(LongAgo).dumps(anon_csrf._visitor_secret())
    client = csrf_app.test_client()
    assert add(client, bread, old).status_code == 400
    assert not cart_of(client)


def test_a_logged_in_person_is_never_offered_nor_accepted_the_visitors_token(csrf_app, bread):
    anonymous = csrf_app.test_client()
    token = visitors_token(anonymous, f"/shops/{bread.shop.slug}")
    client = csrf_app.test_client()
    login(client, make_user("rose@example.org", name="Rose"))
    assert visitors_token(client, f"/shops/{bread.shop.slug}") != token
    answer = client.post("/account/logout", data={"csrf_token": token})
    assert answer.status_code == 400
    assert client.get("/account/settings").status_code == 200  # still logged in
