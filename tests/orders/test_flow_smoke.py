"""A resident orders from two shops and collects: the whole click-and-collect story over HTTP."""

import re

from marketplace.extensions import db
from marketplace.orders.models import Order
from tests.conftest import csrf_token, outbox
from tests.factories import login, make_product, make_shop, make_user
from tests.orders.helpers import checkout_form


def test_two_shops_story(app, client):
    baker = make_shop(name="Boulangerie A")
    cheese = make_shop(name="Fromagerie B", category="fromagerie")
    bread = make_product(baker, "Baguette", 130, stock=10)
    brie = make_product(cheese, "Brie", 650, stock=5)
    resident = make_user("alice@example.org")
    token = csrf_token(client)
    for product in (bread, brie):
        r = client.post(
            "/cart/add", data={"csrf_token": token, "product_id": product.id, "quantity": 2}
        )
        assert r.status_code == 303
    login(client, resident)
    page = client.get("/checkout").get_data(as_text=True)
    keys = re.findall(r'name="(slot-\d+)"[^>]*>\s*<option value="([^"]+)"', page)
    assert len(keys) == 2, page[:3000]
    data = {**checkout_form(client), "method": "at_pickup"}
    data.update(dict(keys))
    r = client.post("/checkout", data=data)
    assert r.status_code == 303, r.get_data(as_text=True)[:2000]
    orders = db.session.scalars(db.select(Order).order_by(Order.id)).all()
    assert [o.status for o in orders] == ["confirmed", "confirmed"]
    assert len(outbox(app)) == 4
    db.session.refresh(bread)
    assert bread.stock == 8
    detail = client.get(f"/orders/{orders[0].id}")
    assert detail.status_code == 200 and orders[0].display_code in detail.get_data(as_text=True)
    for order in orders:
        shop_client = app.test_client()
        login(shop_client, order.shop.owner)
        board = shop_client.get(f"/merchant/shops/{order.shop.slug}/orders/")
        assert board.status_code == 200
        t = csrf_token(shop_client, f"/merchant/shops/{order.shop.slug}/orders/{order.id}")
        r = shop_client.post(
            f"/merchant/shops/{order.shop.slug}/orders/{order.id}/ready", data={"csrf_token": t}
        )
        assert r.status_code == 303
        r = shop_client.post(
            f"/merchant/shops/{order.shop.slug}/orders/{order.id}/collect",
            data={"csrf_token": t, "code": "WRONG1"},
        )
        assert r.status_code == 400
        r = shop_client.post(
            f"/merchant/shops/{order.shop.slug}/orders/{order.id}/collect",
            data={"csrf_token": t, "code": order.display_code.lower()},
        )
        assert r.status_code == 303
        db.session.refresh(order)
        assert order.status == "collected"
