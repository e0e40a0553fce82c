"""What a followed shop has to tell: new products and reopenings, claimed once a day per follow.

The daily job claims each follow's news in one transaction (moving `news_since` forward with a
conditional UPDATE, so two runs never claim the same news), commits, then queues one email per
claim. News is told at most once: a crash between the commit and the queue loses a digest, it
never sends one twice.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, exists, or_, select, update

from marketplace.accounts.models import User
from marketplace.audit import AuditLog
from marketplace.extensions import db
from marketplace.follows.models import Follow
from shops.catalogue import public_products_query
from shops.models import PUBLISHED, SUSPENDED, Closure, Product, Shop

# A reopening older than this is no longer news (a follow told nothing for weeks).
REOPEN_WINDOW = timedelta(days=7)


@dataclass(frozen=True)
class Digest:
    """One email to send: a follow's news between two moments, and whether the shop reopened."""

    follow_id: int
    since: datetime
    until: datetime
    reopened: bool


def start_of_day(moment: datetime, timezone: str) -> datetime:
    """The town's midnight that starts the day of `moment`, in UTC."""
    zone = ZoneInfo(timezone)
    return datetime.combine(moment.astimezone(zone).date(), time(0), zone).astimezone(UTC)


def new_products_query(shop_id: int, since: datetime, until: datetime) -> Select:
    """The shop's products the public sees that were added after `since`, up to `until`."""
    return public_products_query().where(
        Product.shop_id == shop_id, Product.created_at > since, Product.created_at <= until
    )


def claim_digests(now: datetime, timezone: str) -> list[Digest]:
    """Claim the news of every follow told nothing yet today (the caller commits, then queues)."""
    today = start_of_day(now, timezone)
    reopened_at = reopenings(now, timezone)
    has_products = exists(
        public_products_query()
        .with_only_columns(Product.id)
        .where(
            Product.shop_id == Follow.shop_id,
            Product.created_at > Follow.news_since,
            Product.created_at <= now,
        )
        .correlate(Follow)
    )
    rows = db.session.execute(
        select(Follow.id, Follow.shop_id, Follow.news_since, has_products)
        .join(Shop, Shop.id == Follow.shop_id)
        .join(User, User.id == Follow.user_id)
        .where(
            Shop.status == PUBLISHED,
            User.deleted_at.is_(None),
            _not_told_since(today),
            or_(has_products, Follow.shop_id.in_(list(reopened_at))),
        )
        .order_by(Follow.id)
    ).all()
    digests = []
    for follow_id, shop_id, since, products in rows:
        reopened = any(since < moment <= now for moment in reopened_at.get(shop_id, ()))
        if not (products or reopened):
            continue
        claimed = db.session.execute(
            update(Follow)
            .where(Follow.id == follow_id, _not_told_since(today))
            .values(news_since=now, last_notified_at=now)
        )
        if claimed.rowcount == 1:  # type: ignore[attr-defined]  # an UPDATE's CursorResult
            digests.append(Digest(follow_id, since, now, reopened))
    return digests


def _not_told_since(moment: datetime):
    return or_(Follow.last_notified_at.is_(None), Follow.last_notified_at < moment)


def reopenings(now: datetime, timezone: str) -> dict[int, list[datetime]]:
    """When shops reopened lately: the day after a closure, or reinstated after a suspension."""
    found: dict[int, list[datetime]] = defaultdict(list)
    for shop_id, day in _closure_ends(now, timezone):
        found[shop_id].append(datetime.combine(day, time(0), ZoneInfo(timezone)).astimezone(UTC))
    for shop_id, moment in _reinstatements(now):
        found[shop_id].append(moment)
    return dict(found)


def _closure_ends(now: datetime, timezone: str) -> list[tuple[int, date]]:
    """(shop, day it reopens) for closures ended lately, unless another closure covers that day."""
    zone = ZoneInfo(timezone)
    today = now.astimezone(zone).date()
    first = (now - REOPEN_WINDOW).astimezone(zone).date()
    closures = db.session.scalars(
        select(Closure).where(
            Closure.shop_id.in_(
                select(Closure.shop_id).where(
                    Closure.ends_on >= first - timedelta(days=1), Closure.ends_on < today
                )
            ),
            Closure.ends_on >= first - timedelta(days=1),
        )
    ).all()
    by_shop: dict[int, list[Closure]] = defaultdict(list)
    for closure in closures:
        by_shop[closure.shop_id].append(closure)
    ends = []
    for shop_id, periods in by_shop.items():
        for closure in periods:
            day = closure.ends_on + timedelta(days=1)
            if first <= day <= today and not any(c.starts_on <= day <= c.ends_on for c in periods):
                ends.append((shop_id, day))
    return ends


def _reinstatements(now: datetime) -> list[tuple[int, datetime]]:
    """(shop, when) for shops published again after a suspension, from the audit log."""
    rows = db.session.execute(
        select(AuditLog.target_id, AuditLog.created_at, AuditLog.changes).where(
            and_(
                AuditLog.action == f"shop.{PUBLISHED}",
                AuditLog.target_kind == "shop",
                AuditLog.created_at > now - REOPEN_WINDOW,
                AuditLog.created_at <= now,
            )
        )
    )
    found = []
    for shop_id, moment, changes in rows:
        before = json.loads(changes or "{}").get("status", [None])[0]
        if before == SUSPENDED:
            found.append((shop_id, moment))
    return found
