"""The daily retention run and the email that warns the owner of an inactive account."""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l

from marketplace.accounts.models import User
from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.jobs import DailyAt, job, periodic
from marketplace.mail import send_email
from marketplace.privacy.retention import RetentionPolicy, RetentionReport, apply_retention
from marketplace.urls import external_url

log = logging.getLogger(__name__)


def run_retention(dry_run: bool = False) -> RetentionReport:
    """Apply the configured retention now; commit and queue the warnings, or roll back (dry run)."""
    report = apply_retention(utcnow(), RetentionPolicy.from_config(current_app.config))
    if dry_run:
        db.session.rollback()
        return report
    db.session.commit()
    for user_id in report.warned:
        email_deletion_warning.delay(user_id)
    return report


@periodic(DailyAt(3, 15))
def apply_retention_policy() -> None:
    """Warn and delete inactive accounts, count and purge old searches, pseudonymise old orders."""
    report = run_retention()
    log.info("retention: %s", "; ".join(report.lines()))


@job()
def email_deletion_warning(user_id: int) -> None:
    """Tell the owner of an inactive account when it will be deleted, unless they log in."""
    user = db.session.get(User, user_id)
    if user is None or user.deleted_at is not None or user.deletion_warned_at is None:
        return  # deleted, or a login cancelled the warning before the job ran
    days = current_app.config["RETENTION_WARNING_DAYS"]
    send_email(
        user.email,
        _l("Your Vitrine account will be deleted unless you log in"),
        "deletion_warning",
        locale=user.locale,
        user=user,
        deletion_on=user.deletion_warned_at + timedelta(days=days),
        login_link=external_url("accounts.login"),
        data_link=external_url("privacy.my_data"),
        notice_link=external_url("privacy_notice.notice"),
    )
