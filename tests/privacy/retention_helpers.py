"""Data for the retention tests: accounts idle for years, old searches, old orders."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.orders.models import GuestContact, Order, OrderLine
from marketplace.privacy.retention import RetentionPolicy
from search.models import SearchLog, SearchLogDaily
from tests.curation.helpers import add_order
from tests.factories import make_user

YEAR = timedelta(days=365)


def policy(app, **changes) -> RetentionPolicy:
    """The configured policy, with some periods changed."""
    return replace(RetentionPolicy.from_config(app.config), **changes)


def idle_resident(email: str = "idle@example.org", idle: timedelta = 4 * YEAR, now=None) -> User:
    """A resident who signed up and last logged in `idle` ago."""
    user = make_user(email, name="Inès")
    user.created_at = user.last_seen_at = (now or utcnow()) - idle
    db.session.commit()
    return user


def search(query: str, results: int, at: datetime) -> None:
    """Store one search, as the search page logs it."""
    db.session.add(SearchLog(query=query, result_count=results, created_at=at, filters='{"km": 2}'))
    db.session.commit()


def daily_counts() -> list[tuple]:
    """The daily search counts, as (day, query, searches, without result)."""
    rows = db.session.scalars(
        select(SearchLogDaily).order_by(SearchLogDaily.day, SearchLogDaily.query)
    )
    return [(r.day, r.query, r.searches, r.without_result) for r in rows]


def search_rows() -> int:
    return db.session.scalar(select(func.count()).select_from(SearchLog))


def old_order(shop, customer, at: datetime, total_cents: int, guest_email: str | None = None):
    """A collected order of `total_cents` with one line, and a guest's contact when given."""
    order = add_order(shop, customer, at, "collected", total_cents)
    db.session.add(
        OrderLine(order_id=order.id, name="Comté 18 mois", unit_price_cents=total_cents, quantity=1)
    )
    if guest_email:
        db.session.add(
            GuestContact(
                checkout_id=order.checkout_id,
                email=guest_email,
                phone="0612345678",
                name="Zoé",
                created_at=at,
            )
        )
    db.session.commit()
    return order


def order_books() -> list[tuple]:
    """What the accounts read from every order: id, shop, status, amounts, dates, lines."""
    db.session.expire_all()
    return [
        (
            o.id,
            o.shop_id,
            o.status,
            o.total_cents,
            o.refunded_cents,
            o.created_at,
            o.pickup_starts_at,
            [(line.name, line.unit_price_cents, line.quantity) for line in o.lines],
        )
        for o in db.session.scalars(select(Order).order_by(Order.id))
    ]
