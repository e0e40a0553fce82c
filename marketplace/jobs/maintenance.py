"""The periodic tasks that replaced the cron timers; each calls the same services as its command."""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app

from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.jobs.records import purge_resolved
from marketplace.jobs.registry import DailyAt, Every, periodic
from marketplace.orders import emails, operations
from search.outbox import prune_outbox
from shops.orphan_photos import remove_orphan_photos
from shops.photo_uploads import settle_stale_uploads

log = logging.getLogger(__name__)


@periodic(Every(minutes=5))
def expire_unpaid_checkouts() -> int:
    """Expire unpaid orders whose reservation ran out, returning their stock (`flask orders expire`)."""
    expired = operations.expire_overdue(utcnow())
    db.session.commit()
    return len(expired)


@periodic(DailyAt(7, 0))
def send_pickup_reminders() -> int:
    """Queue the reminder of each order to collect today, once per order (`flask orders remind`)."""
    orders = operations.due_reminders(utcnow(), current_app.config["TIMEZONE"])
    db.session.commit()
    for order in orders:
        emails.send_pickup_reminder(order)
    return len(orders)


@periodic(DailyAt(4, 0))
def purge_old_records() -> None:
    """Drop search outbox rows and resolved job failures past their retention.

    Personal data (accounts, guests' contacts, search logs, orders) has its own daily run:
    marketplace/privacy/jobs.py.
    """
    top = prune_outbox(db.engine, current_app.config["SEARCH_OUTBOX_RETENTION_DAYS"])
    purged = purge_resolved(current_app.config["JOBS_RETENTION_DAYS"])
    db.session.commit()
    log.info("retention: search outbox pruned up to %s, %s job failure(s) purged", top, purged)


@periodic(DailyAt(4, 30))
def prune_orphan_photos() -> int:
    """Remove photo files no row names, once older than ORPHAN_PHOTO_GRACE_HOURS (`flask shops prune-photos`).

    Uploads still waiting for their job after that long are given up (the shopkeeper is told).
    """
    grace = timedelta(hours=current_app.config["ORPHAN_PHOTO_GRACE_HOURS"])
    upload_dir = current_app.config["UPLOAD_DIR"]
    stuck, forgotten = settle_stale_uploads(utcnow(), upload_dir, grace)
    db.session.commit()
    removed = remove_orphan_photos(upload_dir, grace)
    log.info(
        "orphan photos: %s file(s) removed, %s upload(s) given up, %s old failure(s) forgotten",
        len(removed),
        stuck,
        forgotten,
    )
    return len(removed)
