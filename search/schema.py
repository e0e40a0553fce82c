"""The Whoosh schema and the documents built from shops and products."""

from __future__ import annotations

from whoosh.columns import NumericColumn, RefBytesColumn
from whoosh.fields import COLUMN, ID, STORED, TEXT, Schema

from search.analysis import content_words, english_analyzer, english_query_analyzer, exact_analyzer
from search.analysis import french_analyzer as fr
from shops.categories import get_category
from shops.opening import shop_rules
from shops.product_types import get_type, index_words, qualifier_words

PRODUCT_KIND = "product"
SHOP_KIND = "shop"
META_KIND = "meta"
META_ID = "__meta__"  # one document holding the index's position in the outbox
SUMMARY_CHARS = 300  # stored description, enough for a snippet
INDEXED_DESCRIPTION_CHARS = 100  # ingredient lists run long; their head is what people search

# Bits of the `flags` column.
IS_PRODUCT, IN_STOCK, FEATURED = 1, 2, 4

# Price bands of the facet, in cents: [lower, upper).
PRICE_BANDS = ((0, 500), (500, 1000), (1000, 2000), (2000, 5000), (5000, None))


def build_schema() -> Schema:
    """The fields of the index; categories are ID filters, never parsed query fields."""
    return Schema(
        id=ID(stored=True, unique=True),
        kind=ID(stored=True),
        name=TEXT(analyzer=fr(), stored=True, phrase=False),
        name_exact=TEXT(analyzer=exact_analyzer()),
        name_en=TEXT(analyzer=english_analyzer(), phrase=False),
        description=TEXT(analyzer=fr(), phrase=False),
        summary=STORED(),
        labels=TEXT(analyzer=fr(), phrase=False),  # category labels (fr) and product category
        labels_en=TEXT(analyzer=english_query_analyzer(), phrase=False),
        shop_name=TEXT(analyzer=exact_analyzer(), phrase=False),
        category=ID(stored=True),  # shop category code: a filter, never a query field
        shop=ID(),  # shop id as text: removes a shop's products in one delete
        postcode=ID(stored=True),
        # Columns only (not indexed): read in bulk by search.snapshot for filters, facets, sorts.
        shop_id=COLUMN(NumericColumn("i")),
        price_cents=COLUMN(NumericColumn("i")),
        created=COLUMN(NumericColumn("q")),  # epoch seconds
        flags=COLUMN(NumericColumn("B")),
        category_code=COLUMN(RefBytesColumn()),
        type_code=COLUMN(RefBytesColumn()),  # product type slug (empty on shops and untyped)
        name_len=COLUMN(NumericColumn("B")),  # words in the name: BM25 length normalisation
        data=STORED(),  # what a result shows: slugs, sku, price, coordinates, summary, hours
        position=STORED(),  # meta: the last outbox id applied, and pending gaps
    )


def _labels(code: str) -> tuple[str, str]:
    category = get_category(code)
    return (category.fr, category.en) if category else (code or "", code or "")


def _minutes(value) -> int:
    minutes = value.hour * 60 + value.minute
    return 24 * 60 if (value.hour, value.minute, value.second) == (23, 59, 59) else minutes


def _clock(value) -> int | None:
    return None if value is None else _minutes(value)


def _name_len(name: str) -> int:
    return max(1, min(len(content_words(name)), 255))


def _epoch(value) -> int:
    return int(value.timestamp()) if value else 0


def shop_document(shop, types: tuple[str, ...] = ()) -> dict:
    """The indexed form of a published shop, described by its specialities and by the product
    types it sells (`types`), so "librairie jeunesse" or "organic wine shop" finds it."""
    label_fr, label_en = _labels(shop.category)
    description = shop.description or ""
    specialities = getattr(shop, "specialities", "") or ""
    sold = [get_type(slug) for slug in types]
    sold_fr = " ".join(t.fr for t in sold if t)
    sold_en = " ".join(t.en for t in sold if t)
    also_fr, also_en = qualifier_words(f"{shop.name} {specialities} {description}")
    return {
        "id": f"s:{shop.id}",
        "kind": SHOP_KIND,
        "name": shop.name,
        "name_exact": shop.name,
        "name_en": shop.name,
        "description": f"{specialities} {description[:INDEXED_DESCRIPTION_CHARS]}",
        "labels": f"{label_fr} {specialities} {also_fr} {sold_fr}",
        "labels_en": f"{label_en} {also_en} {sold_en}",
        "shop_name": shop.name,
        "category": shop.category,
        "shop": str(shop.id),
        "postcode": shop.postcode or "",
        "shop_id": shop.id,
        "price_cents": 0,
        "created": _epoch(shop.published_at or shop.created_at),
        "flags": IN_STOCK | (FEATURED if shop.featured else 0),
        "category_code": (shop.category or "").encode(),
        "type_code": b"",
        "name_len": _name_len(shop.name),
        "data": {
            "slug": shop.slug,
            "address": shop.address,
            "lat": shop.lat,
            "lon": shop.lon,
            "summary": description[:SUMMARY_CHARS],
            "hours": tuple((h.weekday, _minutes(h.opens), _minutes(h.closes)) for h in shop.hours),
            "closures": tuple(  # whole days
                (c.starts_on.toordinal(), c.ends_on.toordinal())
                for c in shop.closures
                if not (c.starts_time or c.ends_time)
            ),
            # Holidays, extra rules and part-day closures: "open now" asks shops.opening.
            "rules": shop_rules(shop),
            "part_days": tuple(
                (
                    c.starts_on.toordinal(),
                    c.ends_on.toordinal(),
                    _clock(c.starts_time),
                    _clock(c.ends_time),
                )
                for c in shop.closures
                if c.starts_time or c.ends_time
            ),
        },
    }


def product_document(product, shop, image: str | None = None) -> dict:
    """The indexed form of a visible product of a published shop (`image`: its first photo)."""
    label_fr, label_en = _labels(shop.category)
    type_fr, type_en = index_words(getattr(product, "product_type", None))
    description = product.description or ""
    in_stock = product.stock is None or product.stock > 0
    return {
        "id": f"p:{product.id}",
        "kind": PRODUCT_KIND,
        "name": product.name,
        "name_exact": product.name,
        "name_en": f"{product.name} {product.category or ''}",
        "description": description[:INDEXED_DESCRIPTION_CHARS],
        "labels": f"{product.category or ''} {type_fr} {label_fr}",
        "labels_en": f"{type_en} {label_en}",
        "shop_name": shop.name,
        "category": shop.category,
        "shop": str(shop.id),
        "postcode": shop.postcode or "",
        "shop_id": shop.id,
        "price_cents": product.price_cents,
        "created": _epoch(product.created_at),
        "flags": IS_PRODUCT | (IN_STOCK if in_stock else 0) | (FEATURED if shop.featured else 0),
        "category_code": (shop.category or "").encode(),
        "type_code": (getattr(product, "product_type", None) or "").encode(),
        "name_len": _name_len(product.name),
        "data": {
            "slug": product.slug,
            "sku": product.sku,
            "price_cents": product.price_cents,
            "in_stock": in_stock,
            "shop_slug": shop.slug,
            "shop_name": shop.name,
            "summary": description[:SUMMARY_CHARS],
            "image": image,
        },
    }


def price_band(cents: int) -> int:
    """Index of the price band holding `cents`."""
    for i, (_low, high) in enumerate(PRICE_BANDS):
        if high is None or cents < high:
            return i
    return len(PRICE_BANDS) - 1
