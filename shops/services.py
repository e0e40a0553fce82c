"""Shop operations: create and edit a shop, its hours, closures and photo; submit it for review."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, time
from typing import Any, BinaryIO

from sqlalchemy import select

from marketplace.accounts.models import User
from marketplace.extensions import db
from shops import photo_uploads
from shops.hours import Interval, check_intervals
from shops.models import DRAFT, PENDING_REVIEW, Closure, OpeningHours, Shop
from shops.opening import check_rules, holidays_rule
from shops.osm_hours import format_opening_hours
from shops.photo_models import SHOP_PHOTO, PhotoUpload
from shops.status import transition_shop

SHOP_FIELDS = (
    "name",
    "category",
    "description",
    "specialities",
    "address",
    "postcode",
    "city",
    "lat",
    "lon",
    "siret",
    "phone",
    "email",
    "website",
    "pay_at_pickup",
    "prep_minutes",
    "slot_minutes",
    "slot_capacity",
)


# What a shop must have before the city office reviews it (codes; the views word them).
HOURS = "hours"
POSITION = "position"


class InvalidClosure(ValueError):
    """A closure period whose end comes before its start."""


class NotReadyForReview(ValueError):
    """The shop lacks what the office needs to review it (`missing`: HOURS, POSITION)."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__(", ".join(missing))
        self.missing = missing


def slugify(text: str, max_length: int = 80) -> str:
    """Return a lowercase ASCII slug: "Boulangerie de l'Église" -> "boulangerie-de-l-eglise"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].strip("-") or "shop"


def unique_shop_slug(name: str, exclude_id: int | None = None) -> str:
    """Return a slug for `name` that no other shop uses."""
    base = slugify(name, 72)
    taken = set(db.session.scalars(select(Shop.slug).where(Shop.slug.like(f"{base}%"))))
    if exclude_id is not None:
        own = db.session.get(Shop, exclude_id)
        taken.discard(own.slug if own else None)
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def create_shop(owner: User, values: dict[str, Any], slug: str | None = None) -> Shop:
    """Create a draft shop owned by `owner` from validated values."""
    shop = Shop(owner=owner, status=DRAFT, slug=slug or unique_shop_slug(values["name"]))
    _apply(shop, values)
    db.session.add(shop)
    db.session.flush()
    return shop


def update_shop(shop: Shop, values: dict[str, Any]) -> dict[str, list]:
    """Apply validated values to `shop`; return the changed fields as {field: [before, after]}."""
    return _apply(shop, values)


def _apply(shop: Shop, values: dict[str, Any]) -> dict[str, list]:
    changes = {}
    for field in SHOP_FIELDS:
        if field in values and getattr(shop, field) != values[field]:
            changes[field] = [getattr(shop, field), values[field]]
            setattr(shop, field, values[field])
    return changes


def set_opening_hours(shop: Shop, intervals: list[Interval]) -> None:
    """Replace the shop's weekly opening hours (raises InvalidHours on overlap or empty span)."""
    ordered = check_intervals(intervals)
    shop.hours.clear()
    db.session.flush()  # delete the old rows before inserting the new ones
    for interval in ordered:
        shop.hours.append(
            OpeningHours(weekday=interval.weekday, opens=interval.opens, closes=interval.closes)
        )


def set_hours_rules(shop: Shop, rules: str, closed_on_holidays: bool) -> None:
    """Set the rules after the weekly hours (raises InvalidRules if the syntax refuses them)."""
    rules = rules.strip()
    check_rules(
        format_opening_hours(shop.hours),
        "; ".join(filter(None, (rules, holidays_rule(closed_on_holidays)))),
    )
    shop.hours_rules = rules
    shop.closed_on_holidays = closed_on_holidays


def add_closure(
    shop: Shop,
    starts_on: date,
    ends_on: date,
    reason: str,
    starts_time: time | None = None,
    ends_time: time | None = None,
) -> Closure:
    """Add a closure period (inclusive dates; with times, from/until then on the first/last day)."""
    if ends_on < starts_on:
        raise InvalidClosure("ends_before_starts")
    if starts_on == ends_on and starts_time and ends_time and ends_time <= starts_time:
        raise InvalidClosure("ends_before_starts")
    closure = Closure(
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason.strip(),
        starts_time=starts_time,
        ends_time=ends_time,
    )
    shop.closures.append(closure)
    return closure


def remove_closure(shop: Shop, closure_id: int) -> bool:
    """Remove one of this shop's closures; return False if it is not the shop's."""
    for closure in shop.closures:
        if closure.id == closure_id:
            shop.closures.remove(closure)
            return True
    return False


def set_shop_photo(
    shop: Shop,
    stream: BinaryIO,
    alt: str,
    upload_dir: str,
    max_bytes: int,
    uploaded_by_id: int | None = None,
) -> PhotoUpload:
    """Receive a new photo for the shop (raises images.InvalidImage); the job replaces the old."""
    return photo_uploads.receive_photo(
        SHOP_PHOTO, shop.id, stream, alt, upload_dir, max_bytes, uploaded_by_id
    )


def missing_for_review(shop: Shop) -> list[str]:
    """What the shop still lacks before review: opening hours, a map position."""
    missing = []
    if not shop.hours:
        missing.append(HOURS)
    if shop.lat is None or shop.lon is None:
        missing.append(POSITION)
    return missing


def submit_shop(shop: Shop, actor_id: int) -> None:
    """Send a draft or rejected shop to the city office for review.

    Raises NotReadyForReview when it lacks hours or a position, InvalidTransition from
    any other status.
    """
    missing = missing_for_review(shop)
    if missing:
        raise NotReadyForReview(missing)
    transition_shop(shop, PENDING_REVIEW, actor_id)


def shops_owned_by(user: User) -> list[Shop]:
    """Return the shops `user` owns, by name."""
    return list(
        db.session.scalars(select(Shop).where(Shop.owner_id == user.id).order_by(Shop.name))
    )
