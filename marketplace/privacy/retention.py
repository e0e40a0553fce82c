"""The retention policy: what is kept how long, applied once a day by a periodic job.

- A resident's account with no login and no order for `inactive_days` is warned by email, then
  deleted (the same path as a deletion asked by its owner) `warning_days` later, unless its
  owner logged in or ordered meanwhile.
- Searches older than `search_log_days` become daily counts per query; the rows are deleted.
- Orders stay for the accounting period; `order_personal_days` after the pickup they lose the
  guest's contact and any link to a deleted account. Amounts, lines and dates stay.
- A guest's contact is erased `guest_days` after the order (marketplace/privacy/guests.py).
- A shops CSV sent on the office's bulk onboarding page and never imported (it holds the owners'
  emails) is erased `shop_import_days` after it was sent (marketplace/curation/onboarding.py).

Every step selects only what is still to do, so a second run the same day changes nothing.
The caller commits (or, for a dry run, rolls back) and queues the warnings after the commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import request
from flask_login import current_user
from sqlalchemy import and_, exists, func, or_, select, update

from marketplace.accounts.models import RESIDENT, User
from marketplace.curation.onboarding import erase_unimported_files
from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.orders.models import Checkout, GuestContact, Order, OrderEvent
from marketplace.privacy.guests import purge_guest_contacts
from marketplace.privacy.services import IN_PROGRESS, deletion_refusal, erase_account
from search.log_retention import aggregate_search_logs

# How often a resident's use of the site is written down (one UPDATE a day at most).
ACTIVITY_PRECISION = timedelta(days=1)


@dataclass(frozen=True)
class RetentionPolicy:
    """The retention periods, in days (the notice page shows the same values)."""

    inactive_days: int
    warning_days: int
    search_log_days: int
    order_personal_days: int
    guest_days: int
    order_years: int
    shop_import_days: int

    @classmethod
    def from_config(cls, config) -> RetentionPolicy:
        """The policy the app's configuration sets."""
        return cls(
            inactive_days=config["RETENTION_INACTIVE_DAYS"],
            warning_days=config["RETENTION_WARNING_DAYS"],
            search_log_days=config["RETENTION_SEARCH_LOG_DAYS"],
            order_personal_days=config["RETENTION_ORDER_PERSONAL_DAYS"],
            guest_days=config["GUEST_DATA_RETENTION_DAYS"],
            order_years=config["RETENTION_ORDER_YEARS"],
            shop_import_days=config["RETENTION_SHOP_IMPORT_DAYS"],
        )


@dataclass
class RetentionReport:
    """What one run did (or, in a dry run, would do)."""

    warned: list[int] = field(default_factory=list)  # account ids to email
    warnings_cancelled: int = 0
    deleted: int = 0
    kept_with_orders_in_progress: int = 0
    search_logs_purged: int = 0
    search_days_counted: int = 0
    guest_contacts_erased: int = 0
    orders_unlinked: int = 0
    shop_import_files_erased: int = 0

    def lines(self) -> list[str]:
        """The report as lines for the command and the log."""
        return [
            f"inactive accounts warned: {len(self.warned)}",
            f"warnings cancelled (activity since): {self.warnings_cancelled}",
            f"accounts deleted after the warning: {self.deleted}",
            f"accounts kept (orders in progress): {self.kept_with_orders_in_progress}",
            f"search log rows counted and purged: {self.search_logs_purged}"
            f" ({self.search_days_counted} day(s))",
            f"guest contacts erased: {self.guest_contacts_erased}",
            f"orders cut off a deleted account: {self.orders_unlinked}",
            f"shop onboarding files erased (never imported): {self.shop_import_files_erased}",
        ]


def _ordered_since(moment):
    """An order of the account placed at or after `moment` (a SQL expression or a value)."""
    return exists().where(Order.customer_id == User.id, Order.created_at >= moment)


def _last_login():
    return func.coalesce(User.last_seen_at, User.created_at)


def _live_residents():
    return select(User).where(User.role == RESIDENT, User.deleted_at.is_(None))


def cancel_warnings(now: datetime) -> int:
    """Clear the warning of accounts used since it was sent (an order; a login clears it at once)."""
    used = or_(
        User.last_seen_at >= User.deletion_warned_at, _ordered_since(User.deletion_warned_at)
    )
    users = list(
        db.session.scalars(_live_residents().where(User.deletion_warned_at.is_not(None), used))
    )
    for user in users:
        user.deletion_warned_at = None
    return len(users)


def warn_inactive_accounts(now: datetime, policy: RetentionPolicy) -> list[int]:
    """Mark the accounts unused for `inactive_days` as warned; return their ids (to email)."""
    cutoff = now - timedelta(days=policy.inactive_days)
    inactive = _live_residents().where(
        User.deletion_warned_at.is_(None), _last_login() < cutoff, ~_ordered_since(cutoff)
    )
    users = list(db.session.scalars(inactive.order_by(User.id)))
    for user in users:
        user.deletion_warned_at = now
    return [u.id for u in users]


def delete_warned_accounts(now: datetime, policy: RetentionPolicy) -> tuple[int, int]:
    """Delete the accounts warned `warning_days` ago and unused since; return (deleted, kept)."""
    due = _live_residents().where(
        User.deletion_warned_at <= now - timedelta(days=policy.warning_days)
    )
    deleted = kept = 0
    for user in db.session.scalars(due.order_by(User.id)).all():
        # An order still to collect needs its buyer: kept, and tried again tomorrow.
        if deletion_refusal(user) is not None:
            kept += 1
            continue
        erase_account(user, now)
        deleted += 1
    db.session.flush()
    return deleted, kept


def pseudonymise_old_orders(now: datetime, policy: RetentionPolicy) -> tuple[int, int]:
    """Cut orders picked up `order_personal_days` ago off their people; return (contacts, orders).

    The guest's contact row goes; a link to an account deleted by other means is set to NULL.
    Amounts, lines, dates and statuses stay: the accounts still add up.
    """
    cutoff = now - timedelta(days=policy.order_personal_days)
    recent_or_open = exists().where(
        Order.checkout_id == Checkout.id,
        or_(Order.pickup_ends_at >= cutoff, Order.status.in_(IN_PROGRESS)),
    )
    contacts = list(
        db.session.scalars(
            select(GuestContact)
            .join(Checkout, Checkout.id == GuestContact.checkout_id)
            .where(~recent_or_open)
        )
    )
    for contact in contacts:
        db.session.delete(contact)
    gone = select(User.id).where(User.deleted_at.is_not(None))
    old = and_(Order.customer_id.in_(gone), Order.pickup_ends_at < cutoff)
    orders = list(db.session.scalars(select(Order.id).where(old)))
    if orders:
        checkouts = select(Order.checkout_id).where(Order.id.in_(orders))
        db.session.execute(update(Order).where(Order.id.in_(orders)).values(customer_id=None))
        db.session.execute(
            update(Checkout)
            .where(Checkout.id.in_(checkouts), Checkout.customer_id.in_(gone))
            .values(customer_id=None)
        )
        db.session.execute(
            update(OrderEvent)
            .where(OrderEvent.order_id.in_(orders), OrderEvent.actor_id.in_(gone))
            .values(actor_id=None)
        )
    db.session.flush()
    return len(contacts), len(orders)


def apply_retention(now: datetime, policy: RetentionPolicy) -> RetentionReport:
    """Apply every retention rule at `now`; flush, never commit (see the module's docstring)."""
    report = RetentionReport()
    report.warnings_cancelled = cancel_warnings(now)
    report.deleted, report.kept_with_orders_in_progress = delete_warned_accounts(now, policy)
    report.warned = warn_inactive_accounts(now, policy)
    report.search_logs_purged, report.search_days_counted = aggregate_search_logs(
        now, policy.search_log_days
    )
    report.guest_contacts_erased = purge_guest_contacts(now, policy.guest_days)
    contacts, report.orders_unlinked = pseudonymise_old_orders(now, policy)
    report.guest_contacts_erased += contacts
    report.shop_import_files_erased = erase_unimported_files(now, policy.shop_import_days)
    db.session.flush()
    return report


def note_login(sender, user, **extra) -> None:
    """On flask-login's user_logged_in: record the login, which cancels a deletion warning."""
    # Connected by register_hooks in marketplace/app.py.
    user.last_seen_at = utcnow()
    user.deletion_warned_at = None
    db.session.commit()


def note_activity() -> None:
    """Before a request: a resident kept logged in by their session is active too (once a day).

    A session is renewed at each request, so a resident may use Vitrine for years without
    logging in again: without this, the inactivity rule would warn, then delete, them.
    """
    if request.endpoint == "static" or not current_user.is_authenticated:
        return
    now = utcnow()
    seen = current_user.last_seen_at
    if seen is not None and now - seen < ACTIVITY_PRECISION and not current_user.deletion_warned_at:
        return
    db.session.execute(
        update(User)
        .where(User.id == current_user.id)
        .values(last_seen_at=now, deletion_warned_at=None)
    )
    db.session.commit()
