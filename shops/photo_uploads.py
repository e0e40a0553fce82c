"""Receiving a photo: checked by its header, kept as sent, and recorded for the job that resizes it.

The request never decodes pixels (a small file can hold a huge image): it checks the header
(format, dimensions, size), keeps the original under incoming/ and records a PhotoUpload. The job
(shops/photo_jobs.py) writes the display sizes and only then names them on the shop, product or
collection, so no page ever links to a file that does not exist yet.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import func, select

from marketplace import stored_files
from marketplace.extensions import db
from shops import images
from shops.models import Product, ProductImage, Shop
from shops.photo_models import (
    COLLECTION_PHOTO,
    FAILED,
    PENDING,
    PRODUCT_PHOTO,
    SHOP_PHOTO,
    PhotoUpload,
)

# Applying a finished photo to what it is for: (target_id, stored path, alt, upload_dir) -> False
# when that row is gone. Other packages register theirs (curation's collections) with photo_target.
Applier = Callable[[int, str, str, str], bool]
APPLIERS: dict[str, Applier] = {}
# A failure stays on the shopkeeper's page this long (or until a new photo replaces it).
FORGET_FAILED_AFTER = timedelta(days=7)
# Where each target's display sizes are written (the media route serves these two folders).
FOLDERS = {SHOP_PHOTO: "shops", PRODUCT_PHOTO: "products", COLLECTION_PHOTO: "shops"}


def photo_target(name: str) -> Callable[[Applier], Applier]:
    """Declare how a finished photo is applied to a `name` target."""

    def decorator(apply: Applier) -> Applier:
        APPLIERS[name] = apply
        return apply

    return decorator


def receive_photo(
    target: str,
    target_id: int,
    stream: BinaryIO,
    alt: str,
    upload_dir: str,
    max_bytes: int,
    uploaded_by_id: int | None = None,
    replace: bool = True,
) -> PhotoUpload:
    """Check a photo's header, keep the original and record it for the job (raises InvalidImage).

    With `replace`, an earlier upload for the same target still waiting or failed is dropped
    (sending a photo again replaces it); without, only the failed ones are.
    """
    original = images.receive_original(stream, upload_dir, max_bytes)
    for earlier in uploads_for(target, target_id):
        if replace or earlier.failed:
            drop_upload(earlier, upload_dir)
    upload = PhotoUpload(
        target=target,
        target_id=target_id,
        original=original,
        alt=alt.strip(),
        uploaded_by_id=uploaded_by_id,
    )
    db.session.add(upload)
    db.session.flush()
    return upload


def uploads_for(target: str, target_id: int) -> list[PhotoUpload]:
    """The uploads of one target still waiting for the job or failed, oldest first."""
    query = select(PhotoUpload).where(
        PhotoUpload.target == target, PhotoUpload.target_id == target_id
    )
    return list(db.session.scalars(query.order_by(PhotoUpload.id)))


def waiting_count(target: str, target_id: int) -> int:
    """How many uploads of one target the job has not finished yet."""
    counted = db.session.scalar(
        select(func.count())
        .select_from(PhotoUpload)
        .where(
            PhotoUpload.target == target,
            PhotoUpload.target_id == target_id,
            PhotoUpload.status != FAILED,
        )
    )
    return counted or 0


def drop_upload(upload: PhotoUpload, upload_dir: str) -> None:
    """Forget an upload; its original goes once the transaction commits."""
    stored_files.remove_after_commit(Path(upload_dir) / upload.original)
    db.session.delete(upload)


def settle_stale_uploads(now: datetime, upload_dir: str, stuck_after: timedelta) -> tuple[int, int]:
    """Fail the uploads still waiting after `stuck_after`, forget old failures; return both counts.

    A job that never ran or spent its retries (a worker down for a day) would otherwise leave
    "being prepared" on the page for ever; the shopkeeper is told to send the photo again.
    """
    stuck = db.session.scalars(
        select(PhotoUpload).where(
            PhotoUpload.status == PENDING, PhotoUpload.created_at < now - stuck_after
        )
    ).all()
    for upload in stuck:
        upload.status, upload.error = FAILED, "not_prepared"
        stored_files.remove_after_commit(Path(upload_dir) / upload.original)
    forgotten = db.session.scalars(
        select(PhotoUpload).where(
            PhotoUpload.status == FAILED, PhotoUpload.created_at < now - FORGET_FAILED_AFTER
        )
    ).all()
    for upload in forgotten:
        db.session.delete(upload)
    return len(stuck), len(forgotten)


@photo_target(SHOP_PHOTO)
def apply_shop_photo(shop_id: int, stored: str, alt: str, upload_dir: str) -> bool:
    """Show a finished photo as the shop's, dropping the one it replaces."""
    shop = db.session.get(Shop, shop_id)
    if shop is None:
        return False
    old = shop.photo_path
    shop.photo_path, shop.photo_alt = stored, alt
    images.delete_photo(upload_dir, old)
    return True


@photo_target(PRODUCT_PHOTO)
def apply_product_photo(product_id: int, stored: str, alt: str, upload_dir: str) -> bool:
    """Add a finished photo after the product's others."""
    product = db.session.get(Product, product_id)
    if product is None:
        return False
    position = max((i.position for i in product.images), default=-1) + 1
    product.images.append(ProductImage(path=stored, alt=alt or product.name, position=position))
    return True
