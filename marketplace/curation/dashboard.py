"""Dashboard figures about shops, sign-ups and searches (orders are in dashboard_orders)."""

from __future__ import annotations

import json
from collections import Counter
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, union_all

from marketplace.accounts.models import RESIDENT, SHOPKEEPER, User
from marketplace.audit import AuditLog
from marketplace.curation.periods import Period
from marketplace.curation.tables import (
    COUNT,
    TEXT,
    Column,
    Table,
    local_day,
    week_of,
    weeks_between,
)
from marketplace.extensions import db
from marketplace.orders.models import Order, OrderEvent
from marketplace.templating import category_label
from search.models import SearchLog, SearchLogDaily
from search.service import corrected_query
from shops.models import PENDING_REVIEW, PUBLISHED, Shop

TOP_TERMS = 20
MAX_TERM = 60  # a longer "search" is a pasted paragraph or an attack, not something to stock
JUNK = ("<", ">", "{", "}", "://", "\\", ";", "=")
DORMANT_DAYS = 30


def shops_by_category(period: Period, tz: str) -> Table:
    """Published shops per category (today's count: the period does not apply)."""
    rows = db.session.execute(
        select(Shop.category, func.count())
        .where(Shop.status == PUBLISHED)
        .group_by(Shop.category)
        .order_by(func.count().desc(), Shop.category)
    ).all()
    return Table(
        "shops-by-category",
        _l("Published shops by category"),
        [Column("category", _l("Category")), Column("shops", _l("Shops"), COUNT)],
        [[category_label(code), count] for code, count in rows],
        chart=("category", "shops"),
    )


def shops_by_postcode(period: Period, tz: str) -> Table:
    """Published shops per postcode (the neighbourhood)."""
    rows = db.session.execute(
        select(Shop.postcode, func.count())
        .where(Shop.status == PUBLISHED)
        .group_by(Shop.postcode)
        .order_by(Shop.postcode)
    ).all()
    return Table(
        "shops-by-postcode",
        _l("Published shops by neighbourhood (postcode)"),
        [Column("postcode", _l("Postcode")), Column("shops", _l("Shops"), COUNT)],
        [list(r) for r in rows],
        chart=("postcode", "shops"),
    )


def signups_by_week(period: Period, tz: str) -> Table:
    """Accounts opened (residents, shopkeepers) and shops approved, per week."""
    users = db.session.execute(
        select(User.role, User.created_at).where(
            User.created_at >= period.since, User.created_at < period.until
        )
    ).all()
    decisions = db.session.execute(
        select(AuditLog.created_at, AuditLog.changes).where(
            AuditLog.action == f"shop.{PUBLISHED}",
            AuditLog.created_at >= period.since,
            AuditLog.created_at < period.until,
        )
    ).all()
    residents = Counter(week_of(at, tz) for role, at in users if role == RESIDENT)
    shopkeepers = Counter(week_of(at, tz) for role, at in users if role == SHOPKEEPER)
    # A reinstatement also ends in "published": only a decision out of review is an approval.
    approvals = Counter(
        week_of(at, tz)
        for at, changes in decisions
        if changes and json.loads(changes).get("status", [None])[0] == PENDING_REVIEW
    )
    weeks = weeks_between(period.start, period.end)
    return Table(
        "signups-by-week",
        _l("Sign-ups and approvals per week"),
        [
            Column("week", _l("Week of")),
            Column("residents", _l("New residents"), COUNT),
            Column("shopkeepers", _l("New shopkeepers"), COUNT),
            Column("approvals", _l("Shops approved"), COUNT),
        ],
        [[w.isoformat(), residents[w], shopkeepers[w], approvals[w]] for w in weeks],
        chart=("week", "approvals"),
        chronological=True,
    )


def plausible_search(term: str) -> bool:
    """A query a resident could have meant: short, mostly letters, no markup or code."""
    term = term.strip()
    if not 2 <= len(term) <= MAX_TERM or any(j in term for j in JUNK):
        return False
    letters = sum(c.isalpha() for c in term)
    return letters >= 2 and letters >= 0.6 * len(term.replace(" ", ""))


def _terms(period: Period, no_result: bool = False, limit: int = TOP_TERMS) -> list[list]:
    # Recent searches are rows of search_log; older ones only daily counts (search_log_daily,
    # written by the retention job as it purges the rows): both are read, never the same twice.
    term = func.lower(func.trim(SearchLog.query))
    raw = (
        select(term.label("term"), func.count().label("n"))
        .where(
            SearchLog.created_at >= period.since,
            SearchLog.created_at < period.until,
            func.trim(SearchLog.query) != "",
            *([SearchLog.result_count == 0] if no_result else []),
        )
        .group_by(term)
    )
    counted = SearchLogDaily.without_result if no_result else SearchLogDaily.searches
    daily = (
        select(SearchLogDaily.query.label("term"), func.sum(counted).label("n"))
        .where(
            SearchLogDaily.day >= period.start,
            SearchLogDaily.day <= period.end,
            SearchLogDaily.query != "",
            counted > 0,
        )
        .group_by(SearchLogDaily.query)
    )
    both = union_all(raw, daily).subquery()
    total = func.sum(both.c.n)
    rows = db.session.execute(
        select(both.c.term, total)
        .group_by(both.c.term)
        .order_by(total.desc(), both.c.term)
        .limit(limit)
    ).all()
    return [[t, int(n)] for t, n in rows]


def top_searches(period: Period, tz: str) -> Table:
    """The most searched words."""
    return Table(
        "top-searches",
        _l("Most searched terms"),
        [Column("term", _l("Search"), TEXT), Column("searches", _l("Searches"), COUNT)],
        _terms(period),
        chart=("term", "searches"),
    )


def searches_without_result(period: Period, tz: str) -> Table:
    """What residents looked for and could not find in town (junk left out), with its correction."""
    candidates = _terms(period, no_result=True, limit=TOP_TERMS * 10)
    kept = [row for row in candidates if plausible_search(row[0])][:TOP_TERMS]
    return Table(
        "searches-without-result",
        _l("Searches with no result"),
        [
            Column("term", _l("Search"), TEXT),
            Column("searches", _l("Searches"), COUNT),
            Column("corrected", _l("Corrected search"), TEXT),
        ],
        [[term, count, corrected_query(term) or ""] for term, count in kept],
        chart=("term", "searches"),
        note=_l("What residents look for and cannot find locally."),
    )


def dormant_shops(period: Period, tz: str) -> Table:
    """Published shops with no order collected in the 30 days before the end of the period."""
    since = period.until - timedelta(days=DORMANT_DAYS)
    last_sale = (
        select(Order.shop_id, func.max(OrderEvent.created_at).label("at"))
        .join(OrderEvent, OrderEvent.order_id == Order.id)
        .where(OrderEvent.to_status == "collected", OrderEvent.created_at < period.until)
        .group_by(Order.shop_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Shop.name, Shop.postcode, last_sale.c.at)
        .outerjoin(last_sale, last_sale.c.shop_id == Shop.id)
        .where(Shop.status == PUBLISHED)
        .where((last_sale.c.at.is_(None)) | (last_sale.c.at < since))
        .order_by(Shop.name)
    ).all()
    return Table(
        "dormant-shops",
        _l("Shops with no sale in 30 days"),
        [
            Column("shop", _l("Shop")),
            Column("postcode", _l("Postcode")),
            Column("last_sale", _l("Last sale")),
        ],
        [[name, postcode, local_day(at, tz)] for name, postcode, at in rows],
        note=_l("Counted back from the end of the period. Last sale: day of the last collection."),
    )
