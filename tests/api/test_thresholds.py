"""The low-stock threshold through the API: read, written, validated, and alerting like the form."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.webhooks.models import PRODUCT_LOW_STOCK, WebhookDelivery
from marketplace.webhooks.services import register_endpoint
from shops.models import Product
from tests.api.conftest import bearer
from tests.conftest import outbox

PRODUCTS = "/api/v1/merchant/products"


def _baguette() -> Product:
    db.session.expire_all()
    return db.session.scalar(select(Product).where(Product.sku == "BAG-1"))


def low_stock_mails(app) -> list[str]:
    return [m for m in outbox(app) if "Subject: Low stock" in m or "Stock bas" in m]


def test_the_threshold_is_read_and_written_by_the_shop_only(app, client, bakery, bakery_token):
    auth = bearer(bakery_token)
    body = {"name": "Flan", "price_cents": 350, "stock": 12, "low_stock_threshold": 4}

    created = client.post(PRODUCTS, json=body, headers=auth)

    assert created.status_code == 201
    flan = created.get_json()
    assert flan["low_stock_threshold"] == 4
    path = f"{PRODUCTS}/{flan['id']}"
    assert client.get(path, headers=auth).get_json()["low_stock_threshold"] == 4
    # Another field's change keeps it; null turns the alert off.
    assert client.patch(path, json={"stock": 11}, headers=auth).get_json()[
        "low_stock_threshold"
    ] == (4)
    off = client.patch(path, json={"low_stock_threshold": None}, headers=auth)
    assert off.status_code == 200 and off.get_json()["low_stock_threshold"] is None
    assert db.session.get(Product, flan["id"]).low_stock_threshold is None
    # A product created without one has none; the public never reads it.
    plain = client.post(PRODUCTS, json={"name": "Tarte", "price_cents": 900}, headers=auth)
    assert plain.get_json()["low_stock_threshold"] is None
    assert "low_stock_threshold" not in client.get(f"/api/v1/products/{flan['id']}").get_json()
    listed = client.get(PRODUCTS, headers=auth).get_json()["items"]
    assert {p["name"]: p["low_stock_threshold"] for p in listed}["Flan"] is None


@pytest.mark.parametrize("value", [-1, "3", 2.5, True, 1_000_001, [3]])
def test_a_threshold_that_is_not_a_count_is_a_translated_problem(
    app, client, bakery, bakery_token, value
):
    path = f"{PRODUCTS}/{_baguette().id}"
    for language, message in (
        ("en", "Alert threshold: a whole number of units from 0, or null for no alert."),
        (
            "fr",
            "Seuil d'alerte\u202f: un nombre entier d'unités à partir de 0, "
            "ou null pour ne pas être alerté.",
        ),
    ):
        headers = {**bearer(bakery_token), "Accept-Language": language}
        answer = client.patch(path, json={"low_stock_threshold": value}, headers=headers)

        assert answer.status_code == 400
        assert answer.mimetype == "application/problem+json"
        problem = answer.get_json()
        assert problem["code"] == "invalid-body"
        assert problem["errors"] == {"low_stock_threshold": [message]}
    assert _baguette().low_stock_threshold is None
    created = client.post(
        PRODUCTS,
        json={"name": "Flan", "price_cents": 350, "low_stock_threshold": value},
        headers=bearer(bakery_token),
    )
    assert created.status_code == 400 and "low_stock_threshold" in created.get_json()["errors"]


def test_a_threshold_change_is_a_new_version_for_if_match(app, client, bakery, bakery_token):
    auth = bearer(bakery_token)
    path = f"{PRODUCTS}/{_baguette().id}"
    etag = client.get(path, headers=auth).headers["ETag"]

    changed = client.patch(
        path, json={"low_stock_threshold": 5}, headers={**auth, "If-Match": etag}
    )
    assert changed.status_code == 200 and changed.headers["ETag"] != etag

    stale = client.patch(path, json={"low_stock_threshold": 0}, headers={**auth, "If-Match": etag})
    assert stale.status_code == 412 and stale.headers["ETag"] == changed.headers["ETag"]
    # A body that breaks the contract is a 400 whatever If-Match says.
    wrong = client.patch(path, json={"low_stock_threshold": -1}, headers={**auth, "If-Match": etag})
    assert wrong.status_code == 400 and "low_stock_threshold" in wrong.get_json()["errors"]
    assert _baguette().low_stock_threshold == 5


def test_an_api_write_across_the_threshold_alerts_once_like_a_sale(
    app, client, bakery, bakery_token
):
    bakery.owner.locale = "en"
    register_endpoint(bakery, "http://127.0.0.1:9/till", [PRODUCT_LOW_STOCK], allow_local=True)
    db.session.commit()
    auth = bearer(bakery_token)
    path = f"{PRODUCTS}/{_baguette().id}"  # 40 in stock

    assert client.patch(path, json={"low_stock_threshold": 10}, headers=auth).status_code == 200
    assert low_stock_mails(app) == []  # 40 > 10: nothing to say

    assert client.patch(path, json={"stock": 10}, headers=auth).status_code == 200
    [mail] = low_stock_mails(app)
    assert "Subject: Low stock: Baguette tradition" in mail
    assert "Baguette tradition: 10 left (your alert threshold: 10)" in mail
    deliveries = db.session.scalars(select(WebhookDelivery)).all()
    assert [d.event_type for d in deliveries] == [PRODUCT_LOW_STOCK]

    client.patch(path, json={"stock": 9}, headers=auth)  # still low: no second alert
    assert len(low_stock_mails(app)) == 1
    client.patch(path, json={"stock": 30}, headers=auth)  # restocked: armed again
    # Raising the threshold to the stock is a crossing too.
    assert client.patch(path, json={"low_stock_threshold": 30}, headers=auth).status_code == 200
    assert len(low_stock_mails(app)) == 2
    assert _baguette().low_stock_alerted_at is not None
