"""Many residents check out at once: stock never oversold, a slot never over capacity."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.orders.checkout import CheckoutError, CheckoutRequest, place_checkout
from marketplace.orders.models import AT_PICKUP, Order
from marketplace.orders.slots import pickup_slots_for
from marketplace.orders.stock import OutOfStock
from tests.conftest import alerts, csrf_token
from tests.factories import login, make_product, make_shop, make_user
from tests.orders.helpers import (
    TZ,
    checkout_form,
    in_english,
    paris,
    run_together,
    set_hours,
    stock_of,
)

pytestmark = pytest.mark.slow  # threads; `make test-fast` leaves them out

NOW = paris(2026, 6, 1, 8)  # Monday morning


def checkout_one(customer_id: int, product_id: int, shop_id: int, slot, quantity: int = 1):
    """What one request does: place the checkout and commit; return the order id."""
    request = CheckoutRequest({product_id: quantity}, {shop_id: slot}, AT_PICKUP)
    checkout = place_checkout(customer_id, request, NOW, TZ)
    db.session.commit()
    return checkout.orders[0].id


def test_thirty_buyers_for_five_units_exactly_five_succeed(app):
    shop = make_shop(slot_capacity=100)
    cheese = make_product(shop, "Brie de Meaux", 650, stock=5)
    buyers = [make_user(f"buyer{i}@example.org").id for i in range(30)]
    ids = (cheese.id, shop.id, paris(2026, 6, 1, 10))
    db.session.commit()

    outcomes = run_together(app, 30, lambda i: checkout_one(buyers[i], *ids))

    won = [o for o in outcomes if isinstance(o, int)]
    lost = [o for o in outcomes if not isinstance(o, int)]
    assert len(won) == 5
    assert len(lost) == 25 and all(isinstance(o, OutOfStock) for o in lost), lost
    assert {o.product_id for o in lost} == {cheese.id}
    assert {o.name for o in lost} == {"Brie de Meaux"}  # the message names the product
    assert stock_of(cheese) == 0
    assert db.session.scalar(select(func.count()).select_from(Order)) == 5


def test_buyers_of_several_units_never_take_more_than_is_left(app):
    shop = make_shop(slot_capacity=100)
    cheese = make_product(shop, "Comté", 1200, stock=5)
    buyers = [make_user(f"buyer{i}@example.org").id for i in range(12)]
    ids = (cheese.id, shop.id, paris(2026, 6, 1, 10))
    db.session.commit()

    outcomes = run_together(app, 12, lambda i: checkout_one(buyers[i], *ids, quantity=2))

    assert sum(isinstance(o, int) for o in outcomes) == 2  # 2 + 2 = 4 units; 1 left
    assert all(isinstance(o, (int, OutOfStock)) for o in outcomes), outcomes
    assert stock_of(cheese) == 1


def test_the_last_place_in_a_slot_goes_to_one_buyer_only(app):
    shop = make_shop(slot_capacity=1)
    bread = make_product(shop, stock=None)
    buyers = [make_user(f"buyer{i}@example.org").id for i in range(2)]
    ids = (bread.id, shop.id, paris(2026, 6, 1, 10))
    db.session.commit()

    outcomes = run_together(app, 2, lambda i: checkout_one(buyers[i], *ids))

    assert sum(isinstance(o, int) for o in outcomes) == 1
    refused = [o for o in outcomes if not isinstance(o, int)]
    assert len(refused) == 1 and isinstance(refused[0], CheckoutError), refused
    assert refused[0].code == "slot_unavailable"
    taken = db.session.scalar(
        select(func.count()).where(Order.shop_id == shop.id, Order.pickup_starts_at == ids[2])
    )
    assert taken == 1


def test_late_buyers_over_http_are_told_there_is_not_enough_stock(app):
    shop = make_shop(name="Fromagerie B", slot_capacity=100, prep_minutes=0)
    set_hours(shop)  # open all day, every day: there is always a slot ahead
    cheese = make_product(shop, "Brie de Meaux", 650, stock=5)
    slot = pickup_slots_for(shop, utcnow() + timedelta(hours=1), TZ)[0].key
    clients = []
    for i in range(30):
        client = in_english(app.test_client())
        client.environ_base["REMOTE_ADDR"] = f"192.0.2.{i + 1}"  # thirty homes, thirty addresses
        login(client, make_user(f"buyer{i}@example.org"))
        token = csrf_token(client, "/cart/")
        client.post("/cart/add", data={"csrf_token": token, "product_id": cheese.id})
        clients.append((client, checkout_form(client)))
    form = {f"slot-{shop.id}": slot, "method": AT_PICKUP}
    db.session.commit()

    def buy(i: int):
        client, fields = clients[i]
        return client.post("/checkout", data={**fields, **form})

    responses = run_together(app, 30, buy)

    codes = sorted(r.status_code for r in responses)
    assert codes == [303] * 5 + [409] * 25
    for response in responses:
        if response.status_code == 409:
            assert (
                "error",
                "Not enough stock left of Brie de Meaux: lower the quantity or remove it.",
            ) in alerts(response)
    assert stock_of(cheese) == 0
