"""The shop's software hears about its orders and stock: signed events, retried, paused if dead."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.jobs.queue import END_OF_TIME, queue_of
from marketplace.orders.models import ONLINE
from marketplace.orders.slots import pickup_slots_for
from marketplace.orders.status import CANCELLED, COLLECTED, CONFIRMED, READY, transition_order
from marketplace.webhooks.jobs import retry_delay
from marketplace.webhooks.models import FAILED, PENDING, SUCCEEDED, WebhookDelivery
from marketplace.webhooks.services import register_endpoint
from tests.conftest import outbox
from tests.factories import make_product, make_user
from tests.orders.helpers import TZ, place


def buy(shop, product, quantity: int = 1, method: str = ONLINE, email="alice@example.org"):
    now = utcnow()
    slot = pickup_slots_for(shop, now, TZ)[0].starts_at
    return place(make_user(email), {product: quantity}, {shop: slot}, now, method).orders[0]


def verified(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """What the shop's software does (docs/webhooks.md): check the HMAC of "t.body"."""
    parts = dict(item.split("=", 1) for item in headers["Vitrine-Signature"].split(","))
    expected = hmac.new(secret.encode(), f"{parts['t']}.".encode() + body, hashlib.sha256)
    return hmac.compare_digest(expected.hexdigest(), parts["v1"])


def deliveries() -> list[WebhookDelivery]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(WebhookDelivery).order_by(WebhookDelivery.id)))


def test_each_order_step_is_sent_signed_to_the_shop_s_software(app, shop, endpoint, receiver):
    brie = make_product(shop, "Brie de Meaux", 650, stock=10)

    order = buy(shop, brie, 2)
    for target in (CONFIRMED, READY, COLLECTED):
        transition_order(order, target, shop.owner_id)
        db.session.commit()

    assert receiver.types == ["order.created", "order.paid", "order.ready", "order.collected"]
    for request in receiver.received:
        assert request.path == "/hooks/vitrine"
        assert request.headers["Content-Type"] == "application/json; charset=utf-8"
        assert request.headers["Vitrine-Event"] == request.event["type"]
        assert verified(endpoint.secret, request.headers, request.body)
        assert not verified(endpoint.secret, request.headers, request.body + b" ")  # tampered
        assert not verified("whsec_another", request.headers, request.body)
    created, paid = receiver.received[0].event, receiver.received[1].event
    assert created["id"].startswith("evt_") and created["id"] != paid["id"]
    assert created["data"]["object"]["status"] == "pending_payment"
    assert paid["data"]["object"]["id"] == order.id
    assert paid["data"]["object"]["lines"] == [
        {"product_id": brie.id, "name": "Brie de Meaux", "unit_price_cents": 650, "quantity": 2}
    ]
    assert [d.status for d in deliveries()] == [SUCCEEDED] * 4


def test_only_the_chosen_events_of_the_shop_s_own_orders_are_sent(app, shop, receiver):
    register_endpoint(shop, receiver.url, ["order.cancelled"], allow_local=True)
    db.session.commit()
    brie = make_product(shop, "Brie de Meaux", 650, stock=10)

    order = buy(shop, brie, method="at_pickup")  # created and confirmed: not chosen
    transition_order(order, CANCELLED, shop.owner_id, "Rupture")
    db.session.commit()

    assert receiver.types == ["order.cancelled"]
    assert receiver.received[0].event["data"]["object"]["status"] == "cancelled"


def test_a_sale_to_the_low_stock_threshold_sends_product_low_stock(app, shop, endpoint, receiver):
    brie = make_product(shop, "Brie de Meaux", 650, stock=3, low_stock_threshold=1)

    buy(shop, brie, 1, method="at_pickup")
    buy(shop, brie, 1, method="at_pickup", email="bea@example.org")  # 1 left
    buy(shop, brie, 1, method="at_pickup", email="carl@example.org")  # 0 left: no second one

    low = [r.event for r in receiver.received if r.event["type"] == "product.low_stock"]
    assert [e["data"]["object"] for e in low] == [
        {
            "object": "product",
            "id": brie.id,
            "shop": shop.slug,
            "sku": None,
            "name": "Brie de Meaux",
            "stock": 1,
            "low_stock_threshold": 1,
        }
    ]


def test_a_failed_delivery_is_retried_with_growing_delays_until_it_succeeds(
    app, shop, endpoint, receiver
):
    receiver.answers = [500, 502]  # the till is restarting; the third attempt goes through
    queue = queue_of(app)
    brie = make_product(shop, "Brie de Meaux", 650, stock=10)

    buy(shop, brie)  # order.created: attempt 1 fails at once (the tests' jobs run inline)

    waits = []
    for _ in range(2):
        [delivery] = deliveries()
        assert delivery.status == PENDING
        [task] = queue.scheduled()
        assert task.eta == delivery.next_attempt_at  # the job waits for the time it wrote
        waits.append(delivery.next_attempt_at - delivery.last_attempt_at)
        [due] = queue.huey.read_schedule(END_OF_TIME)  # as if the wait had passed
        queue.huey.execute(due, due.eta)

    assert waits == [timedelta(minutes=1), timedelta(minutes=3)]
    [delivery] = deliveries()
    assert (delivery.status, delivery.attempts, delivery.response_status) == (SUCCEEDED, 3, 200)
    assert len(receiver.received) == 3
    assert len({r.event["id"] for r in receiver.received}) == 1  # the same event each time
    assert delivery.endpoint.consecutive_failures == 0  # a success wipes the count
    assert queue.scheduled() == []
    assert [retry_delay(n).total_seconds() for n in range(1, 8)] == [
        60,
        180,
        540,
        1620,
        4860,
        14580,
        43740,
    ]


def test_a_delivery_out_of_attempts_is_given_up(app, shop, endpoint, receiver):
    app.config["WEBHOOK_MAX_ATTEMPTS"] = 3
    receiver.always = 500
    brie = make_product(shop, "Brie de Meaux", 650, stock=10)

    buy(shop, brie)
    queue_of(app).drain(include_retries=True)

    [delivery] = deliveries()
    assert (delivery.status, delivery.attempts, delivery.response_status) == (FAILED, 3, 500)
    assert delivery.response_excerpt == "Internal error: till offline"
    assert delivery.next_attempt_at is None
    assert queue_of(app).scheduled() == []


def test_repeated_failures_pause_the_endpoint_and_the_shopkeeper_is_told(
    app, shop, endpoint, receiver
):
    app.config["WEBHOOK_DISABLE_AFTER_FAILURES"] = 3
    shop.owner.locale = "en"
    db.session.commit()
    receiver.always = 503
    brie = make_product(shop, "Brie de Meaux", 650, stock=10)

    buy(shop, brie)
    queue_of(app).drain(include_retries=True)

    db.session.refresh(endpoint)
    assert (endpoint.enabled, endpoint.consecutive_failures) == (False, 3)
    assert endpoint.disabled_at is not None
    [delivery] = deliveries()
    assert (delivery.status, delivery.attempts) == (FAILED, 3)
    [mail] = [m for m in outbox(app) if "paused" in m]
    assert mail.startswith(f"To: {shop.owner.email}\nSubject: Webhooks to {receiver.url} are")
    assert f"/merchant/shops/{shop.slug}/webhooks/{endpoint.id}" in mail

    transition_order(delivery_order(), CONFIRMED, shop.owner_id)  # a paused endpoint hears nothing
    db.session.commit()
    assert len(receiver.received) == 3


def delivery_order():
    from marketplace.orders.models import Order

    return db.session.scalars(db.select(Order)).one()


def test_a_delivery_the_queue_lost_is_queued_again_by_the_periodic_sweep(
    app, shop, endpoint, receiver
):
    from marketplace.webhooks.events import event_body
    from marketplace.webhooks.jobs import resend_stranded

    long_ago = utcnow() - timedelta(hours=3)
    body = event_body("evt_lost", "order.ready", long_ago, {"object": "order", "id": 1})
    db.session.add(
        WebhookDelivery(
            endpoint_id=endpoint.id,
            event_id="evt_lost",
            event_type="order.ready",
            payload=body,
            created_at=long_ago,
        )
    )
    db.session.commit()  # written, but its job never reached the queue (Redis was down)

    assert resend_stranded.run_now() == 1

    assert [r.event["id"] for r in receiver.received] == ["evt_lost"]
    assert resend_stranded.run_now() == 0  # delivered: not sent twice
