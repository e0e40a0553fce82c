"""Emails to the town's office: a shop was submitted (or resubmitted) for review.

The submit view queues the job after its commit; the job re-reads the shop (skipped once the
office already decided) and writes to each curator in their own language.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.accounts.models import CURATOR, User
from marketplace.extensions import db
from marketplace.jobs import job
from marketplace.mail import send_email
from marketplace.urls import external_url
from shops.models import PENDING_REVIEW, Shop


def notify_curators_of_submission(shop: Shop, resubmitted: bool) -> None:
    """Queue the email telling the office a shop waits for review (call after the commit)."""
    email_curators_of_submission.delay(shop.id, resubmitted)


def curators() -> list[User]:
    """The town office's active accounts, who review shops."""
    query = select(User).where(User.role == CURATOR, User.deleted_at.is_(None)).order_by(User.id)
    return list(db.session.scalars(query))


def pending_count() -> int:
    """How many shops wait for review (the office's queue badge)."""
    query = select(db.func.count()).select_from(Shop).where(Shop.status == PENDING_REVIEW)
    return db.session.execute(query).scalar_one()


@job()
def email_curators_of_submission(shop_id: int, resubmitted: bool) -> None:
    """Tell each curator, in their language, that a shop waits for review."""
    shop = db.session.get(Shop, shop_id)
    if shop is None or shop.status != PENDING_REVIEW:
        return
    subject = (
        _l("Shop resubmitted for review: %(name)s", name=shop.name)
        if resubmitted
        else _l("New shop to review: %(name)s", name=shop.name)
    )
    link = external_url("curation.shop", shop_id=shop.id)
    waiting = pending_count()
    for curator in curators():
        send_email(
            curator.email,
            subject,
            "shop_submitted",
            locale=curator.locale,
            shop=shop,
            resubmitted=resubmitted,
            waiting=waiting,
            link=link,
        )
