"""Vouchers sent by email: one job fans a batch out, one job a voucher sends it in its reader's language."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.campaigns.models import VOUCHER_ISSUED, Voucher
from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.jobs import job
from marketplace.mail import send_email
from marketplace.urls import external_url


@job()
def email_voucher_batch(batch_id: int) -> int:
    """Queue one email job per voucher of the batch not sent yet; return how many."""
    ids = list(
        db.session.scalars(
            select(Voucher.id)
            .where(
                Voucher.batch_id == batch_id, Voucher.email.is_not(None), Voucher.sent_at.is_(None)
            )
            .order_by(Voucher.id)
        )
    )
    db.session.rollback()  # nothing held open while the queue is written to
    for voucher_id in ids:
        email_voucher.delay(voucher_id)
    return len(ids)


def reader_locale(email: str) -> str:
    """The language of the account with this address, else the town's default (French)."""
    locale = db.session.scalar(
        select(User.locale).where(func.lower(User.email) == email, User.deleted_at.is_(None))
    )
    return locale or current_app.config["BABEL_DEFAULT_LOCALE"]


@job()
def email_voucher(voucher_id: int) -> bool:
    """Send one voucher to its address, once (a retry after a crash may send it again, never lose it)."""
    voucher = db.session.get(Voucher, voucher_id)
    if voucher is None or voucher.email is None or voucher.sent_at is not None:
        return False
    if voucher.status != VOUCHER_ISSUED:
        return False  # already used or void: an email would only confuse
    campaign = voucher.campaign
    # Reads only until the mail is out: no row is locked while the mail server answers.
    send_email(
        voucher.email,
        _l("Your voucher for %(campaign)s", campaign=campaign.name),
        "campaign_voucher",
        reader_locale(voucher.email),
        voucher=voucher,
        campaign=campaign,
        site=external_url("public.home"),
    )
    voucher.sent_at = utcnow()
    db.session.commit()
    return True
