"""Catalogue operations: products and their photos, and what the public may see."""

from __future__ import annotations

from typing import Any, BinaryIO

from sqlalchemy import Select, select

from marketplace.extensions import db
from shops import images, photo_uploads
from shops.models import PUBLISHED, Product, Shop
from shops.photo_models import PRODUCT_PHOTO, PhotoUpload
from shops.product_types import guess_type
from shops.services import slugify

MAX_IMAGES = 5

PRODUCT_FIELDS = (
    "name",
    "description",
    "price_cents",
    "stock",
    "low_stock_threshold",
    "category",
    "product_type",
    "sku",
    "is_active",
)


class TooManyImages(ValueError):
    """A product already has the most photos allowed."""


class DuplicateSku(ValueError):
    """Another product of the same shop already uses this SKU."""


def to_product_values(validated: dict[str, Any]) -> dict[str, Any]:
    """Map validated input (shops.schemas.ProductInput) to Product column values."""
    mapping = {"price": "price_cents", "active": "is_active", "type": "product_type"}
    return {mapping.get(k, k): v for k, v in validated.items()}


def unique_product_slug(shop_id: int, name: str, exclude_id: int | None = None) -> str:
    """Return a slug for `name` that no other product of the shop uses."""
    base = slugify(name, 100)
    query = select(Product.id, Product.slug).where(
        Product.shop_id == shop_id, Product.slug.like(f"{base}%")
    )
    taken = {slug for pid, slug in db.session.execute(query) if pid != exclude_id}
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _check_sku(shop_id: int, sku: str | None, exclude_id: int | None) -> None:
    if not sku:
        return
    other = db.session.scalar(
        select(Product.id).where(Product.shop_id == shop_id, Product.sku == sku)
    )
    if other is not None and other != exclude_id:
        raise DuplicateSku(sku)


def with_type(values: dict[str, Any], shop_category: str, current: Product | None = None):
    """The values with a product type: the one given, else the one the category and name say."""
    if values.get("product_type") or ("product_type" not in values and current is not None):
        return values
    category = values.get("category", current.category if current else "")
    name = values.get("name", current.name if current else "")
    return {**values, "product_type": guess_type(category, name, shop_category)}


def create_product(shop: Shop, values: dict[str, Any]) -> Product:
    """Add a product to the shop's catalogue from validated values."""
    values = with_type(values, shop.category)
    _check_sku(shop.id, values.get("sku"), None)
    product = Product(shop=shop, slug=unique_product_slug(shop.id, values["name"]))
    for field in PRODUCT_FIELDS:
        if field in values:
            setattr(product, field, values[field])
    db.session.add(product)
    db.session.flush()
    return product


def update_product(product: Product, values: dict[str, Any]) -> dict[str, list]:
    """Apply validated values; return the changed fields as {field: [before, after]}."""
    _check_sku(product.shop_id, values.get("sku", product.sku), product.id)
    values = with_type(values, product.shop.category, product)
    changes = {}
    for field in PRODUCT_FIELDS:
        if field in values and getattr(product, field) != values[field]:
            changes[field] = [getattr(product, field), values[field]]
            setattr(product, field, values[field])
    if "name" in changes:
        product.slug = unique_product_slug(product.shop_id, product.name, product.id)
    return changes


def add_product_image(
    product: Product,
    stream: BinaryIO,
    alt: str,
    upload_dir: str,
    max_bytes: int,
    uploaded_by_id: int | None = None,
) -> PhotoUpload:
    """Receive a photo for the product (at most MAX_IMAGES, counting those being prepared).

    Raises images.InvalidImage; the job adds the ProductImage once the display sizes exist.
    """
    db.session.flush()  # a new product needs its id
    if len(product.images) + photo_uploads.waiting_count(PRODUCT_PHOTO, product.id) >= MAX_IMAGES:
        raise TooManyImages()
    return photo_uploads.receive_photo(
        PRODUCT_PHOTO,
        product.id,
        stream,
        alt.strip() or product.name,
        upload_dir,
        max_bytes,
        uploaded_by_id,
        replace=False,
    )


def remove_product_image(product: Product, image_id: int, upload_dir: str) -> bool:
    """Delete one of the product's photos; return False if it is not this product's."""
    for image in product.images:
        if image.id == image_id:
            product.images.remove(image)
            images.delete_photo(upload_dir, image.path)
            return True
    return False


def public_shops_query() -> Select:
    """Shops the public may see."""
    return select(Shop).where(Shop.status == PUBLISHED)


def public_products_query() -> Select:
    """Products the public may see: active, not hidden, of a published shop."""
    return (
        select(Product)
        .join(Product.shop)
        .where(
            Shop.status == PUBLISHED, Product.is_active.is_(True), Product.hidden_reason.is_(None)
        )
    )
