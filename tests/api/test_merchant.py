"""The merchant API: one shop per token, the shared validation, all-or-nothing inventory, orders."""

from __future__ import annotations

import json

from sqlalchemy import select

from marketplace.api.models import ApiToken
from marketplace.orders.status import CONFIRMED, READY
from shops.models import Product
from tests.api.conftest import bearer, make_token
from tests.conftest import outbox
from tests.factories import make_product
from tests.orders.helpers import make_order


def _prices(shop) -> dict:
    from marketplace.extensions import db

    db.session.expire_all()
    return {
        p.sku: (p.price_cents, p.stock)
        for p in db.session.scalars(select(Product).where(Product.shop_id == shop.id))
    }


def test_a_token_cannot_read_or_change_another_shop(app, client, bakery, bakery_token):
    order = make_order(CONFIRMED)  # at "Fromagerie B", another owner
    other = make_product(order.shop, "Tomme", 900, sku="TOM-1")
    auth = bearer(bakery_token)
    assert client.get(f"/api/v1/merchant/products/{other.id}", headers=auth).status_code == 404
    assert (
        client.patch(
            f"/api/v1/merchant/products/{other.id}", json={"price_cents": 1}, headers=auth
        ).status_code
        == 404
    )
    assert client.delete(f"/api/v1/merchant/products/{other.id}", headers=auth).status_code == 404
    assert client.get(f"/api/v1/merchant/orders/{order.id}", headers=auth).status_code == 404
    status = client.post(
        f"/api/v1/merchant/orders/{order.id}/status", json={"status": "ready"}, headers=auth
    )
    assert status.status_code == 404
    bulk = client.post(
        "/api/v1/merchant/inventory", json={"items": [{"sku": "TOM-1", "stock": 0}]}, headers=auth
    )
    assert bulk.status_code == 422
    assert client.get("/api/v1/merchant/orders", headers=auth).get_json()["total"] == 0
    assert _prices(order.shop)["TOM-1"] == (900, None)


def test_no_token_a_bad_token_and_a_revoked_token_are_refused(app, client, bakery, bakery_token):
    assert client.get("/api/v1/merchant/products").status_code == 401
    bad = client.get("/api/v1/merchant/products", headers=bearer("vtr_nope"))
    assert bad.status_code == 401 and bad.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/api/v1/merchant/products", headers=bearer(bakery_token)).status_code == 200
    from marketplace.api.tokens import revoke_token
    from marketplace.extensions import db

    revoke_token(db.session.scalar(select(ApiToken)))
    db.session.commit()
    assert client.get("/api/v1/merchant/products", headers=bearer(bakery_token)).status_code == 401


def test_create_update_and_deactivate_a_product(app, client, bakery, bakery_token):
    auth = bearer(bakery_token)
    created = client.post(
        "/api/v1/merchant/products",
        json={"name": "Flan pâtissier", "price_cents": 350, "stock": 12, "sku": "FLAN-1"},
        headers=auth,
    )
    assert created.status_code == 201
    product = created.get_json()
    assert (product["price_cents"], product["stock"], product["active"]) == (350, 12, True)
    patched = client.patch(
        f"/api/v1/merchant/products/{product['id']}", json={"price_cents": 380}, headers=auth
    )
    assert patched.get_json()["price_cents"] == 380 and patched.get_json()["stock"] == 12
    gone = client.delete(f"/api/v1/merchant/products/{product['id']}", headers=auth)
    assert gone.status_code == 200 and gone.get_json()["active"] is False
    assert client.get(f"/api/v1/products/{product['id']}").status_code == 404
    taken = client.post(
        "/api/v1/merchant/products",
        json={"name": "Autre", "price_cents": 1, "sku": "BAG-1"},
        headers=auth,
    )
    assert taken.status_code == 409


def test_validation_names_each_field_and_is_strict_about_types(app, client, bakery, bakery_token):
    response = client.post(
        "/api/v1/merchant/products",
        json={
            "name": "",
            "price_cents": "3.50",
            "stock": True,
            "sku": "pas de blanc",
            "couleur": "rouge",
        },
        headers=bearer(bakery_token),
    )
    assert response.status_code == 400
    details = response.get_json()["errors"]
    assert set(details) == {"name", "price_cents", "stock", "sku", "couleur"}


def test_bulk_inventory_applies_all_or_nothing_and_names_the_bad_sku(
    app, client, bakery, bakery_token
):
    auth = bearer(bakery_token)
    before = _prices(bakery)
    rejected = client.post(
        "/api/v1/merchant/inventory",
        json={
            "items": [
                {"sku": "BAG-1", "stock": 10, "price_cents": 140},
                {"sku": "INCONNU-9", "stock": 3},
            ]
        },
        headers=auth,
    )
    assert rejected.status_code == 422
    [item] = rejected.get_json()["errors"]["items"]
    assert (item["index"], item["sku"]) == (1, "INCONNU-9")
    assert _prices(bakery) == before
    invalid = client.post(
        "/api/v1/merchant/inventory",
        json={"items": [{"sku": "BAG-1", "stock": 10}, {"sku": "CRO-1", "stock": -1}]},
        headers=auth,
    )
    assert invalid.status_code == 400 and "1" in invalid.get_json()["errors"]["items"]
    assert _prices(bakery) == before
    done = client.post(
        "/api/v1/merchant/inventory",
        json={
            "items": [
                {"sku": "BAG-1", "stock": 10, "price_cents": 140},
                {"sku": "CRO-1", "stock": None},
            ]
        },
        headers=auth,
    )
    assert done.status_code == 200 and done.get_json()["updated"] == 2
    assert _prices(bakery)["BAG-1"] == (140, 10)


def test_orders_follow_the_board_rules_and_hide_the_customer(app, client):
    order = make_order(CONFIRMED)
    token = make_token(order.shop)
    auth = bearer(token)
    listed = client.get("/api/v1/merchant/orders?status=confirmed", headers=auth)
    body = listed.get_data(as_text=True)
    assert listed.get_json()["total"] == 1
    assert order.customer.email not in body and order.customer.name not in body
    assert order.pickup_code not in body
    url = f"/api/v1/merchant/orders/{order.id}/status"
    early = client.post(
        url, json={"status": "collected", "pickup_code": order.pickup_code}, headers=auth
    )
    assert early.status_code == 409
    ready = client.post(url, json={"status": "ready"}, headers=auth)
    assert ready.status_code == 200 and ready.get_json()["status"] == READY
    assert any("Subject:" in m for m in outbox(app))  # the customer is told, as from the board
    wrong = client.post(url, json={"status": "collected", "pickup_code": "AAA111"}, headers=auth)
    assert wrong.status_code == 422 and "pickup_code" in wrong.get_json()["errors"]
    no_reason = client.post(url, json={"status": "cancelled"}, headers=auth)
    assert no_reason.status_code == 422
    collected = client.post(
        url, json={"status": "collected", "pickup_code": order.pickup_code}, headers=auth
    )
    assert collected.status_code == 200 and collected.get_json()["status"] == "collected"
    steps = [(e["from_status"], e["to_status"]) for e in collected.get_json()["events"]]
    assert steps[-2:] == [("confirmed", "ready"), ("ready", "collected")]


def test_the_token_records_its_last_use(app, client, bakery, bakery_token):
    from marketplace.extensions import db

    token = db.session.scalar(select(ApiToken))
    assert token.last_used_at is None
    client.get("/api/v1/merchant/shop", headers=bearer(bakery_token))
    db.session.expire_all()
    assert db.session.scalar(select(ApiToken)).last_used_at is not None


def test_text_that_no_column_can_store_is_a_400_not_a_crash(app, client, bakery, bakery_token):
    for name in ("\ud800", "a\x00b"):
        body = json.dumps({"name": name, "price_cents": 100})
        response = client.post(
            "/api/v1/merchant/products",
            data=body,
            content_type="application/json",
            headers=bearer(bakery_token),
        )
        assert response.status_code == 400
        assert "name" in response.get_json()["errors"]
