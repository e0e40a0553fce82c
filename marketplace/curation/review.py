"""The curator's decisions on shops and products: each one through the state machine, logged."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from marketplace.accounts.models import CURATOR, User
from marketplace.audit import record_action
from marketplace.curation.models import ReviewSnapshot
from marketplace.db import utcnow
from marketplace.domain_errors import InvalidTransition, ReasonRequired
from marketplace.extensions import db
from shops.models import PENDING_REVIEW, PUBLISHED, Closure, Product, Shop
from shops.opening import osm_expression, shop_rules
from shops.services import SHOP_FIELDS
from shops.siret import is_valid_siret
from shops.status import (
    transition_by_verb,
    transition_shop,
    verb_needs_reason,
    verbs_from,
    verbs_of,
)


@dataclass(frozen=True)
class RegisterCheck:
    """One thing a register says about a shop, as the shop file shows it."""

    label: str
    ok: bool
    detail: str = ""


# The office's verbs on shops, read from the shop state table (shops.status.TRANSITIONS).
SHOP_ACTIONS: tuple[str, ...] = verbs_of(CURATOR)


class UnknownAction(ValueError):
    """A verb that is not one of SHOP_ACTIONS."""


def shop_actions(shop: Shop) -> tuple[str, ...]:
    """The verbs the office may use on `shop` now (its decision buttons)."""
    return verbs_from(shop.status, CURATOR)


def _clean(reason: str | None) -> str | None:
    return (reason or "").strip()[:2000] or None


def shop_snapshot(shop: Shop) -> dict:
    """What the curator reviews about a shop: its profile fields, hours and photo."""
    values = {name: getattr(shop, name) for name in SHOP_FIELDS}
    # Weekly hours and standing rules (holidays...); closures come and go without a review.
    values["opening_hours"] = osm_expression(shop.hours, [], shop_rules(shop))
    values["photo"] = shop.photo_path
    return json.loads(json.dumps(values, default=str))


def changes_since_decision(shop: Shop) -> dict[str, list] | None:
    """Fields changed since the last decision as {field: [before, now]}; None if never decided."""
    saved = db.session.get(ReviewSnapshot, shop.id)
    if saved is None:
        return None
    before = json.loads(saved.snapshot)
    now = shop_snapshot(shop)
    return {k: [before.get(k), v] for k, v in now.items() if before.get(k) != v}


def _remember(shop: Shop) -> None:
    snapshot = json.dumps(shop_snapshot(shop), ensure_ascii=False)
    saved = db.session.get(ReviewSnapshot, shop.id)
    if saved is None:
        db.session.add(ReviewSnapshot(shop_id=shop.id, snapshot=snapshot, decided_at=utcnow()))
    else:
        saved.snapshot, saved.decided_at = snapshot, utcnow()


def register_checks(shop: Shop) -> list[RegisterCheck]:
    """What the registers say about the shop (the Sirene lookup adds its rows here)."""
    siret = shop.siret or ""
    return [
        RegisterCheck(
            str(_l("SIRET number valid (checksum)")),
            bool(siret) and is_valid_siret(siret),
            siret or str(_l("none given")),
        )
    ]


def upcoming_closures(shop: Shop, tz: str) -> list[Closure]:
    """The closures the public page lists: those not over yet, in the town's calendar."""
    today = utcnow().astimezone(ZoneInfo(tz)).date()
    return [c for c in shop.closures if c.ends_on >= today]


def pending_shops() -> list[Shop]:
    """Shops waiting for review, the longest-waiting first."""
    return list(
        db.session.scalars(
            select(Shop).where(Shop.status == PENDING_REVIEW).order_by(Shop.updated_at, Shop.id)
        )
    )


def decide_shop(shop: Shop, action: str, curator: User, reason: str | None = None) -> None:
    """Apply a curator verb to a shop (raises UnknownAction, ReasonRequired, InvalidTransition)."""
    if action not in SHOP_ACTIONS:
        raise UnknownAction(action)
    reason = _clean(reason)
    # Asked before the status, so a curator who forgot the reason is told that first.
    if verb_needs_reason(action) and not reason:
        raise ReasonRequired(action)
    row = transition_by_verb(action, shop.status)
    transition_shop(shop, row.target, curator.id, reason)
    _remember(shop)


@dataclass
class BulkOutcome:
    """Which shops a bulk action changed, and which it skipped (wrong status)."""

    done: list[Shop] = field(default_factory=list)
    skipped: list[Shop] = field(default_factory=list)


def decide_shops(shops: list[Shop], action: str, curator: User, reason: str | None) -> BulkOutcome:
    """Apply one verb to several shops; a shop in the wrong status is skipped, not fatal."""
    if action not in SHOP_ACTIONS:
        raise UnknownAction(action)
    if verb_needs_reason(action) and not _clean(reason):
        raise ReasonRequired(action)
    outcome = BulkOutcome()
    for shop in shops:
        try:
            decide_shop(shop, action, curator, reason)
        except InvalidTransition:
            outcome.skipped.append(shop)
        else:
            outcome.done.append(shop)
    return outcome


def hide_product(product: Product, curator: User, reason: str | None) -> None:
    """Take a product off the public pages and the search, saying why."""
    reason = _clean(reason)
    if not reason:
        raise ReasonRequired("hidden")
    before = product.hidden_reason
    product.hidden_reason = reason
    record_action(
        curator.id,
        "product.hidden",
        "product",
        product.id,
        reason,
        {"hidden_reason": [before, reason]},
    )


def unhide_product(product: Product, curator: User, reason: str | None) -> None:
    """Show a hidden product again, saying why."""
    reason = _clean(reason)
    if not reason:
        raise ReasonRequired("visible")
    if product.hidden_reason is None:
        raise InvalidTransition("visible", "visible")
    before = product.hidden_reason
    product.hidden_reason = None
    record_action(
        curator.id,
        "product.unhidden",
        "product",
        product.id,
        reason,
        {"hidden_reason": [before, None]},
    )


def set_featured(shop: Shop, curator: User, featured: bool) -> None:
    """Put a published shop forward on the home page, or stop doing so."""
    if featured and shop.status != PUBLISHED:
        raise InvalidTransition(shop.status, "featured")
    if shop.featured == featured:
        return
    shop.featured = featured
    action = "shop.featured" if featured else "shop.unfeatured"
    record_action(curator.id, action, "shop", shop.id, None, {"featured": [not featured, featured]})
