"""Alice orders from two shops, each shopkeeper prepares and hands over: the whole story over HTTP."""

import re
from datetime import date

from babel.dates import format_date
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.orders.models import Order, OrderEvent
from tests.conftest import alerts, csrf_token, outbox, page_text
from tests.factories import login, make_product, make_shop, make_user
from tests.orders.helpers import PARIS, checkout_form, slot_keys, stock_of


def speaks_english(*users) -> None:
    for user in users:
        user.locale = "en"
    db.session.commit()


def mails_to(app, address: str) -> list[str]:
    return [m for m in outbox(app) if m.startswith(f"To: {address}\n")]


def subject(mail: str) -> str:
    return mail.split("\n")[1].removeprefix("Subject: ")


def test_a_resident_orders_from_two_shops_and_collects(app, client):
    baker = make_shop(name="Boulangerie A")
    cheese = make_shop(name="Fromagerie B", category="fromagerie")
    bread = make_product(baker, "Baguette", 130, stock=10)
    brie = make_product(cheese, "Brie de Meaux", 650, stock=5)
    alice = make_user("alice@example.org", name="Alice")
    speaks_english(alice, baker.owner, cheese.owner)

    # As a visitor, Alice fills her cart from both shops, then logs in to order.
    token = csrf_token(client, "/cart/")
    for product, quantity in ((bread, 2), (brie, 1)):
        added = client.post(
            "/cart/add", data={"csrf_token": token, "product_id": product.id, "quantity": quantity}
        )
        assert added.status_code == 303
    login(client, alice)

    # One pickup time per shop, then one click.
    page = client.get("/checkout").get_data(as_text=True)
    slots = slot_keys(page)
    assert set(slots) == {f"slot-{baker.id}", f"slot-{cheese.id}"}
    placed = client.post(
        "/checkout",
        data={**checkout_form(client), "method": "at_pickup", **slots},
    )
    assert placed.status_code == 303 and "/orders" in placed.headers["Location"]

    orders = db.session.scalars(select(Order).order_by(Order.shop_id)).all()
    assert [(o.shop.name, o.status, o.total_cents) for o in orders] == [
        ("Boulangerie A", "confirmed", 260),
        ("Fromagerie B", "confirmed", 650),
    ]
    assert len({o.checkout_id for o in orders}) == 1  # one checkout, one order per shop
    assert (stock_of(bread), stock_of(brie)) == (8, 4)
    assert page_text(client.get("/cart/")).count("Your cart is empty.") == 1

    # Alice gets one email per order, with its pickup code; each shop gets its new order.
    to_alice = mails_to(app, "alice@example.org")
    assert sorted(map(subject, to_alice)) == [
        "Your order at Boulangerie A is confirmed",
        "Your order at Fromagerie B is confirmed",
    ]
    for order in orders:
        [mine] = [m for m in to_alice if order.shop.name in subject(m)]
        assert order.display_code in mine
        [shop_mail] = mails_to(app, order.shop.owner.email)
        assert subject(shop_mail) == f"New order #{order.id}"
        assert "Alice" in shop_mail

    mine = page_text(client.get("/orders"))
    assert mine.count("Confirmed") == 2
    assert all(o.display_code in mine for o in orders)

    for order in orders:
        shop = order.shop
        day = order.pickup_starts_at.astimezone(PARIS).date()
        counter = app.test_client()
        login(counter, shop.owner)
        board = f"/merchant/shops/{shop.slug}/orders"

        # The shopkeeper sees the order waiting, on the board and in the preparation list.
        assert "(1 to prepare)" in page_text(counter.get("/cart/"))
        today = page_text(counter.get(f"{board}/?day={day.isoformat()}"))
        assert f"Order #{order.id}" in today
        assert re.search(r"To prepare: <strong>1</strong>", today)
        assert day_heading(day) in today
        printed = page_text(counter.get(f"{board}/print?day={day.isoformat()}"))
        line = order.lines[0]
        assert f"{line.quantity} × {line.name}" in printed and f"Order #{order.id}" in printed

        # Prepared: Alice is told it is ready.
        url = f"{board}/{order.id}"
        token = csrf_token(counter, url)
        assert counter.post(f"{url}/ready", data={"csrf_token": token}).status_code == 303
        ready = f"Your order at {shop.name} is ready"
        [mail] = [m for m in mails_to(app, "alice@example.org") if subject(m) == ready]
        assert order.display_code in mail

        # At the counter: a wrong code changes nothing, the right one hands it over.
        wrong = counter.post(f"{url}/collect", data={"csrf_token": token, "code": "ABC-234"})
        assert wrong.status_code == 400
        db.session.refresh(order)
        assert order.status == "ready"
        right = counter.post(
            f"{url}/collect", data={"csrf_token": token, "code": order.pickup_code.lower()}
        )
        assert right.status_code == 303
        assert ("success", f"Order #{order.id} is collected. Thank you!") in alerts(
            counter.get(right.headers["Location"])
        )
        db.session.refresh(order)
        assert order.status == "collected"

    mine = page_text(client.get("/orders"))
    assert mine.count("Collected") == 2 and "Confirmed" not in mine
    detail = page_text(client.get(f"/orders/{orders[0].id}"))
    assert orders[0].display_code not in detail  # the code is no longer needed
    assert "12 rue Oberkampf" in detail and "openstreetmap.org" in detail
    assert "Monday: 08:00–13:00, 15:00–19:30" in detail  # the shop's opening hours
    history = db.session.scalars(
        select(OrderEvent.to_status).where(OrderEvent.order_id == orders[0].id)
    ).all()
    assert history == ["confirmed", "ready", "collected"]


def day_heading(day: date) -> str:
    """How the board titles a day in English: 'Monday 1 June 2026'."""
    return format_date(day, "EEEE d MMMM y", locale="en")
