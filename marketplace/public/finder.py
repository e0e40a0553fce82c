"""Finding published shops for the directory and the map: by category, open now, nearest first.

"Open now" is decided by shops.opening (the shop's hours, rules, holidays and closures, in the town's time
zone); "near" is a position the visitor's browser gave, rounded to about 100 m.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from marketplace.extensions import db
from search.filters import haversine_km
from shops.catalogue import public_shops_query
from shops.categories import BY_CODE
from shops.models import Shop
from shops.opening import is_open_at, shop_rules

TRUE_FLAGS = frozenset({"1", "on", "true", "yes"})


@dataclass(frozen=True)
class ShopFilters:
    """What the visitor asked for: a category, only the shops open now, a position."""

    category: str | None = None
    open_now: bool = False
    near: tuple[float, float] | None = None

    def url_args(self) -> dict[str, str]:
        """The filters as query arguments, to keep them in links (pages, the map's data)."""
        args = {}
        if self.category:
            args["category"] = self.category
        if self.open_now:
            args["open_now"] = "1"
        if self.near:
            args["near"] = f"{self.near[0]},{self.near[1]}"
        return args


@dataclass(frozen=True)
class FoundShop:
    """A shop found, whether it is open now, and how far it is from the position (if any)."""

    shop: Shop
    open_now: bool
    km: float | None


def parse_near(text: str | None) -> tuple[float, float] | None:
    """Parse "lat,lon" into a rounded position, or None when absent or not a place on Earth."""
    if not text:
        return None
    lat_text, _sep, lon_text = text.partition(",")
    try:
        lat, lon = float(lat_text), float(lon_text)
    except ValueError:
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):  # also refuses nan
        return None
    return round(lat, 3), round(lon, 3)


def parse_shop_filters(args: Mapping[str, str]) -> ShopFilters:
    """Read the filters from query arguments; what is not understood is left out (never an error)."""
    category = args.get("category") or None
    return ShopFilters(
        category=category if category in BY_CODE else None,
        open_now=(args.get("open_now") or "").strip().lower() in TRUE_FLAGS,
        near=parse_near(args.get("near")),
    )


def find_shops(
    filters: ShopFilters, now: datetime, tz: str, located_only: bool = False
) -> list[FoundShop]:
    """Published shops matching `filters`, A-Z, or nearest first when a position is given."""
    query = public_shops_query().options(selectinload(Shop.hours), selectinload(Shop.closures))
    if filters.category:
        query = query.where(Shop.category == filters.category)
    if located_only:
        query = query.where(Shop.lat.is_not(None), Shop.lon.is_not(None))
    found = [
        FoundShop(
            shop,
            is_open_at(shop.hours, shop.closures, now, tz, shop_rules(shop)),
            _km(filters.near, shop),
        )
        for shop in db.session.scalars(query.order_by(Shop.name, Shop.id))
    ]
    if filters.open_now:
        found = [f for f in found if f.open_now]
    if filters.near:
        # Shops without coordinates last (their distance is unknown), the rest nearest first.
        found.sort(key=lambda f: (f.km is None, f.km or 0.0))
    return found


def _km(near: tuple[float, float] | None, shop: Shop) -> float | None:
    if near is None or shop.lat is None or shop.lon is None:
        return None
    return haversine_km(near[0], near[1], shop.lat, shop.lon)


def find_shops_page(
    filters: ShopFilters, now: datetime, tz: str, page: int, per_page: int
) -> tuple[list[FoundShop], int]:
    """One page of `find_shops` and the total; without open-now or a position, the database pages."""
    if filters.open_now or filters.near:
        found = find_shops(filters, now, tz)
        return found[(page - 1) * per_page : page * per_page], len(found)
    # The plain A-Z list: only this page's shops (and their hours) leave the database.
    query = public_shops_query()
    if filters.category:
        query = query.where(Shop.category == filters.category)
    total = db.session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    shops = db.session.scalars(
        query.options(selectinload(Shop.hours), selectinload(Shop.closures))
        .order_by(Shop.name, Shop.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return [
        FoundShop(s, is_open_at(s.hours, s.closures, now, tz, shop_rules(s)), None) for s in shops
    ], total
