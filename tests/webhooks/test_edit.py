"""The shopkeeper edits an endpoint: address, events, on/off, and a new secret only when asked."""

from __future__ import annotations

import re

import pytest

from marketplace.extensions import db
from marketplace.webhooks.events import emit
from marketplace.webhooks.models import ORDER_READY, WebhookDelivery, WebhookEndpoint
from marketplace.webhooks.signing import verify
from tests.conftest import alerts, english_client, page_text, post_form
from tests.factories import login, make_shop, make_user

SECRET_RE = re.compile(r'id="new-secret">(whsec_[A-Za-z0-9_-]+)<')
ALL = ["order.created", "order.paid", "order.ready", "order.cancelled", "order.collected"]


@pytest.fixture
def client(app, shop):
    client = english_client(app)
    login(client, shop.owner)
    return client


def edit_url(endpoint) -> str:
    return f"/merchant/shops/{endpoint.shop.slug}/webhooks/{endpoint.id}/edit"


def save(client, endpoint, url: str, events=("order.paid",), active=True, rotate=False):
    data: dict = {"url": url, "events": list(events)}
    if active:
        data["active"] = "y"
    if rotate:
        data["rotate_secret"] = "y"
    return post_form(client, edit_url(endpoint), data)


def current(endpoint) -> WebhookEndpoint:
    db.session.expire_all()
    return db.session.get(WebhookEndpoint, endpoint.id)


def signed_with(secret: str, received) -> bool:
    header = received.headers["Vitrine-Signature"]
    sent_at = int(header.split(",")[0].removeprefix("t="))
    return verify(secret, header, received.body, now=sent_at)


def test_the_form_shows_the_endpoint_as_it_is(app, shop, endpoint, client, receiver):
    page = page_text(client.get(edit_url(endpoint)))

    assert f'value="{receiver.url}"' in page
    assert page.count("checked") == len(endpoint.event_list) + 1  # the events and "On"
    assert endpoint.secret not in page


def test_a_new_address_and_events_keep_the_signing_secret(app, shop, endpoint, client, receiver):
    secret = endpoint.secret
    new_url = receiver.url.replace("/hooks/vitrine", "/till/v2")

    response = save(client, endpoint, new_url, ("order.ready", "product.low_stock"))

    assert response.status_code == 303
    page = client.get(response.headers["Location"])
    assert alerts(page) == [("success", "Endpoint saved.")]
    assert secret not in page_text(page)
    saved = current(endpoint)
    assert (saved.url, saved.event_list, saved.secret) == (
        new_url,
        ["order.ready", "product.low_stock"],
        secret,
    )
    post_form(
        client, f"{response.headers['Location']}/test", token_from=response.headers["Location"]
    )
    [ping] = receiver.received
    assert ping.path == "/till/v2" and signed_with(secret, ping)


def test_a_new_secret_is_made_only_when_asked_and_shown_once(app, shop, endpoint, client, receiver):
    old = endpoint.secret

    response = save(client, endpoint, receiver.url, ALL, rotate=True)

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    shown = SECRET_RE.search(page_text(response)).group(1)
    assert shown != old and current(endpoint).secret == shown
    page = f"/merchant/shops/{shop.slug}/webhooks/{endpoint.id}"
    assert shown not in page_text(client.get(page))
    assert shown not in page_text(client.get(edit_url(endpoint)))
    post_form(client, f"{page}/test", token_from=page)
    [ping] = receiver.received
    assert signed_with(shown, ping) and not signed_with(old, ping)


def test_a_paused_endpoint_gets_no_event_until_turned_on(app, shop, endpoint, client):
    save(client, endpoint, endpoint.url, ALL, active=False)

    paused = current(endpoint)
    assert (paused.enabled, paused.disabled_at) == (False, None)
    assert "Paused by you" in page_text(client.get(f"/merchant/shops/{shop.slug}/webhooks/"))
    assert "Paused by you" in page_text(
        client.get(f"/merchant/shops/{shop.slug}/webhooks/{endpoint.id}")
    )
    assert emit(shop.id, ORDER_READY, {"object": "order"}) == []
    db.session.rollback()

    save(client, endpoint, endpoint.url, ALL, active=True)

    assert current(endpoint).enabled is True
    assert len(emit(shop.id, ORDER_READY, {"object": "order"})) == 1
    db.session.rollback()


def test_turning_on_an_endpoint_paused_after_failures_clears_its_count(app, shop, endpoint, client):
    endpoint.enabled, endpoint.consecutive_failures = False, 20
    endpoint.disabled_at = endpoint.created_at
    db.session.commit()
    assert 'name="active" type="checkbox" value="y">' in page_text(client.get(edit_url(endpoint)))

    save(client, endpoint, endpoint.url, ALL, active=True)

    saved = current(endpoint)
    assert (saved.enabled, saved.consecutive_failures, saved.disabled_at) == (True, 0, None)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://till.example.com/hooks", "The address must start with https://."),
        ("https://10.1.2.3/hooks", "This address is not on the public internet."),
        ("https://localhost/hooks", "This address is not on the public internet."),
        ("https://user:pw@till.example.com/", "This is not a web address like"),
        ("", "Enter the address, up to 500 characters."),
    ],
)
def test_a_bad_address_shows_the_form_again_and_changes_nothing(
    app, shop, endpoint, client, url, message
):
    app.config["WEBHOOK_ALLOW_LOCAL"] = False  # as in production
    before = (endpoint.url, endpoint.events, endpoint.secret, endpoint.enabled)

    response = save(client, endpoint, url, ("order.ready",), active=False, rotate=True)

    assert response.status_code == 400
    page = page_text(response)
    assert message in page and "Please correct the highlighted fields." in page
    assert f'value="{url}"' in page  # what was typed, to correct it
    assert "whsec_" not in page
    saved = current(endpoint)
    assert (saved.url, saved.events, saved.secret, saved.enabled) == before


def test_no_event_or_an_unknown_one_shows_the_form_again(app, shop, endpoint, client):
    before = endpoint.events
    assert "Choose at least one event." in page_text(save(client, endpoint, endpoint.url, ()))
    response = save(client, endpoint, endpoint.url, ("order.paid", "user.deleted"))
    assert response.status_code == 400
    assert current(endpoint).events == before


def test_another_shopkeeper_cannot_see_or_edit_an_endpoint(app, shop, endpoint):
    other = make_shop(name="Cave C", category="caviste")
    intruder = english_client(app)
    login(intruder, other.owner)
    own_form = f"/merchant/shops/{other.slug}/webhooks/"
    before = (endpoint.url, endpoint.secret)
    data = {"url": "https://evil.example/x", "events": ["order.paid"], "rotate_secret": "y"}

    assert intruder.get(edit_url(endpoint)).status_code == 404
    assert post_form(intruder, edit_url(endpoint), data, token_from=own_form).status_code == 404
    # Through the intruder's own shop's address, the endpoint is not found either.
    theirs = f"/merchant/shops/{other.slug}/webhooks/{endpoint.id}/edit"
    assert intruder.get(theirs).status_code == 404
    assert post_form(intruder, theirs, data, token_from=own_form).status_code == 404
    saved = current(endpoint)
    assert (saved.url, saved.secret) == before

    resident = english_client(app)
    login(resident, make_user("alice@example.org"))
    assert resident.get(edit_url(endpoint)).status_code == 403


def test_an_edit_without_the_csrf_token_changes_nothing(app, shop, endpoint, client):
    before = (endpoint.url, endpoint.secret)

    response = client.post(
        edit_url(endpoint),
        data={"url": "https://a.example/x", "events": ["order.paid"], "rotate_secret": "y"},
    )

    assert response.status_code == 400
    saved = current(endpoint)
    assert (saved.url, saved.secret) == before
    assert db.session.scalars(db.select(WebhookDelivery)).all() == []
