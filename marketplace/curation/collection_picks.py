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


# French accents are forgiven ("epicerie" finds "Épicerie") without an SQL function that SQLite
# and PostgreSQL would both have: the database narrows with a LIKE pattern in which each letter
# that may carry an accent is a one-character wildcard, then Python compares the folded names.
LIGATURES = {"œ": "oe", "æ": "ae"}
ACCENTABLE = set("aceiouy")
NARROWING = 5  # rows read per row shown: the patterns let a few near misses through


def fold(text: str) -> str:
    """Lowercase ASCII: accents dropped, ligatures spelled out ("Bœuf Épicé" -> "boeuf epice")."""
    text = "".join(LIGATURES.get(c, c) for c in text.lower())
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _words(text: str) -> list[str]:
    # Control characters go (PostgreSQL refuses NUL in a string).
    text = "".join(c for c in text if unicodedata.category(c)[0] != "C" or c.isspace())
    words = (fold(w.strip(PUNCTUATION)) for w in text.split())
    return [w for w in words if w][:MAX_WORDS]


def _pattern(word: str) -> str:
    """A LIKE pattern (escape \\) matching `word` whatever accents or ligatures the name has."""
    parts = []
    for piece in word.replace("ae", "\0").replace("oe", "\0").split("\0"):
        escaped = ["_" if c in ACCENTABLE else "\\" + c if c in "%_\\" else c for c in piece]
        parts.append("".join(escaped))
    return "%" + "%".join(parts) + "%"  # a ligature is one character or two


def _named(query, column, words: list[str], limit: int) -> list:
    narrowed = query.where(
        *[func.lower(column).like(_pattern(w), escape="\\") for w in words]
    ).limit(limit * NARROWING)
    rows = db.session.scalars(narrowed).all()
    return [r for r in rows if all(w in fold(r.name) for w in words)][:limit]


def find_candidates(text: str, limit: int = PICK_LIMIT) -> tuple[list[Shop], list[Product]]:
    """Published shops and public products whose names hold every word of `text`."""
    words = _words(text)
    if not words:
        return [], []
    shops = _named(public_shops_query().order_by(Shop.name), Shop.name, words, limit)
    products = _named(
        public_products_query().order_by(Product.name, Shop.name), Product.name, words, limit
    )
    return shops, products


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
