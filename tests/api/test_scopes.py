"""Token scopes and expiry: a token does only what it was given, and stops on its date."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from marketplace.api.models import ApiToken
from marketplace.api.tokens import issue_token
from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.orders.models import Order
from marketplace.orders.status import CONFIRMED
from tests.api.conftest import bearer
from tests.orders.helpers import make_order


def _token(shop, *scopes, expires_at=None) -> dict:
    _row, secret = issue_token(shop, shop.owner, "Caisse", scopes, expires_at)
    db.session.commit()
    return bearer(secret)


def test_a_reading_token_cannot_change_the_catalogue(app, client, bakery):
    reader = _token(bakery, "catalogue:read")
    assert client.get("/api/v1/merchant/products", headers=reader).status_code == 200
    refused = client.post(
        "/api/v1/merchant/products", json={"name": "Flan", "price_cents": 300}, headers=reader
    )
    assert refused.status_code == 403 and refused.mimetype == "application/problem+json"
    assert refused.get_json()["code"] == "insufficient-scope"
    assert 'scope="catalogue:write"' in refused.headers["WWW-Authenticate"]
    assert client.get("/api/v1/merchant/orders", headers=reader).status_code == 403


def test_without_manage_orders_a_token_cannot_cancel(app, client):
    order = make_order(CONFIRMED)
    reader = _token(order.shop, "orders:read", "catalogue:write")
    path = f"/api/v1/merchant/orders/{order.id}"
    assert client.get(path, headers=reader).status_code == 200
    body = {"status": "cancelled", "reason": "Rupture"}
    refused = client.post(f"{path}/status", json=body, headers=reader)
    assert refused.status_code == 403 and refused.get_json()["code"] == "insufficient-scope"
    db.session.expire_all()
    assert db.session.get(Order, order.id).status == CONFIRMED
    manager = _token(order.shop, "orders:manage")
    assert client.post(f"{path}/status", json=body, headers=manager).status_code == 200


def test_an_expired_token_is_refused(app, client, bakery):
    past = _token(bakery, "catalogue:read", expires_at=utcnow() - timedelta(seconds=1))
    future = _token(bakery, "catalogue:read", expires_at=utcnow() + timedelta(days=1))
    assert client.get("/api/v1/merchant/shop", headers=past).status_code == 401
    assert client.get("/api/v1/merchant/shop", headers=future).status_code == 200
    expired = db.session.scalars(select(ApiToken).order_by(ApiToken.id)).first()
    assert not expired.is_active
