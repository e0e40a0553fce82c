"""Editorial collections, the shop snapshot taken at each review decision, bulk shop imports."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from marketplace.accounts.models import User
from marketplace.db import UTCDateTime, utcnow
from marketplace.extensions import db
from shops.images import PHOTO_COLUMN
from shops.models import Product, Shop


class Collection(db.Model):
    """An editorial selection of shops or products, shown on the home page between two dates."""

    __tablename__ = "collections"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text, default="")
    photo_path: Mapped[str | None] = mapped_column(String(200), info=PHOTO_COLUMN)
    photo_alt: Mapped[str | None] = mapped_column(String(200))
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # None: from now on
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # None: no end
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    items: Mapped[list[CollectionItem]] = relationship(
        back_populates="collection",
        cascade="all, delete-orphan",
        order_by="(CollectionItem.position, CollectionItem.id)",
    )

    def is_live_at(self, now: datetime) -> bool:
        """Published, and `now` falls between the publish dates."""
        return (
            self.published
            and (self.starts_at is None or self.starts_at <= now)
            and (self.ends_at is None or now < self.ends_at)
        )


class CollectionItem(db.Model):
    """One shop or one product of a collection, at its position."""

    __tablename__ = "collection_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    collection_id: Mapped[int] = mapped_column(
        ForeignKey("collections.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    shop_id: Mapped[int | None] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"))
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))

    collection: Mapped[Collection] = relationship(back_populates="items")
    shop: Mapped[Shop | None] = relationship()
    product: Mapped[Product | None] = relationship()

    __table_args__ = (
        CheckConstraint(
            "(shop_id IS NULL) <> (product_id IS NULL)", name="one_shop_or_one_product"
        ),
    )


class ReviewSnapshot(db.Model):
    """The shop as it was at the curator's last decision, to show what changed since."""

    __tablename__ = "review_snapshots"

    shop_id: Mapped[int] = mapped_column(
        ForeignKey("shops.id", ondelete="CASCADE"), primary_key=True
    )
    snapshot: Mapped[str] = mapped_column(Text)  # JSON {"field": value}
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


# A shop import's status: checked and shown to the office, then imported (once).
PREVIEWED = "previewed"
IMPORTED = "imported"
EXPIRED = "expired"  # never imported: the retention job erased the file (the owners' emails)


class ShopImport(db.Model):
    """The town's shops CSV between its preview and its import, then what the import did."""

    __tablename__ = "shop_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    filename: Mapped[str] = mapped_column(String(200), default="")
    publish: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default=PREVIEWED)
    # Kept in the database so that the import needs no second upload (and any app server can
    # run it); emptied once imported, or by the retention job if never imported: it holds the
    # owners' emails (marketplace/privacy/retention.py). Deferred: lists never load it.
    data: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    lines: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    invited: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    imported_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    started_by: Mapped[User | None] = relationship(foreign_keys=[started_by_id])
    imported_by: Mapped[User | None] = relationship(foreign_keys=[imported_by_id])
