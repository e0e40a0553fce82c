"""Delivering webhooks: one attempt per run, retried on our schedule, endpoints disabled after
repeated failures (and their shopkeeper told)."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.jobs import Every, job, periodic, run_again_at
from marketplace.mail import send_email
from marketplace.urls import external_url
from marketplace.webhooks.models import (
    FAILED,
    PENDING,
    PING,
    SUCCEEDED,
    WebhookDelivery,
    WebhookEndpoint,
)
from marketplace.webhooks.sending import post_event

FIRST_RETRY_SECONDS = 60
BACKOFF_FACTOR = 3  # 1 min, 3 min, 9 min, 27 min, 81 min, 4 h, 12 h
# A delivery still pending this long after it was due was lost by the queue: queue it again.
STRANDED_AFTER = timedelta(hours=1)


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt before the next one."""
    return timedelta(seconds=FIRST_RETRY_SECONDS * BACKOFF_FACTOR ** (attempts - 1))


# Retries are this job's own (run_again_at): an endpoint that is down is expected, not a
# failure for the admin's list.
@job(retries=0)
def deliver_webhook(delivery_id: int) -> None:
    """Make one attempt to deliver an event; schedule the next one if it failed."""
    delivery = db.session.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.status != PENDING:
        return  # delivered already (a run queued twice), or given up
    endpoint = delivery.endpoint
    # A paused endpoint still gets a test event: it shows whether it is worth turning on again.
    if not endpoint.enabled and delivery.event_type != PING:
        delivery.status, delivery.next_attempt_at = FAILED, None
        db.session.commit()
        return
    url, secret, body = endpoint.url, endpoint.secret, delivery.payload.encode()
    headers = {"Vitrine-Event": delivery.event_type, "Vitrine-Event-Id": delivery.event_id}
    db.session.commit()  # no transaction stays open while the endpoint answers
    config = current_app.config
    now = utcnow()
    outcome = post_event(
        url,
        secret,
        body,
        headers,
        timeout=config["WEBHOOK_TIMEOUT_SECONDS"],
        allow_local=config["WEBHOOK_ALLOW_LOCAL"],
        now=int(now.timestamp()),
    )
    next_at, disabled = _record_attempt(delivery_id, now, outcome)
    db.session.commit()
    if disabled:
        email_endpoint_disabled.delay(endpoint.id)
    if next_at is not None:
        raise run_again_at(next_at)


def _record_attempt(delivery_id: int, now: datetime, outcome) -> tuple[datetime | None, bool]:
    """Write the attempt's outcome; return when to try again (or None) and if it disabled the endpoint."""
    delivery = db.session.get(WebhookDelivery, delivery_id)
    if delivery is None:  # the endpoint was deleted meanwhile
        return None, False
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.response_status = outcome.status
    delivery.duration_ms = outcome.duration_ms
    delivery.response_excerpt = outcome.excerpt
    delivery.next_attempt_at = None
    test = delivery.event_type == PING  # a test is tried once and counts for nothing
    if outcome.ok:
        delivery.status = SUCCEEDED
        if not test:
            _set_failures(delivery.endpoint_id, reset=True)
        return None, False
    disabled = False if test else _count_failure(delivery.endpoint_id, now)
    if test or disabled or delivery.attempts >= current_app.config["WEBHOOK_MAX_ATTEMPTS"]:
        delivery.status = FAILED
        return None, disabled
    if not delivery.endpoint.enabled:  # disabled by another delivery's failure meanwhile
        delivery.status = FAILED
        return None, False
    delivery.next_attempt_at = now + retry_delay(delivery.attempts)
    return delivery.next_attempt_at, False


def _set_failures(endpoint_id: int, reset: bool) -> None:
    db.session.execute(
        update(WebhookEndpoint)
        .where(WebhookEndpoint.id == endpoint_id)
        .values(consecutive_failures=0 if reset else WebhookEndpoint.consecutive_failures + 1)
        .execution_options(synchronize_session=False)
    )


def _count_failure(endpoint_id: int, now: datetime) -> bool:
    """Add a failure in a row (one UPDATE: parallel deliveries all count); True if it disabled it."""
    _set_failures(endpoint_id, reset=False)
    limit = current_app.config["WEBHOOK_DISABLE_AFTER_FAILURES"]
    disabled = db.session.execute(  # type: ignore[attr-defined]  # execute() is typed Result; an UPDATE returns a CursorResult (rowcount)
        update(WebhookEndpoint)
        .where(
            WebhookEndpoint.id == endpoint_id,
            WebhookEndpoint.enabled.is_(True),
            WebhookEndpoint.consecutive_failures >= limit,
        )
        .values(enabled=False, disabled_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.expire_all()
    return disabled == 1


@job()
def email_endpoint_disabled(endpoint_id: int) -> None:
    """Tell the shop that one of its webhook endpoints was disabled, in its owner's language."""
    endpoint = db.session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None or endpoint.enabled:
        return
    shop = endpoint.shop
    owner = shop.owner
    send_email(
        shop.email or owner.email,
        _l("Webhooks to %(url)s are paused", url=endpoint.url),
        "webhook_disabled",
        locale=owner.locale,
        endpoint=endpoint,
        shop=shop,
        link=external_url("webhooks.endpoint", slug=shop.slug, endpoint_id=endpoint.id),
    )


@periodic(Every(minutes=30))
def resend_stranded() -> int:
    """Queue again the deliveries the queue lost (enqueued while it was down, a worker killed)."""
    cutoff = utcnow() - STRANDED_AFTER
    stranded = list(
        db.session.scalars(
            select(WebhookDelivery.id)
            .join(WebhookDelivery.endpoint)
            .where(
                WebhookDelivery.status == PENDING,
                WebhookEndpoint.enabled.is_(True),
                WebhookDelivery.created_at < cutoff,
                (WebhookDelivery.next_attempt_at.is_(None))
                | (WebhookDelivery.next_attempt_at < cutoff),
            )
            .limit(500)
        )
    )
    db.session.commit()
    for delivery_id in stranded:
        deliver_webhook.delay(delivery_id)
    return len(stranded)
