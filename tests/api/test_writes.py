"""Safe writes: ETags on single resources, If-Match refusing a stale change, DELETE archiving."""

from __future__ import annotations

from sqlalchemy import select

from marketplace.extensions import db
from shops.models import Product
from tests.api.conftest import bearer


def _baguette():
    return db.session.scalar(select(Product).where(Product.sku == "BAG-1"))


def test_a_stale_if_match_is_a_412_and_changes_nothing(app, client, bakery, bakery_token):
    auth = bearer(bakery_token)
    path = f"/api/v1/merchant/products/{_baguette().id}"
    read = client.get(path, headers=auth)
    etag = read.headers["ETag"]
    assert client.get(path, headers={**auth, "If-None-Match": etag}).status_code == 304
    changed = client.patch(path, json={"stock": 39}, headers={**auth, "If-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    stale = client.patch(path, json={"stock": 1}, headers={**auth, "If-Match": etag})
    assert stale.status_code == 412 and stale.get_json()["code"] == "precondition-failed"
    assert stale.headers["ETag"] == changed.headers["ETag"]
    db.session.expire_all()
    assert _baguette().stock == 39
    # Without If-Match a write goes ahead (documented in docs/api.md).
    assert client.patch(path, json={"stock": 2}, headers=auth).status_code == 200


def test_a_stale_if_match_cannot_cancel_an_order(app, client):
    from marketplace.orders.status import CONFIRMED
    from tests.api.conftest import make_token
    from tests.orders.helpers import make_order

    order = make_order(CONFIRMED)
    auth = bearer(make_token(order.shop))
    path = f"/api/v1/merchant/orders/{order.id}"
    etag = client.get(path, headers=auth).headers["ETag"]
    assert client.post(f"{path}/status", json={"status": "ready"}, headers=auth).status_code == 200
    cancel = {"status": "cancelled", "reason": "Rupture"}
    stale = client.post(f"{path}/status", json=cancel, headers={**auth, "If-Match": etag})
    assert stale.status_code == 412
    assert client.get(path, headers=auth).get_json()["status"] == "ready"


def test_delete_archives_the_product(app, client, bakery, bakery_token):
    auth = bearer(bakery_token)
    baguette = _baguette()
    assert client.get(f"/api/v1/products/{baguette.id}").status_code == 200
    assert client.get("/api/v1/search?q=baguette").get_json()["total"] == 1
    archived = client.delete(f"/api/v1/merchant/products/{baguette.id}", headers=auth)
    assert archived.status_code == 200 and archived.get_json()["archived"] is True
    assert client.get(f"/api/v1/products/{baguette.id}").status_code == 404
    assert client.get("/api/v1/search?q=baguette").get_json()["total"] == 0
    listed = client.get("/api/v1/merchant/products?sku=BAG-1", headers=auth).get_json()["items"]
    assert [(p["sku"], p["archived"], p["active"]) for p in listed] == [("BAG-1", True, False)]
