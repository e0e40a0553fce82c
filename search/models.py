"""SearchOutbox (the change log the indexes follow), SearchLog (what residents searched) and its daily counts."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.db import UTCDateTime, utcnow
from marketplace.extensions import db

# Outbox kinds and operations.
SHOP = "shop"  # a shop changed: re-index it and all its products
PRODUCT = "product"  # a product changed: re-index it
PRUNED = (
    "pruned"  # written by a prune: rows up to entity_id are gone; a replica behind them rebuilds
)
UPSERT = "upsert"
DELETE = "delete"

# SQLite only gives monotonic ids (never reused after a prune) to an INTEGER AUTOINCREMENT key.
OUTBOX_ID = BigInteger().with_variant(Integer(), "sqlite")


class SearchOutbox(db.Model):
    """One change to apply to the search indexes; ids only grow, rows are pruned when old."""

    __tablename__ = "search_outbox"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(OUTBOX_ID, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(10))
    entity_id: Mapped[int] = mapped_column(BigInteger)
    op: Mapped[str] = mapped_column(String(10), default=UPSERT)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class SearchLog(db.Model):
    """One search: the words, the filters and how many results; never who searched."""

    __tablename__ = "search_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    query: Mapped[str] = mapped_column(String(200))
    filters: Mapped[str] = mapped_column(Text, default="{}")  # JSON object
    result_count: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class SearchLogDaily(db.Model):
    """How often a query was searched on a day (UTC), kept once its search_log rows are purged.

    Only the normalised words and two counts: no filters (a distance filter holds a position),
    no time of day, nothing that could single out the person who searched.
    """

    __tablename__ = "search_log_daily"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    query: Mapped[str] = mapped_column(String(200))  # lower-cased, spaces trimmed
    searches: Mapped[int] = mapped_column(Integer)
    without_result: Mapped[int] = mapped_column(Integer)

    __table_args__ = (UniqueConstraint("day", "query", name="uq_search_log_daily_day_query"),)
