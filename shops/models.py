"""Shop, OpeningHours, Closure, Product and ProductImage."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.accounts.models import User
from marketplace.db import UTCDateTime, utcnow
from marketplace.extensions import db
from shops.images import PHOTO_COLUMN

# Shop statuses (the transition table lives in shops.status).
DRAFT = "draft"  # being written by the shopkeeper, invisible
PENDING_REVIEW = "pending_review"  # submitted, waiting for the city office
PUBLISHED = "published"  # visible and searchable
REJECTED = "rejected"  # sent back with a reason; can be fixed and resubmitted
SUSPENDED = "suspended"  # taken down by the city office, with a reason
CHANGES_REQUESTED = "changes_requested"  # sent back with a list of changes to make, one a line


class Shop(db.Model):
    """A local shop listed on the marketplace."""

    __tablename__ = "shops"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    category: Mapped[str] = mapped_column(String(40), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    # What the shop is known for, in a few words ("vins nature, bio"): indexed for search.
    specialities: Mapped[str] = mapped_column(String(300), default="", server_default=text("''"))
    address: Mapped[str] = mapped_column(String(200))
    postcode: Mapped[str] = mapped_column(String(10), index=True)
    city: Mapped[str] = mapped_column(String(100))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    siret: Mapped[str | None] = mapped_column(String(14))
    phone: Mapped[str | None] = mapped_column(String(30))
    email: Mapped[str | None] = mapped_column(String(254))
    website: Mapped[str | None] = mapped_column(String(300))
    photo_path: Mapped[str | None] = mapped_column(String(200), info=PHOTO_COLUMN)
    photo_alt: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default=DRAFT, index=True)
    status_reason: Mapped[str | None] = mapped_column(Text)
    featured: Mapped[bool] = mapped_column(Boolean, default=False)
    pay_at_pickup: Mapped[bool] = mapped_column(Boolean, default=True)
    prep_minutes: Mapped[int] = mapped_column(Integer, default=60)
    slot_minutes: Mapped[int] = mapped_column(Integer, default=30)
    slot_capacity: Mapped[int] = mapped_column(Integer, default=5)
    # Extra OpenStreetMap opening_hours rules after the weekly hours (date ranges, weeks...).
    hours_rules: Mapped[str] = mapped_column(String(300), default="", server_default=text("''"))
    closed_on_holidays: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    stripe_account_id: Mapped[str | None] = mapped_column(String(64))
    payouts_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    # When the account state above was read: an older account.updated never overwrites it.
    stripe_account_synced_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    # Bumped with any change to the shop or what its public pages show (shops.versioning).
    version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    owner: Mapped[User] = relationship()
    hours: Mapped[list[OpeningHours]] = relationship(
        back_populates="shop",
        cascade="all, delete-orphan",
        order_by="(OpeningHours.weekday, OpeningHours.opens)",
    )
    closures: Mapped[list[Closure]] = relationship(
        back_populates="shop", cascade="all, delete-orphan", order_by="Closure.starts_on"
    )

    __table_args__ = (
        CheckConstraint("prep_minutes >= 0", name="prep_minutes_non_negative"),
        CheckConstraint("slot_minutes > 0", name="slot_minutes_positive"),
        CheckConstraint("slot_capacity > 0", name="slot_capacity_positive"),
    )

    @property
    def is_public(self) -> bool:
        return self.status == PUBLISHED

    @property
    def requested_changes(self) -> list[str]:
        """The changes the office asked for, one a line (list bullets dropped)."""
        if self.status != CHANGES_REQUESTED or not self.status_reason:
            return []
        lines = (line.strip().lstrip("-•*").strip() for line in self.status_reason.splitlines())
        return [line for line in lines if line]

    def __repr__(self) -> str:
        return f"<Shop {self.slug} {self.status}>"


class OpeningHours(db.Model):
    """One opening interval of a weekday (0 = Monday), in the town's wall-clock time."""

    __tablename__ = "opening_hours"

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)
    opens: Mapped[time] = mapped_column(Time)
    closes: Mapped[time] = mapped_column(Time)

    shop: Mapped[Shop] = relationship(back_populates="hours")

    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        CheckConstraint("opens < closes", name="opens_before_closes"),
    )


class Closure(db.Model):
    """A period (inclusive dates, local) when the shop is closed: holidays, works...

    With times, only part of a day: from `starts_time` on the first day until `ends_time` on the
    last (local wall-clock; None = the whole day), e.g. closed this afternoon.
    """

    __tablename__ = "closures"

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200), default="")
    starts_time: Mapped[time | None] = mapped_column(Time)
    ends_time: Mapped[time | None] = mapped_column(Time)

    shop: Mapped[Shop] = relationship(back_populates="closures")

    __table_args__ = (CheckConstraint("starts_on <= ends_on", name="starts_before_ends"),)


class Product(db.Model):
    """An item a shop sells; `stock` None means unlimited."""

    __tablename__ = "products"

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(120))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    price_cents: Mapped[int] = mapped_column(Integer)
    stock: Mapped[int | None] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(80), default="")
    # A type slug of the product taxonomy (shops.product_types); None when nothing fits.
    product_type: Mapped[str | None] = mapped_column(String(40), index=True)
    sku: Mapped[str | None] = mapped_column(String(64))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    hidden_reason: Mapped[str | None] = mapped_column(Text)
    # The shopkeeper is told when stock falls to this many units or fewer (None: never).
    low_stock_threshold: Mapped[int | None] = mapped_column(Integer)
    # When it last fell there; cleared once restocked above, so each crossing alerts once.
    low_stock_alerted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    shop: Mapped[Shop] = relationship()
    images: Mapped[list[ProductImage]] = relationship(
        back_populates="product", cascade="all, delete-orphan", order_by="ProductImage.position"
    )

    __table_args__ = (
        UniqueConstraint("shop_id", "slug", name="uq_products_shop_slug"),
        UniqueConstraint("shop_id", "sku", name="uq_products_shop_sku"),
        CheckConstraint("price_cents > 0", name="price_positive"),
        CheckConstraint("stock IS NULL OR stock >= 0", name="stock_non_negative"),
        # Sold-out products of a shop: the public page cache checks them on every request.
        Index(
            "ix_products_sold_out",
            "shop_id",
            postgresql_where=text("stock = 0"),
            sqlite_where=text("stock = 0"),
        ),
    )

    @property
    def is_public(self) -> bool:
        return self.is_active and self.hidden_reason is None and self.shop.is_public

    @property
    def in_stock(self) -> bool:
        return self.stock is None or self.stock > 0

    @property
    def is_low_on_stock(self) -> bool:
        """At or below its low-stock threshold (never for unlimited stock or no threshold)."""
        return (
            self.stock is not None
            and self.low_stock_threshold is not None
            and self.stock <= self.low_stock_threshold
        )

    def __repr__(self) -> str:
        return f"<Product {self.id} {self.name!r}>"


class ProductImage(db.Model):
    """A photo of a product, stored under the upload folder in display and thumbnail sizes."""

    __tablename__ = "product_images"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    path: Mapped[str] = mapped_column(String(200), info=PHOTO_COLUMN)
    alt: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    product: Mapped[Product] = relationship(back_populates="images")
