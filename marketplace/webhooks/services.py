"""A shop's webhook endpoints: register and edit (secret shown once), test, pause, remove, read the log."""

from __future__ import annotations

from sqlalchemy import delete, func, select

from marketplace.extensions import db
from marketplace.webhooks.addresses import check_url
from marketplace.webhooks.events import emit
from marketplace.webhooks.models import EVENTS, PING, WebhookDelivery, WebhookEndpoint
from marketplace.webhooks.signing import new_secret
from shops.models import Shop

MAX_ENDPOINTS = 10
LOG_SIZE = 50  # deliveries shown on an endpoint's page


class TooManyEndpoints(Exception):
    """The shop has MAX_ENDPOINTS endpoints already."""


class NoEvents(ValueError):
    """No known event was chosen."""


def endpoints_of(shop: Shop) -> list[WebhookEndpoint]:
    """The shop's endpoints, oldest first."""
    return list(
        db.session.scalars(
            select(WebhookEndpoint)
            .where(WebhookEndpoint.shop_id == shop.id)
            .order_by(WebhookEndpoint.id)
        )
    )


def register_endpoint(
    shop: Shop, url: str, events: list[str], allow_local: bool
) -> WebhookEndpoint:
    """Add an endpoint for the chosen events (UnsafeUrl, NoEvents, TooManyEndpoints otherwise)."""
    url = check_url(url, allow_local)
    chosen = _chosen(events)
    count = db.session.execute(
        select(func.count()).select_from(WebhookEndpoint).where(WebhookEndpoint.shop_id == shop.id)
    ).scalar_one()
    if count >= MAX_ENDPOINTS:
        raise TooManyEndpoints()
    endpoint = WebhookEndpoint(
        shop_id=shop.id, url=url, events=" ".join(chosen), secret=new_secret()
    )
    db.session.add(endpoint)
    db.session.flush()
    return endpoint


def _chosen(events: list[str]) -> list[str]:
    chosen = [e for e in EVENTS if e in events]
    if not chosen:
        raise NoEvents()
    return chosen


def update_endpoint(
    endpoint: WebhookEndpoint,
    url: str,
    events: list[str],
    active: bool,
    allow_local: bool,
    rotate_secret: bool = False,
) -> str | None:
    """Change the address, events and on/off of an endpoint; return its new secret if one was asked.

    Everything is checked before anything changes (UnsafeUrl, NoEvents), with the rules of
    register_endpoint. The secret stays unless `rotate_secret`: the software keeps checking
    signatures across a change of address.
    """
    url = check_url(url, allow_local)
    chosen = _chosen(events)
    endpoint.url, endpoint.events = url, " ".join(chosen)
    if active and not endpoint.enabled:
        enable_endpoint(endpoint)
    elif not active and endpoint.enabled:
        pause_endpoint(endpoint)
    if not rotate_secret:
        return None
    # The old secret stops at once: deliveries still to come are signed when they are sent.
    endpoint.secret = new_secret()
    return endpoint.secret


def pause_endpoint(endpoint: WebhookEndpoint) -> None:
    """Stop sending events to an endpoint, by the shop's choice (disabled_at stays empty)."""
    endpoint.enabled = False
    # disabled_at names an automatic pause after failures; the shop's own pause has none.
    endpoint.disabled_at = None


def send_test_event(endpoint: WebhookEndpoint) -> WebhookDelivery:
    """Write a `ping` delivery to this endpoint (sent after the commit, once, whatever it wants)."""
    [delivery] = emit(
        endpoint.shop_id,
        PING,
        {"object": "ping", "endpoint_id": endpoint.id, "shop": endpoint.shop.slug},
        only=endpoint,
    )
    return delivery


def enable_endpoint(endpoint: WebhookEndpoint) -> None:
    """Turn a disabled endpoint on again, its count of failures back to zero."""
    endpoint.enabled = True
    endpoint.disabled_at = None
    endpoint.consecutive_failures = 0


def remove_endpoint(endpoint: WebhookEndpoint) -> None:
    """Delete an endpoint and its delivery log."""
    db.session.execute(delete(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint.id))
    db.session.delete(endpoint)


def recent_deliveries(endpoint: WebhookEndpoint, limit: int = LOG_SIZE) -> list[WebhookDelivery]:
    """The endpoint's latest deliveries, newest first."""
    return list(
        db.session.scalars(
            select(WebhookDelivery)
            .where(WebhookDelivery.endpoint_id == endpoint.id)
            .order_by(WebhookDelivery.id.desc())
            .limit(limit)
        )
    )
