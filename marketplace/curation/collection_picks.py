"""Finding what goes into a collection by name, and a collection's web address from its title."""

from __future__ import annotations

import unicodedata

from sqlalchemy import func, select

from marketplace.curation.models import Collection
from marketplace.extensions import db
from shops.catalogue import public_products_query, public_shops_query
from shops.models import Product, Shop
from shops.services import slugify

MAX_WORDS = 6
PICK_LIMIT = 10
PUNCTUATION = "\"'«»“”,.;:!?()[]"


def _words(text: str) -> list[str]:
    # Control characters go (PostgreSQL refuses NUL in a string).
    text = "".join(c for c in text if unicodedata.category(c)[0] != "C" or c.isspace())
    words = (w.strip(PUNCTUATION) for w in text.lower().split())
    return [w for w in words if w][:MAX_WORDS]


def _named(column, words: list[str]):
    # Every word must appear in the name; a typed % or _ is a character, not a wildcard.
    return [func.lower(column).contains(word, autoescape=True) for word in words]


def find_candidates(text: str, limit: int = PICK_LIMIT) -> tuple[list[Shop], list[Product]]:
    """Published shops and public products whose names hold every word of `text`."""
    words = _words(text)
    if not words:
        return [], []
    shops = db.session.scalars(
        public_shops_query().where(*_named(Shop.name, words)).order_by(Shop.name).limit(limit)
    ).all()
    products = db.session.scalars(
        public_products_query()
        .where(*_named(Product.name, words))
        .order_by(Product.name, Shop.name)
        .limit(limit)
    ).all()
    return list(shops), list(products)


def pickable_shop(shop_id: int | None) -> Shop | None:
    """The published shop with this id, if any (only those may be put forward)."""
    shop = db.session.get(Shop, shop_id) if shop_id is not None else None
    return shop if shop is not None and shop.is_public else None


def pickable_product(product_id: int | None) -> Product | None:
    """The public product with this id, if any."""
    product = db.session.get(Product, product_id) if product_id is not None else None
    return product if product is not None and product.is_public else None


def unique_collection_slug(title: str, exclude_id: int | None = None) -> str:
    """A web address made from `title` (accents folded) that no other collection uses."""
    base = slugify(title, 72)
    if base == "shop" and "shop" not in title.lower():  # slugify's word for no letter or digit
        base = "collection"
    rows = db.session.execute(
        select(Collection.id, Collection.slug).where(Collection.slug.like(f"{base}%"))
    )
    taken = {slug for id_, slug in rows if id_ != exclude_id}
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug
