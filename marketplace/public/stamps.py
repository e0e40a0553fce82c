"""The one small query per request that tells whether a cached public page is still true.

On a cache hit this is the request's only database work, so it is made cheap: plain Core
statements built once, and on PostgreSQL a connection of its own per thread with the statement
prepared (public/stamp_connection.py), so that a stamp costs one round trip (no BEGIN / ROLLBACK,
no pool, no pre-ping, no planning: a connection lost to a database restart is detected by the
query itself, and the query is tried once more). The visit counters (public/visits.py) write
through a small pool of autocommit connections (autocommit_engine).
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import and_, bindparam, create_engine, event, func, or_, select
from sqlalchemy.sql.elements import BindParameter

from marketplace.curation.models import Collection, CollectionItem
from marketplace.extensions import db
from marketplace.public.stamp_connection import pg_rows
from shops.models import PUBLISHED, Product, Shop

_shops, _products = Shop.__table__, Product.__table__
_collections, _items = Collection.__table__, CollectionItem.__table__

SHOP_STAMP = (
    select(_shops.c.version, _products.c.id)
    .select_from(
        _shops.outerjoin(
            _products, and_(_products.c.shop_id == _shops.c.id, _products.c.stock == 0)
        )
    )
    .where(_shops.c.slug == bindparam("slug"), _shops.c.status == PUBLISHED)
)

PRODUCT_STAMP = (
    select(_shops.c.version, _products.c.stock)
    .select_from(_products.join(_shops, _products.c.shop_id == _shops.c.id))
    .where(
        _products.c.id == bindparam("product_id"),
        _shops.c.slug == bindparam("slug"),
        _shops.c.status == PUBLISHED,
        _products.c.is_active.is_(True),
        _products.c.hidden_reason.is_(None),
    )
)


# What the town-wide pages (home, directory, category, map) are made of, in one row: any change
# to any shop (its version is bumped with it; adding or removing one changes the count), to any
# collection or item (count, last edit, positions), and which collections are live right now.
_now: BindParameter = bindparam("now")
_live = and_(
    _collections.c.published.is_(True),
    or_(_collections.c.starts_at.is_(None), _collections.c.starts_at <= _now),
    or_(_collections.c.ends_at.is_(None), _collections.c.ends_at > _now),
)
TOWN_STAMP = select(
    select(func.count()).select_from(_shops).scalar_subquery(),
    select(func.coalesce(func.sum(_shops.c.version), 0)).scalar_subquery(),
    select(func.count()).select_from(_collections).scalar_subquery(),
    select(func.max(_collections.c.updated_at)).scalar_subquery(),
    select(func.coalesce(func.sum(_collections.c.id), 0)).where(_live).scalar_subquery(),
    select(func.count()).select_from(_items).scalar_subquery(),
    select(
        func.coalesce(
            func.sum(
                _items.c.id * (_items.c.position + 1)
                + func.coalesce(_items.c.shop_id, 0) * 7
                + func.coalesce(_items.c.product_id, 0) * 13
            ),
            0,
        )
    ).scalar_subquery(),
)


def _engine():
    engine = current_app.extensions.get("vitrine_stamp_engine")
    if engine is None:
        if db.engine.dialect.name != "postgresql":
            return db.engine
        # Created lazily, so each gunicorn worker opens its own after the fork. One kept
        # connection per thread: an overflow connection is closed after its query, and a new
        # PostgreSQL connection per page costs more than the page itself.
        threads = current_app.config["THREADS_PER_WORKER"]
        engine = create_engine(
            db.engine.url, isolation_level="AUTOCOMMIT", pool_size=max(threads, 2), max_overflow=8
        )
        # Its only writes are the visit counters (public/visits.py): statistics, which need not
        # wait for the disk (a crash may lose the last fraction of a second of them, as search logs).
        event.listen(engine, "connect", _no_synchronous_commit)
        engine = current_app.extensions.setdefault("vitrine_stamp_engine", engine)
    return engine


def _no_synchronous_commit(dbapi_connection, _record) -> None:
    dbapi_connection.execute("SET synchronous_commit TO OFF")


def _rows(statement, params: dict) -> list:
    if db.engine.dialect.name == "postgresql":
        return pg_rows(statement, params, db.engine)
    with db.engine.connect() as conn:
        return list(conn.execute(statement, params).all())


def shop_page_stamp(slug: str) -> tuple[int, frozenset[int]] | None:
    """Return the published shop's version and its sold-out product ids, or None (404)."""
    rows = _rows(SHOP_STAMP, {"slug": slug})
    if not rows:
        return None
    return rows[0][0], frozenset(pid for _, pid in rows if pid is not None)


def product_page_stamp(slug: str, product_id: int) -> tuple[int, int | None] | None:
    """Return the shop's version and the product's stock if the product is public, else None."""
    rows = _rows(PRODUCT_STAMP, {"slug": slug, "product_id": product_id})
    return (rows[0][0], rows[0][1]) if rows else None


def autocommit_engine():
    """The stamps' engine (autocommit on PostgreSQL): one statement, one round trip, no BEGIN."""
    return _engine()


def town_stamp(now) -> tuple:
    """Return what the town-wide pages were made of (compare two stamps for equality)."""
    return tuple(_rows(TOWN_STAMP, {"now": now})[0])
