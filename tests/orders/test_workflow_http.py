"""At the counter and at home: refused status changes are explained and change nothing."""

import pytest
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.orders.models import Order, OrderEvent
from tests.conftest import alerts, csrf_token, outbox, page_text
from tests.factories import login
from tests.orders.helpers import in_english, make_order, stock_of


def snapshot(order) -> tuple:
    """The order's status and history as stored, to prove a refusal changed nothing."""
    db.session.expire_all()
    status = db.session.scalar(select(Order.status).where(Order.id == order.id))
    events = db.session.scalars(
        select(OrderEvent.to_status).where(OrderEvent.order_id == order.id)
    ).all()
    return status, events


@pytest.fixture
def counter(app):
    """The shopkeeper's browser at the counter: (client, order board URL of `order`)."""

    def open_board(order):
        client = in_english(app.test_client())
        login(client, order.shop.owner)
        return client, f"/merchant/shops/{order.shop.slug}/orders/{order.id}"

    return open_board


@pytest.mark.parametrize(
    ("status", "action", "form", "message"),
    [
        ("cancelled", "collect", {"code": "x"}, "This order is cancelled: it cannot be collected."),
        (
            "collected",
            "cancel",
            {"reason": "Erreur"},
            "This order is collected: it cannot be cancelled.",
        ),
        (
            "expired",
            "cancel",
            {"reason": "Erreur"},
            "This order is expired: it cannot be cancelled.",
        ),
        ("confirmed", "collect", {"code": "x"}, "This order is confirmed: it cannot be collected."),
    ],
)
def test_the_board_refuses_a_change_the_order_cannot_make(
    app, counter, status, action, form, message
):
    order = make_order(status)
    client, url = counter(order)
    if status == "confirmed":
        form = {"code": order.pickup_code}  # even the right code cannot skip preparation
    before = snapshot(order)

    response = client.post(f"{url}/{action}", data={"csrf_token": csrf_token(client, url), **form})

    assert response.status_code == 409
    assert ("error", message) in alerts(response)
    assert snapshot(order) == before


def test_marking_a_collected_order_ready_is_refused(app, counter):
    order = make_order("collected")
    client, url = counter(order)
    before = snapshot(order)

    response = client.post(f"{url}/ready", data={"csrf_token": csrf_token(client, url)})

    assert response.status_code == 303
    page = client.get(response.headers["Location"])
    assert ("error", "This order is collected: it cannot be ready for pickup.") in alerts(page)
    assert snapshot(order) == before
    assert outbox(app) == []  # nobody is told it is ready


def test_a_wrong_pickup_code_is_refused_and_the_right_one_hands_over(app, counter):
    order = make_order("ready")
    client, url = counter(order)
    token = csrf_token(client, url)
    before = snapshot(order)

    wrong = client.post(f"{url}/collect", data={"csrf_token": token, "code": "ZZZ-999"})
    assert wrong.status_code == 400
    assert (
        "error",
        "This code is not the order's code. Do not hand the order over.",
    ) in alerts(wrong)
    assert snapshot(order) == before

    right = client.post(f"{url}/collect", data={"csrf_token": token, "code": order.display_code})
    assert right.status_code == 303
    assert snapshot(order) == ("collected", [*before[1], "collected"])


@pytest.mark.parametrize("reason", ["", "   "])
def test_the_shop_must_give_a_reason_to_cancel(app, counter, reason):
    order = make_order("confirmed", quantity=2, stock=5)
    client, url = counter(order)
    before = snapshot(order)

    response = client.post(
        f"{url}/cancel", data={"csrf_token": csrf_token(client, url), "reason": reason}
    )

    assert response.status_code == 400
    assert ("error", "Say why you cancel: the customer will read it.") in alerts(response)
    assert snapshot(order) == before
    assert stock_of(order.lines[0].product) == 3


def test_the_shop_cancels_with_a_reason_the_customer_reads(app, counter):
    order = make_order("ready", quantity=2, stock=5)
    client, url = counter(order)

    response = client.post(
        f"{url}/cancel",
        data={"csrf_token": csrf_token(client, url), "reason": "Four en panne ce matin."},
    )

    assert response.status_code == 303
    assert snapshot(order)[0] == "cancelled"
    assert stock_of(order.lines[0].product) == 5
    [mail] = outbox(app)
    assert mail.startswith("To: alice@example.org")
    assert "Four en panne ce matin." in mail


def test_the_resident_cancels_a_confirmed_order(app, client):
    order = make_order("confirmed", quantity=2, stock=5)
    in_english(client)
    login(client, order.customer)
    url = f"/orders/{order.id}"
    assert "Cancel this order" in page_text(client.get(url))

    response = client.post(f"{url}/cancel", data={"csrf_token": csrf_token(client, url)})

    assert response.status_code == 303
    page = client.get(url)
    assert ("success", "Your order is cancelled.") in alerts(page)
    assert "Cancel this order" not in page_text(page)
    assert snapshot(order)[0] == "cancelled"
    assert stock_of(order.lines[0].product) == 5
    assert sorted(m.split("\n")[0] for m in outbox(app)) == [
        "To: alice@example.org",
        "To: owner-fromagerie-b@example.org",
    ]


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (
            "ready",
            "This order can no longer be cancelled: the shop has already prepared it. "
            "Contact the shop.",
        ),
        ("cancelled", "This order is cancelled: it can no longer be cancelled."),
        ("collected", "This order is collected: it can no longer be cancelled."),
    ],
)
def test_the_resident_cannot_cancel_once_the_shop_has_prepared(app, client, status, message):
    order = make_order(status)
    in_english(client)
    login(client, order.customer)
    url = f"/orders/{order.id}"
    assert "Cancel this order" not in page_text(client.get(url))
    before = snapshot(order)

    response = client.post(f"{url}/cancel", data={"csrf_token": csrf_token(client, url)})

    assert response.status_code == 303
    assert ("error", message) in alerts(client.get(url))
    assert snapshot(order) == before
    assert outbox(app) == []
