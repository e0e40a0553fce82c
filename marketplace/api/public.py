"""Public, read-only operations: shops, products, categories (search lives in search/views.py)."""

from __future__ import annotations

from flask import g, jsonify
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from marketplace.api import schemas
from marketplace.api.errors import ApiError
from marketplace.api.parsing import parse_query, query
from marketplace.api.present import product_detail, shop_detail, shop_summary
from marketplace.api.responses import json_page, paginate
from marketplace.api.v1 import bp
from marketplace.db import utcnow
from marketplace.extensions import db
from search.filters import haversine_km
from search.params import DEFAULT_RADIUS_KM
from shops.catalogue import public_products_query, public_shops_query
from shops.categories import CATEGORIES
from shops.models import Product, Shop


def _public_shop(slug: str) -> Shop:
    shop = db.session.scalar(
        public_shops_query()
        .where(Shop.slug == slug)
        .options(selectinload(Shop.hours), selectinload(Shop.closures))
    )
    if shop is None:
        raise ApiError(404, _("No published shop has this address."))
    return shop


@bp.get("/shops")
@query(schemas.ShopListArgs)
def list_shops():
    """Published shops by name (by distance with near), filtered, a page at a time."""
    args = parse_query()
    statement = public_shops_query().options(selectinload(Shop.hours), selectinload(Shop.closures))
    if "category" in args:
        statement = statement.where(Shop.category == args["category"])
    if "postcode" in args:
        statement = statement.where(Shop.postcode == args["postcode"])
    shops = db.session.scalars(statement.order_by(Shop.name, Shop.id)).all()
    now = utcnow()
    rows = [shop_summary(s, now) for s in shops]
    if "open_now" in args:
        rows = [r for r in rows if r["open_now"] is args["open_now"]]
    if "near" in args:
        lat, lon = (float(x) for x in args["near"].split(","))
        radius = args.get("radius_km", DEFAULT_RADIUS_KM)
        by_slug = {s.slug: s for s in shops}
        for row in rows:
            shop = by_slug[row["slug"]]
            if shop.lat is not None and shop.lon is not None:
                row["distance_km"] = round(haversine_km(lat, lon, shop.lat, shop.lon), 3)
        rows = sorted(
            (r for r in rows if r["distance_km"] is not None and r["distance_km"] <= radius),
            key=lambda r: (r["distance_km"], r["name"]),
        )
    page, per_page = args["page"], args["per_page"]
    g.api_page = (page, per_page, len(rows))
    chunk = rows[(page - 1) * per_page : page * per_page]
    meta = {"page": page, "per_page": per_page, "total": len(rows)}
    return json_page(schemas.ShopSummary, chunk, meta)


@bp.get("/shops/<slug>")
@query(schemas.NoArgs)
def get_shop(slug: str):
    """One published shop with its hours and coming closures."""
    parse_query()
    return jsonify(schemas.ShopOut().dump(shop_detail(_public_shop(slug), utcnow())))


@bp.get("/shops/<slug>/products")
@query(schemas.ShopProductArgs)
def list_shop_products(slug: str):
    """A published shop's products on sale, by category and name."""
    args = parse_query()
    shop = _public_shop(slug)
    statement = (
        public_products_query()
        .where(Product.shop_id == shop.id)
        .options(selectinload(Product.images))
        .order_by(Product.category, Product.name, Product.id)
    )
    if args.get("in_stock") is True:
        statement = statement.where((Product.stock.is_(None)) | (Product.stock > 0))
    elif args.get("in_stock") is False:
        statement = statement.where(Product.stock == 0)
    products, meta = paginate(statement, args)
    return json_page(schemas.ProductOut, [product_detail(p) for p in products], meta)


@bp.get("/products/<int:product_id>")
@query(schemas.NoArgs)
def get_product(product_id: int):
    """One product on sale in a published shop."""
    parse_query()
    product = db.session.scalar(
        public_products_query()
        .where(Product.id == min(product_id, schemas.MAX_ID))
        .options(selectinload(Product.images))
    )
    if product is None or product_id > schemas.MAX_ID:
        raise ApiError(404, _("No product on sale has this number."))
    return jsonify(schemas.ProductOut().dump(product_detail(product)))


@bp.get("/categories")
@query(schemas.NoArgs)
def list_categories():
    """The category vocabulary, with how many published shops each has."""
    parse_query()
    counts = dict(
        db.session.execute(
            select(Shop.category, func.count())
            .where(Shop.id.in_(public_shops_query().with_only_columns(Shop.id)))
            .group_by(Shop.category)
        ).all()
    )
    items = [
        {"code": c.code, "label_fr": c.fr, "label_en": c.en, "shop_count": counts.get(c.code, 0)}
        for c in CATEGORIES
    ]
    return jsonify(schemas.CategoryList().dump({"items": items}))
