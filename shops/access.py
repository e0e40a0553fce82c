"""Finding a shop or product on behalf of the current user: ownership checked on the object."""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from marketplace.extensions import db
from shops.models import Product, Shop


def get_owned_shop(slug: str) -> Shop:
    """Return the current user's shop with this slug; 404 for anyone else's (no existence leak)."""
    shop = db.session.scalar(select(Shop).where(Shop.slug == slug))
    if shop is None or shop.owner_id != current_user.id:
        abort(404)
    return shop


def get_owned_product(shop: Shop, product_id: int) -> Product:
    """Return a product of `shop` (already ownership-checked); 404 otherwise."""
    product = db.session.get(Product, product_id)
    if product is None or product.shop_id != shop.id:
        abort(404)
    return product
