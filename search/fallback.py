"""Answer searches from the database while the index is being rebuilt (lost or corrupted).

Plainer than the index (every word must appear in the name, no stemming, no typo tolerance, no
facets) but correct and visible at once: a resident still finds "baguette" during a rebuild.
"""

from __future__ import annotations

import unicodedata

from markupsafe import escape
from sqlalchemy import func, or_

from marketplace.extensions import db
from search.params import SearchParams
from search.query import Hit, Results
from shops.catalogue import public_products_query, public_shops_query
from shops.models import Product, Shop
from shops.product_types import taxonomy

MAX_WORDS = 6
PUNCTUATION = "\"'«»“”,.;:!?()[]"


def _words(text: str) -> list[str]:
    # Raw words, not the index's folded ones: the database holds names with their accents.
    # Control characters go (PostgreSQL refuses NUL in a string).
    text = "".join(c for c in text if unicodedata.category(c)[0] != "C" or c.isspace())
    words = (w.strip(PUNCTUATION) for w in text.lower().split())
    return [w for w in words if w][:MAX_WORDS]


def _name_matches(column, words: list[str]):
    # contains(autoescape=True): a typed % or _ is a character, not a LIKE wildcard.
    return [func.lower(column).contains(word, autoescape=True) for word in words]


def _product_hits(params: SearchParams, words: list[str]):
    query = public_products_query().where(*_name_matches(Product.name, words))
    if params.category:
        query = query.where(Shop.category == params.category)
    if params.product_type:
        query = query.where(Product.product_type == params.product_type)
    if params.family:
        family = taxonomy().families.get(params.family)
        query = query.where(Product.product_type.in_(family.types if family else ()))
    if params.shop:
        query = query.where(Shop.slug == params.shop)
    if params.min_price_cents is not None:
        query = query.where(Product.price_cents >= params.min_price_cents)
    if params.max_price_cents is not None:
        query = query.where(Product.price_cents <= params.max_price_cents)
    if params.in_stock:
        query = query.where(or_(Product.stock.is_(None), Product.stock > 0))
    if params.postcode:
        query = query.where(Shop.postcode == params.postcode)
    return query


def _shop_hits(params: SearchParams, words: list[str]):
    if (
        params.min_price_cents is not None
        or params.max_price_cents is not None
        or params.in_stock
        or params.product_type
        or params.family
        or params.products_only
    ):
        return None  # product-only filters: shops never match them
    query = public_shops_query().where(*_name_matches(Shop.name, words))
    if params.category:
        query = query.where(Shop.category == params.category)
    if params.shop:
        query = query.where(Shop.slug == params.shop)
    if params.postcode:
        query = query.where(Shop.postcode == params.postcode)
    return query


def search_database(params: SearchParams) -> Results:
    """A page of shops then products whose names hold every word (distance, open-now ignored)."""
    words = _words(params.q)
    start = (params.page - 1) * params.per_page
    shops_q = _shop_hits(params, words)
    shops = list(db.session.scalars(shops_q.order_by(Shop.name))) if shops_q is not None else []
    products_q = _product_hits(params, words)
    order = {
        "price_asc": Product.price_cents.asc(),
        "price_desc": Product.price_cents.desc(),
        "newest": Product.created_at.desc(),
    }.get(params.sort, Product.name.asc())
    total_products = db.session.scalar(products_q.with_only_columns(func.count()).order_by(None))
    hits = [_shop_hit(s) for s in shops[start : start + params.per_page]]
    room = params.per_page - len(hits)
    if room > 0:
        offset = max(start - len(shops), 0)
        rows = db.session.scalars(products_q.order_by(order, Product.id).offset(offset).limit(room))
        hits += [_product_hit(p) for p in rows]
    return Results(
        query=params.q,
        total=len(shops) + (total_products or 0),
        page=params.page,
        per_page=params.per_page,
        hits=hits,
    )


def _shop_hit(shop: Shop) -> Hit:
    return Hit(
        type="shop",
        id=shop.id,
        name=shop.name,
        slug=shop.slug,
        shop_slug=shop.slug,
        shop_name=shop.name,
        sku=None,
        price_cents=None,
        in_stock=True,
        distance_km=None,
        highlight=escape(shop.name),
        summary=(shop.description or "")[:100],
        image=None,
        open_now=False,
        title=escape(shop.name),
        shop_address=shop.address or "",
        shop_category=shop.category or "",
    )


def _product_hit(product: Product) -> Hit:
    return Hit(
        type="product",
        id=product.id,
        name=product.name,
        slug=product.slug,
        shop_slug=product.shop.slug,
        shop_name=product.shop.name,
        sku=product.sku,
        price_cents=product.price_cents,
        in_stock=product.in_stock,
        distance_km=None,
        highlight=escape(product.name),
        summary=(product.description or "")[:100],
        image=None,
        open_now=False,
        title=escape(product.name),
        shop_address=product.shop.address or "",
        shop_category=product.shop.category or "",
        product_type=product.product_type,
    )
