"""Finding a shop or product on behalf of the current user: ownership checked on the object."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, has_request_context, request, session
from flask.sansio.blueprints import Blueprint as SansioBlueprint
from flask_login import current_user
from sqlalchemy import select

from marketplace.extensions import db
from shops.models import Product, Shop

# The shop a curator acts for in "agent mode" (set by marketplace.curation.agent).
AGENT_SESSION_KEY = "agent_shop_id"

# What agent mode means on a merchant-facing blueprint: each one declares it next to its
# definition, and a test fails for any /merchant/ blueprint that does not.
AGENT_MODE_ATTRIBUTE = "vitrine_agent_mode"
AGENT_AUDITED = "audited"  # a curator acting for the shop may use it; every change is logged
OWNER_ONLY = "owner_only"  # the shop's owner (and admins) only: a curator is refused


def open_to_agent_mode(bp: Blueprint) -> Blueprint:
    """Declare that a curator in agent mode edits the shop through `bp`, each change audited."""
    setattr(bp, AGENT_MODE_ATTRIBUTE, AGENT_AUDITED)
    return bp


def closed_to_agent_mode(bp: Blueprint) -> Blueprint:
    """Declare that `bp` is for the shop's owner only: a curator in agent mode is refused there."""
    setattr(bp, AGENT_MODE_ATTRIBUTE, OWNER_ONLY)
    return bp


def agent_mode_of(bp: SansioBlueprint) -> str | None:
    """What `bp` declared about agent mode (AGENT_AUDITED, OWNER_ONLY), or None if nothing."""
    return getattr(bp, AGENT_MODE_ATTRIBUTE, None)


def in_agent_audited_blueprint() -> bool:
    """Whether the current request is served by a blueprint declared open to agent mode."""
    if not has_request_context() or request.blueprint is None:
        return False
    bp = current_app.blueprints.get(request.blueprint)
    return bp is not None and agent_mode_of(bp) == AGENT_AUDITED


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
