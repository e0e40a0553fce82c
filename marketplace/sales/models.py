"""Daily counters of visits to shop and product pages, and of searches that led there.

Nothing personal is kept: no address, cookie, session or user, only (page, day) -> count and
(page, day, words searched) -> count. A shop's own page has product_id 0 (not NULL, so that
the unique key works the same on SQLite and PostgreSQL); no foreign key on it, so that a
deleted product keeps its history.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.extensions import db

SHOP_PAGE = 0  # product_id of a visit to the shop's own page
MAX_QUERY = 60  # as the office's "top searches": a longer one is a pasted paragraph


class PageView(db.Model):
    """How many times a shop's page (product_id 0) or one of its product pages was seen in a day."""

    __tablename__ = "page_views"

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"))
    product_id: Mapped[int] = mapped_column(Integer, default=SHOP_PAGE)
    day: Mapped[date] = mapped_column(Date)  # the town's local date
    views: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        UniqueConstraint("shop_id", "product_id", "day", name="uq_page_views_page_day"),
    )


class SearchReferral(db.Model):
    """How many times a search for `query` led a visitor to this shop's page or product in a day."""

    __tablename__ = "search_referrals"

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"))
    product_id: Mapped[int] = mapped_column(Integer, default=SHOP_PAGE)
    day: Mapped[date] = mapped_column(Date)
    query: Mapped[str] = mapped_column(String(MAX_QUERY))  # lower-cased, spaces collapsed
    visits: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        UniqueConstraint(
            "shop_id", "product_id", "day", "query", name="uq_search_referrals_page_day_query"
        ),
    )
