"""Finding a shop or product on behalf of the current user: ownership checked on the object."""

from __future__ import annotations

from flask import abort, session
from flask_login import current_user
from sqlalchemy import select

from marketplace.extensions import db
from shops.models import Product, Shop

# The shop a curator acts for in "agent mode" (set by marketplace.curation.agent).
AGENT_SESSION_KEY = "agent_shop_id"


def agent_shop_id() -> int | None:
    """The shop the logged-in curator is acting for, or None."""
    if not (current_user.is_authenticated and current_user.is_curator):
        return None
    return session.get(AGENT_SESSION_KEY)


def agent_may_open(view_args: dict | None) -> bool:
    """A curator in agent mode may open the merchant pages of that one shop, and no other."""
    shop_id = agent_shop_id()
    slug = (view_args or {}).get("slug")
    if shop_id is None or slug is None:
        return False
    return db.session.scalar(select(Shop.slug).where(Shop.id == shop_id)) == slug


def get_owned_shop(slug: str) -> Shop:
    """Return the current user's shop with this slug; 404 for anyone else's (no existence leak)."""
    shop = db.session.scalar(select(Shop).where(Shop.slug == slug))
    if shop is None or (shop.owner_id != current_user.id and agent_shop_id() != shop.id):
        abort(404)
    return shop


def get_owned_product(shop: Shop, product_id: int) -> Product:
    """Return a product of `shop` (already ownership-checked); 404 otherwise."""
    product = db.session.get(Product, product_id)
    if product is None or product.shop_id != shop.id:
        abort(404)
    return product
