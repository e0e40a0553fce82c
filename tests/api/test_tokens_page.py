"""The shop dashboard's API tokens page: shown once, stored hashed, revocable, CSRF-protected."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from marketplace.accounts.models import SHOPKEEPER
from marketplace.api.models import ApiToken
from marketplace.api.tokens import hash_token
from marketplace.extensions import db
from tests.api.conftest import bearer
from tests.conftest import csrf_token, page_text, post_form
from tests.factories import login, make_shop, make_user

TOKEN_RE = re.compile(r'id="new-token">(vtr_[A-Za-z0-9_-]+)<')


def test_create_use_and_revoke_a_token_from_the_dashboard(app, client, bakery):
    login(client, bakery.owner)
    page = f"/merchant/shops/{bakery.slug}/api-tokens/"
    form = {"name": "Caisse du comptoir", "scopes": ["catalogue:read", "orders:manage"]}
    created = post_form(client, page, {**form, "expires_in": "30"})
    assert created.status_code == 201 and created.headers["Cache-Control"] == "no-store"
    secret = TOKEN_RE.search(created.get_data(as_text=True)).group(1)
    stored = db.session.scalar(select(ApiToken))
    assert stored.token_hash == hash_token(secret) and secret not in stored.token_hash
    assert stored.scope_list == ["catalogue:read", "orders:manage"]
    assert timedelta(days=29) < stored.expires_at - stored.created_at <= timedelta(days=30)
    listing = client.get(page).get_data(as_text=True)
    assert secret not in listing and "Caisse du comptoir" in listing and stored.prefix in listing

    assert client.get("/api/v1/merchant/shop", headers=bearer(secret)).status_code == 200
    revoked = post_form(client, f"{page}{stored.id}/revoke", token_from=page)
    assert revoked.status_code == 303
    assert client.get("/api/v1/merchant/shop", headers=bearer(secret)).status_code == 401


def test_a_token_needs_a_permission_and_may_never_expire(app, client, bakery):
    login(client, bakery.owner)
    page = f"/merchant/shops/{bakery.slug}/api-tokens/"
    refused = post_form(client, page, {"name": "Sans droit"})
    assert refused.status_code == 400 and "Choisissez au moins une permission" in page_text(refused)
    assert db.session.scalar(select(ApiToken)) is None
    created = post_form(client, page, {"name": "Stock", "scopes": ["catalogue:write"]})
    assert created.status_code == 201
    stored = db.session.scalar(select(ApiToken))
    assert stored.scopes == "catalogue:write" and stored.expires_at is None


def test_token_forms_need_their_csrf_token(app, client, bakery):
    login(client, bakery.owner)
    page = f"/merchant/shops/{bakery.slug}/api-tokens/"
    assert client.post(page, data={"name": "Sans jeton"}).status_code == 400
    assert db.session.scalar(select(ApiToken)) is None


def test_another_shopkeeper_sees_nothing(app, client, bakery, bakery_token):
    intruder = make_user("intrus@example.org", SHOPKEEPER, "Ivan")
    make_shop(owner=intruder, name="Autre boutique")
    login(client, intruder)
    page = f"/merchant/shops/{bakery.slug}/api-tokens/"
    assert client.get(page).status_code == 404
    token = db.session.scalar(select(ApiToken))
    own_page = "/merchant/shops/autre-boutique/api-tokens/"
    response = client.post(
        f"{page}{token.id}/revoke", data={"csrf_token": csrf_token(client, own_page)}
    )
    assert response.status_code == 404
    assert client.get("/api/v1/merchant/shop", headers=bearer(bakery_token)).status_code == 200
