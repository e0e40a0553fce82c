"""PhotoUpload: a photo received and checked by its header, waiting for the job that resizes it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.db import UTCDateTime, utcnow
from marketplace.extensions import db
from shops.images import PHOTO_COLUMN

# What a photo is for (`target`), each with the row it belongs to (`target_id`).
SHOP_PHOTO = "shop"
PRODUCT_PHOTO = "product"
COLLECTION_PHOTO = "collection"

PENDING = "pending"  # the original waits in incoming/ for the job
FAILED = "failed"  # the job could not read it: `error` says why; the original is gone


class PhotoUpload(db.Model):
    """One upload between the request and its display sizes; deleted once they are written."""

    __tablename__ = "photo_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    target: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int] = mapped_column(Integer, index=True)
    # "incoming/<uuid>": the original as received (never served); the orphan sweep keeps it.
    original: Mapped[str] = mapped_column(String(200), info=PHOTO_COLUMN)
    alt: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20), default=PENDING)
    error: Mapped[str | None] = mapped_column(String(40))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def failed(self) -> bool:
        """Whether the job gave up on this photo (the shopkeeper is told why)."""
        return self.status == FAILED
