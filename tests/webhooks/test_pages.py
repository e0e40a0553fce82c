"""The shopkeeper registers webhook endpoints, tests them and reads their log; no one else can."""

from __future__ import annotations

import re

import pytest

from marketplace.extensions import db
from marketplace.webhooks.models import FAILED, SUCCEEDED, WebhookDelivery, WebhookEndpoint
from tests.conftest import alerts, english_client, page_text, post_form
from tests.factories import login, make_shop, make_user

SECRET_RE = re.compile(r'id="new-secret">(whsec_[A-Za-z0-9_-]+)<')


@pytest.fixture
def client(app, shop):
    client = english_client(app)
    login(client, shop.owner)
    return client


def base(shop) -> str:
    return f"/merchant/shops/{shop.slug}/webhooks/"


def add(client, shop, url: str, events=("order.paid", "order.ready")):
    return post_form(client, base(shop), {"url": url, "events": list(events)})


def endpoints() -> list[WebhookEndpoint]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(WebhookEndpoint)))


def test_an_endpoint_is_registered_and_its_secret_shown_once(app, shop, client, receiver):
    response = add(client, shop, receiver.url)

    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"
    [endpoint] = endpoints()
    assert SECRET_RE.search(page_text(response)).group(1) == endpoint.secret
    assert (endpoint.url, endpoint.event_list) == (receiver.url, ["order.paid", "order.ready"])
    later = page_text(client.get(base(shop)))
    assert receiver.url in later and endpoint.secret not in later
    assert endpoint.secret not in page_text(client.get(f"{base(shop)}{endpoint.id}"))


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://till.example.com/hooks", "The address must start with https://."),
        ("https://127.0.0.1/hooks", "This address is not on the public internet."),
        ("https://10.1.2.3/hooks", "This address is not on the public internet."),
        ("https://[::1]:8443/hooks", "This address is not on the public internet."),
        ("https://localhost/hooks", "This address is not on the public internet."),
        ("https://till.internal/hooks", "This address is not on the public internet."),
        ("https://user:pw@till.example.com/", "This is not a web address like"),
        ("till.example.com", "The address must start with https://."),
    ],
)
def test_only_https_addresses_on_the_public_internet_are_taken(app, shop, client, url, message):
    app.config["WEBHOOK_ALLOW_LOCAL"] = False  # as in production

    response = add(client, shop, url)

    assert response.status_code == 400
    assert message in page_text(response)
    assert endpoints() == []


def test_a_form_without_an_event_or_with_an_unknown_one_is_shown_again(app, shop, client):
    assert "Choose at least one event." in page_text(add(client, shop, "https://a.example", ()))
    response = add(client, shop, "https://a.example", ("order.paid", "user.deleted"))
    assert response.status_code == 400
    assert endpoints() == []


def test_a_name_that_leads_inside_is_refused_at_delivery(app, shop, endpoint, receiver):
    endpoint.url = receiver.url.replace("127.0.0.1", "localhost")
    db.session.commit()
    app.config["WEBHOOK_ALLOW_LOCAL"] = False  # the name now points at this machine
    client = english_client(app)
    login(client, shop.owner)

    post_form(client, f"{base(shop)}{endpoint.id}/test", token_from=f"{base(shop)}{endpoint.id}")

    assert receiver.received == []
    [delivery] = db.session.scalars(db.select(WebhookDelivery)).all()
    assert (delivery.status, delivery.response_excerpt) == (FAILED, "refused: private")


def test_the_test_button_sends_a_ping_and_the_log_shows_the_answer(app, shop, client, receiver):
    add(client, shop, receiver.url, ("product.low_stock",))
    [endpoint] = endpoints()
    page = f"{base(shop)}{endpoint.id}"

    response = post_form(client, f"{page}/test", token_from=page)

    assert response.status_code == 303
    assert alerts(client.get(response.headers["Location"]))[0][0] == "success"
    assert receiver.types == ["ping"]  # whatever the endpoint subscribed to
    [delivery] = db.session.scalars(db.select(WebhookDelivery)).all()
    assert (delivery.status, delivery.response_status) == (SUCCEEDED, 200)
    log = page_text(client.get(page))
    assert "Delivered" in log and '{"received": true}' in log and " ms" in log


def test_a_paused_endpoint_says_so_and_can_be_turned_on_again(
    app, shop, endpoint, client, receiver
):
    endpoint.enabled, endpoint.consecutive_failures = False, 20
    endpoint.disabled_at = endpoint.created_at
    db.session.commit()
    page = f"{base(shop)}{endpoint.id}"
    assert "after 20 failed attempts in a row" in page_text(client.get(page))
    post_form(client, f"{page}/test", token_from=page)  # is the till back?
    assert receiver.types == ["ping"]

    post_form(client, f"{page}/enable", token_from=page)

    [endpoint] = endpoints()
    assert (endpoint.enabled, endpoint.consecutive_failures, endpoint.disabled_at) == (
        True,
        0,
        None,
    )


def test_another_shopkeeper_cannot_see_test_or_change_an_endpoint(app, shop, endpoint):
    other = make_shop(name="Cave C", category="caviste")
    intruder = english_client(app)
    login(intruder, other.owner)
    page = f"{base(shop)}{endpoint.id}"
    token_page = base(other)

    assert intruder.get(base(shop)).status_code == 404
    assert intruder.get(page).status_code == 404
    for action in ("test", "enable", "delete"):
        assert post_form(intruder, f"{page}/{action}", token_from=token_page).status_code == 404
    # Through the intruder's own shop's address, the endpoint is not found either.
    assert intruder.get(f"{base(other)}{endpoint.id}").status_code == 404
    assert post_form(intruder, f"{base(other)}{endpoint.id}/delete").status_code == 404
    assert len(endpoints()) == 1
    assert db.session.scalars(db.select(WebhookDelivery)).all() == []

    resident = english_client(app)
    login(resident, make_user("alice@example.org"))
    assert resident.get(base(shop)).status_code == 403


def test_forms_without_the_csrf_token_change_nothing(app, shop, endpoint, client):
    page = f"{base(shop)}{endpoint.id}"

    refused = client.post(base(shop), data={"url": "https://a.example", "events": ["order.paid"]})
    assert refused.status_code == 400
    for action in ("test", "enable", "delete"):
        assert client.post(f"{page}/{action}").status_code == 400

    assert [e.id for e in endpoints()] == [endpoint.id]
    assert db.session.scalars(db.select(WebhookDelivery)).all() == []


def test_an_endpoint_is_removed_with_its_log(app, shop, endpoint, client):
    page = f"{base(shop)}{endpoint.id}"
    post_form(client, f"{page}/test", token_from=page)

    response = post_form(client, f"{page}/delete", token_from=page)

    assert response.status_code == 303
    assert endpoints() == []
    assert db.session.scalars(db.select(WebhookDelivery)).all() == []


def test_production_never_allows_local_receivers(monkeypatch, tmp_path):
    from config import load_config

    monkeypatch.setenv("WEBHOOK_ALLOW_LOCAL", "1")
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-secret")
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://vitrine@localhost/vitrine")
    monkeypatch.delenv("STRIPE_API_BASE", raising=False)
    monkeypatch.delenv("STRIPE_SECRET_KEY", raising=False)

    assert load_config("production", tmp_path).WEBHOOK_ALLOW_LOCAL is False
    assert load_config("development", tmp_path).WEBHOOK_ALLOW_LOCAL is True
