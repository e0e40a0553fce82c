"""The retention policy: idle accounts warned then deleted, searches counted then purged, old
orders cut off their people with their amounts intact; a dry run; a second run does nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from marketplace.accounts.models import SHOPKEEPER, User
from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.jobs import DailyAt
from marketplace.jobs.queue import queue_of
from marketplace.jobs.registry import JOBS
from marketplace.orders.models import Checkout, GuestContact, Order
from marketplace.privacy.jobs import apply_retention_policy
from marketplace.privacy.retention import RetentionReport, apply_retention
from tests.conftest import outbox
from tests.factories import login, make_shop, make_user
from tests.privacy.retention_helpers import (
    YEAR,
    daily_counts,
    idle_resident,
    old_order,
    order_books,
    policy,
    search,
    search_rows,
)

WARNING_SUBJECT = "Subject: Votre compte Vitrine sera supprimé si vous ne vous connectez pas"


def run(app, now, **changes) -> RetentionReport:
    """One retention run at `now`, committed like the job's."""
    report = apply_retention(now, policy(app, **changes))
    db.session.commit()
    db.session.expire_all()
    return report


def warnings_to(app, email: str) -> list[str]:
    return [m for m in outbox(app) if m.startswith(f"To: {email}\n") and WARNING_SUBJECT in m]


def test_an_idle_account_is_warned_once_by_email(app):
    idle = idle_resident()
    active = make_user("active@example.org")

    apply_retention_policy.delay()  # the tests run jobs at once
    apply_retention_policy.delay()

    db.session.expire_all()
    assert idle.deletion_warned_at is not None and active.deletion_warned_at is None
    [mail] = warnings_to(app, "idle@example.org")
    assert "/account/login" in mail and "/account/data" in mail and "/privacy" in mail
    assert warnings_to(app, "active@example.org") == []


def test_the_account_is_deleted_once_the_warning_period_is_over(app):
    now = utcnow()
    idle = idle_resident(now=now)
    order = old_order(make_shop(), idle, now - 4 * YEAR, 1250)
    assert run(app, now).warned == [idle.id]

    assert run(app, now + timedelta(days=29)).deleted == 0
    assert idle.deleted_at is None
    assert run(app, now + timedelta(days=30)).deleted == 1

    assert idle.deleted_at is not None and idle.name == "" and "idle@" not in idle.email
    kept = db.session.get(Order, order.id)
    assert (kept.customer_id, kept.total_cents, kept.status) == (None, 1250, "collected")


def test_logging_in_cancels_the_warning(app, client):
    now = utcnow()
    idle = idle_resident(now=now)
    run(app, now)

    login(client, idle)

    db.session.expire_all()
    assert idle.deletion_warned_at is None and idle.last_seen_at >= now
    later = run(app, now + timedelta(days=31))
    assert (later.deleted, later.warned) == (0, [])
    assert idle.deleted_at is None


def test_a_resident_kept_logged_in_by_the_session_counts_as_active(app, client):
    now = utcnow()
    idle = idle_resident(now=now)
    login(client, idle)
    db.session.refresh(idle)
    idle.last_seen_at = now - 4 * YEAR  # the session was renewed at each visit since
    run(app, now)
    assert idle.deletion_warned_at is not None

    assert client.get("/").status_code == 200

    db.session.expire_all()
    assert idle.deletion_warned_at is None and idle.last_seen_at >= now
    assert run(app, now + timedelta(days=31)).deleted == 0


def test_an_order_placed_after_the_warning_cancels_it(app):
    now = utcnow()
    idle = idle_resident(now=now)
    run(app, now)
    old_order(make_shop(), idle, now + timedelta(days=3), 500)

    later = run(app, now + timedelta(days=30))

    assert (later.warnings_cancelled, later.deleted, later.warned) == (1, 0, [])
    assert idle.deletion_warned_at is None and idle.deleted_at is None


def test_only_residents_are_warned_and_an_order_in_progress_keeps_the_account(app):
    now = utcnow()
    merchant = make_user("shop@example.org", role=SHOPKEEPER)
    merchant.created_at = now - 4 * YEAR
    waiting = idle_resident("waiting@example.org", now=now)
    add = old_order(make_shop(), waiting, now - 4 * YEAR, 700)
    add.status = "confirmed"  # never collected: the shop still needs its buyer
    db.session.commit()

    assert run(app, now).warned == [waiting.id]
    later = run(app, now + timedelta(days=31))

    assert (later.deleted, later.kept_with_orders_in_progress) == (0, 1)
    assert waiting.deleted_at is None and merchant.deletion_warned_at is None


def test_old_searches_become_daily_counts_then_are_purged(app):
    now = utcnow()
    old = (now - timedelta(days=100)).replace(hour=10, minute=0)
    search("Pain", 3, old)
    search("  pain ", 0, old + timedelta(minutes=1))
    search("PAIN  de mie", 0, old)
    search("fromage", 2, now - timedelta(days=1))

    report = run(app, now, search_log_days=90)

    day = old.astimezone(UTC).date()
    assert (report.search_logs_purged, report.search_days_counted) == (3, 1)
    assert daily_counts() == [(day, "pain", 2, 1), (day, "pain de mie", 1, 1)]
    assert search_rows() == 1  # this week's search stays as it is

    search("pain", 0, old + timedelta(minutes=2))  # a row of a day already counted
    run(app, now, search_log_days=90)
    assert daily_counts() == [(day, "pain", 3, 2), (day, "pain de mie", 1, 1)]


def test_old_orders_lose_their_people_and_keep_their_amounts(app):
    now = utcnow()
    shop = make_shop()
    alive, gone = make_user("alive@example.org"), make_user("gone@example.org")
    guest_old = old_order(shop, None, now - 4 * YEAR, 1250, guest_email="zoe@example.org")
    guest_recent = old_order(shop, None, now - YEAR, 800, guest_email="zoe@example.org")
    gone_old = old_order(shop, gone, now - 4 * YEAR, 2000)
    gone_recent = old_order(shop, gone, now - YEAR, 300)
    alive_old = old_order(shop, alive, now - 4 * YEAR, 450)
    gone.deleted_at = now - 2 * YEAR  # closed by a path that left its orders linked
    db.session.commit()
    books = order_books()

    # Guests' own shorter period set aside: this is the orders' rule.
    report = run(app, now, guest_days=10 * 365)

    assert order_books() == books  # amounts, lines, dates: the accounts add up as before
    assert sum(book[3] for book in order_books()) == 4800
    assert (report.guest_contacts_erased, report.orders_unlinked) == (1, 1)
    assert list(db.session.scalars(select(GuestContact.checkout_id))) == [guest_recent.checkout_id]
    customers = {o.id: o.customer_id for o in db.session.scalars(select(Order))}
    assert customers == {
        guest_old.id: None,
        guest_recent.id: None,
        gone_old.id: None,
        gone_recent.id: gone.id,
        alive_old.id: alive.id,  # a live account keeps its history
    }
    assert db.session.get(Checkout, gone_old.checkout_id).customer_id is None


def test_a_dry_run_prints_what_it_would_do_and_changes_nothing(app):
    idle = idle_resident()
    search("pain", 0, utcnow() - timedelta(days=200))
    cli = app.test_cli_runner()

    dry = cli.invoke(args=["privacy", "retention", "--dry-run"])

    assert dry.exit_code == 0, dry.output
    assert "Dry run, nothing changed" in dry.output
    assert "inactive accounts warned: 1" in dry.output
    assert "search log rows counted and purged: 1" in dry.output
    db.session.expire_all()
    assert idle.deletion_warned_at is None and search_rows() == 1 and daily_counts() == []
    assert warnings_to(app, "idle@example.org") == []

    done = cli.invoke(args=["privacy", "retention"])

    assert "Done" in done.output and "inactive accounts warned: 1" in done.output
    db.session.expire_all()
    assert idle.deletion_warned_at is not None and search_rows() == 0
    assert len(warnings_to(app, "idle@example.org")) == 1


def _state() -> dict:
    db.session.expire_all()
    return {
        "users": [
            (u.id, u.email, u.deleted_at, u.deletion_warned_at)
            for u in db.session.scalars(select(User).order_by(User.id))
        ],
        "searches": (search_rows(), daily_counts()),
        "guests": list(db.session.scalars(select(GuestContact.id).order_by(GuestContact.id))),
        "customers": list(
            db.session.execute(select(Order.id, Order.customer_id).order_by(Order.id))
        ),
        "books": order_books(),
    }


def test_a_second_run_changes_nothing_more(app):
    now = utcnow()
    shop = make_shop()
    idle_resident("new.idle@example.org", now=now)
    warned = idle_resident("warned@example.org", now=now)
    warned.deletion_warned_at = now - timedelta(days=31)
    old_order(shop, warned, now - 4 * YEAR, 990)
    old_order(shop, None, now - 4 * YEAR, 1250, guest_email="zoe@example.org")
    search("pain", 0, now - timedelta(days=200))
    db.session.commit()

    first = run(app, now)
    after_first = _state()
    second = run(app, now)

    assert (len(first.warned), first.deleted, first.search_logs_purged) == (1, 1, 1)
    assert first.guest_contacts_erased == 1
    assert second == RetentionReport()
    assert _state() == after_first


def test_the_retention_runs_every_day_as_a_periodic_job(app):
    huey = queue_of(app).huey
    due = lambda moment: [t.name for t in huey.read_periodic(moment)]  # noqa: E731

    assert "apply_retention_policy" in due(datetime(2026, 1, 15, 2, 15))  # 03:15 in Paris
    assert "apply_retention_policy" in due(datetime(2026, 7, 15, 1, 15))  # 03:15 in summer
    assert "apply_retention_policy" not in due(datetime(2026, 1, 15, 2, 16))
    assert JOBS["marketplace.privacy.jobs.apply_retention_policy"].schedule == DailyAt(3, 15)


def test_the_dashboard_shows_the_same_searches_once_they_are_counted_and_purged(app):
    from marketplace.curation.dashboard_views import TABLES
    from marketplace.curation.periods import make_period
    from tests.curation.helpers import paris

    for query, results, when in (
        ("pain", 5, paris(2026, 11, 3, 10)),
        (" Pain ", 4, paris(2026, 11, 10, 10)),
        ("vélo", 0, paris(2026, 11, 5, 10)),
        ("vélo", 0, paris(2026, 11, 6, 10)),
        ("cordonnier", 0, paris(2026, 11, 30, 10)),  # after the period
    ):
        search(query, results, when)
    period = make_period(
        datetime(2026, 11, 2).date(), datetime(2026, 11, 15).date(), "Europe/Paris"
    )

    def tables() -> list:
        return [
            TABLES[k](period, "Europe/Paris").as_dicts()
            for k in ("top-searches", "searches-without-result")
        ]

    before = tables()
    run(app, paris(2026, 11, 12, 12), search_log_days=1)  # half of them counted and purged
    assert 0 < search_rows() < 5
    assert tables() == before
    run(app, paris(2027, 3, 1), search_log_days=1)
    assert search_rows() == 0 and tables() == before
    assert before[0] == [{"term": "pain", "searches": 2}, {"term": "vélo", "searches": 2}]
