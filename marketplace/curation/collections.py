"""Editorial collections: create, fill, order and publish them; what the home page shows."""

from __future__ import annotations

from datetime import datetime
from typing import Any, BinaryIO

from sqlalchemy import or_, select

from marketplace.audit import record_action
from marketplace.curation.models import Collection, CollectionItem
from marketplace.extensions import db
from shops import images, photo_uploads
from shops.models import PUBLISHED, Product, Shop
from shops.photo_models import COLLECTION_PHOTO, PhotoUpload
from shops.photo_uploads import photo_target

FIELDS = ("title", "slug", "body", "photo_alt", "published", "starts_at", "ends_at")
HOME_LIMIT = 3


class DuplicateSlug(ValueError):
    """Another collection already uses this web address."""


class DatesInWrongOrder(ValueError):
    """The end of publication comes before its start."""


def _check(values: dict[str, Any], exclude_id: int | None) -> None:
    other = db.session.scalar(select(Collection.id).where(Collection.slug == values["slug"]))
    if other is not None and other != exclude_id:
        raise DuplicateSlug(values["slug"])
    if (
        values.get("starts_at")
        and values.get("ends_at")
        and values["ends_at"] <= values["starts_at"]
    ):
        raise DatesInWrongOrder()


def save_collection(collection: Collection | None, values: dict[str, Any], curator) -> Collection:
    """Create a collection or update one from validated values (logged with before/after)."""
    _check(values, collection.id if collection else None)
    created = collection is None
    if collection is None:
        collection = Collection(body="", published=False)
        db.session.add(collection)
    changes = {}
    for name in FIELDS:
        if name in values and getattr(collection, name) != values[name]:
            changes[name] = [getattr(collection, name), values[name]]
            setattr(collection, name, values[name])
    db.session.flush()
    if created or changes:
        action = "collection.created" if created else "collection.updated"
        record_action(curator.id, action, "collection", collection.id, None, changes)
    return collection


def set_collection_photo(
    collection: Collection,
    stream: BinaryIO,
    upload_dir: str,
    max_bytes: int,
    uploaded_by_id: int | None = None,
) -> PhotoUpload:
    """Receive the collection's picture (raises images.InvalidImage); the job replaces the old."""
    db.session.flush()  # a new collection needs its id
    return photo_uploads.receive_photo(
        COLLECTION_PHOTO,
        collection.id,
        stream,
        collection.photo_alt or "",
        upload_dir,
        max_bytes,
        uploaded_by_id,
    )


@photo_target(COLLECTION_PHOTO)
def apply_collection_photo(collection_id: int, stored: str, alt: str, upload_dir: str) -> bool:
    """Show a finished picture as the collection's, dropping the one it replaces."""
    collection = db.session.get(Collection, collection_id)
    if collection is None:
        return False
    old = collection.photo_path
    collection.photo_path = stored
    images.delete_photo(upload_dir, old)
    return True


def add_item(
    collection: Collection, curator, shop: Shop | None = None, product: Product | None = None
) -> CollectionItem:
    """Append a shop or a product at the end of the collection."""
    if shop is not None:
        what = f"shop#{shop.id}"
    elif product is not None:
        what = f"product#{product.id}"
    else:
        raise ValueError("a collection item is a shop or a product")
    position = max((i.position for i in collection.items), default=-1) + 1
    item = CollectionItem(shop=shop, product=product, position=position)
    collection.items.append(item)
    db.session.flush()
    record_action(
        curator.id,
        "collection.item_added",
        "collection",
        collection.id,
        None,
        {"items": [None, what]},
    )
    return item


def remove_item(collection: Collection, item_id: int, curator) -> bool:
    """Remove one item; False if it is not this collection's."""
    for item in collection.items:
        if item.id == item_id:
            what = f"shop#{item.shop_id}" if item.shop_id else f"product#{item.product_id}"
            collection.items.remove(item)
            record_action(
                curator.id,
                "collection.item_removed",
                "collection",
                collection.id,
                None,
                {"items": [what, None]},
            )
            return True
    return False


def move_item(collection: Collection, item_id: int, step: int) -> None:
    """Move an item one place up (step -1) or down (+1), renumbering positions 0..n."""
    items = list(collection.items)
    index = next((i for i, item in enumerate(items) if item.id == item_id), None)
    if index is None:
        return
    target = min(max(index + step, 0), len(items) - 1)
    items.insert(target, items.pop(index))
    for position, item in enumerate(items):
        item.position = position


def live_collections(now: datetime, limit: int = HOME_LIMIT) -> list[Collection]:
    """Published collections whose dates include `now`, newest first."""
    return list(
        db.session.scalars(
            select(Collection)
            .where(
                Collection.published.is_(True),
                or_(Collection.starts_at.is_(None), Collection.starts_at <= now),
                or_(Collection.ends_at.is_(None), Collection.ends_at > now),
            )
            .order_by(Collection.starts_at.desc().nulls_last(), Collection.id.desc())
            .limit(limit)
        )
    )


def public_items(collection: Collection) -> list[CollectionItem]:
    """Items the public may see: published shops, visible products (a suspension hides them)."""
    return [
        item
        for item in collection.items
        if (item.shop is not None and item.shop.status == PUBLISHED)
        or (item.product is not None and item.product.is_public)
    ]
