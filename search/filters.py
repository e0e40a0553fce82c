"""Filters decided per shop (category, shop, postcode, distance, open now) and per product."""

from __future__ import annotations

import math
import threading
from datetime import date, datetime, time
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from search.schema import IN_STOCK, IS_PRODUCT
from search.snapshot import type_index
from shops import opening
from shops.hours import END_OF_DAY, PICKUP_DAYS_AHEAD, Interval
from shops.product_types import taxonomy

EARTH_KM = 6371.0088
MINUTES_PER_DAY = 24 * 60


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(a)))


def shops_near(shops, lat: float, lon: float, radius_km: float) -> dict[int, float]:
    """Shop id -> distance for shops within the radius: bounding box first, then haversine."""
    dlat = radius_km / 111.32
    dlon = radius_km / (111.32 * max(math.cos(math.radians(lat)), 0.01))
    found = {}
    for shop in shops:
        if shop.lat is None or shop.lon is None:
            continue
        if abs(shop.lat - lat) > dlat or abs(shop.lon - lon) > dlon:
            continue
        km = haversine_km(lat, lon, shop.lat, shop.lon)
        if km <= radius_km:
            found[shop.id] = km
    return found


def distances(shops, lat: float, lon: float) -> dict[int, float]:
    """Shop id -> distance, for every shop with coordinates (the distance sort)."""
    return {
        s.id: haversine_km(lat, lon, s.lat, s.lon)
        for s in shops
        if s.lat is not None and s.lon is not None
    }


def _clock(minutes: int) -> time:
    return END_OF_DAY if minutes >= MINUTES_PER_DAY else time(minutes // 60, minutes % 60)


def _maybe_clock(minutes: int | None) -> time | None:
    return None if minutes is None else _clock(minutes)


def _full_schedule(shop) -> tuple[list, list]:
    """The shop's hours and closures as shops.opening reads them (rules, part-day closures)."""
    hours = [Interval(w, _clock(o), _clock(c)) for w, o, c in shop.hours]
    closures = [
        SimpleNamespace(starts_on=date.fromordinal(f), ends_on=date.fromordinal(t))
        for f, t in shop.closures
    ] + [
        SimpleNamespace(
            starts_on=date.fromordinal(f),
            ends_on=date.fromordinal(t),
            starts_time=_maybe_clock(s),
            ends_time=_maybe_clock(e),
        )
        for f, t, s, e in shop.part_days
    ]
    return hours, closures


def _needs_rules(shop) -> bool:
    return bool(getattr(shop, "rules", "") or getattr(shop, "part_days", ()))


def is_open(shop, local: datetime) -> bool:
    """Open at this local wall-clock time? Whole-day closures here; the rest by shops.opening."""
    if _needs_rules(shop):
        hours, closures = _full_schedule(shop)
        return opening.is_open_at(hours, closures, local, str(local.tzinfo), shop.rules)
    day = local.date().toordinal()
    if any(first <= day <= last for first, last in shop.closures):
        return False
    minute = local.hour * 60 + local.minute
    weekday = local.weekday()
    return any(w == weekday and opens <= minute < closes for w, opens, closes in shop.hours)


def takes_orders(shop, local: datetime, days: int = PICKUP_DAYS_AHEAD) -> bool:
    """Opens on one of the next `days` days (today: not yet closed), as shops.hours.takes_orders
    says from the database: an order placed now has a pickup time."""
    if _needs_rules(shop):
        hours, closures = _full_schedule(shop)
        tz = str(local.tzinfo)
        return opening.takes_orders(hours, closures, local, tz, days, rules=shop.rules)
    today, minute = local.date().toordinal(), local.hour * 60 + local.minute
    for day in range(today, today + days):
        if any(first <= day <= last for first, last in shop.closures):
            continue
        weekday = (day - 1) % 7  # date.fromordinal(1) is a Monday
        if any(w == weekday and (day > today or closes > minute) for w, _o, closes in shop.hours):
            return True
    return False


_OPEN_LOCK = threading.Lock()


def open_shop_ids(snapshot, now: datetime, tz: str) -> frozenset[int]:
    """Ids of the shops open now, computed once a minute per snapshot."""
    local = now.astimezone(ZoneInfo(tz))
    key = (local.replace(second=0, microsecond=0), tz)
    # Kept on the snapshot itself, so it dies with it: a cache keyed on id(snapshot) answered a
    # new snapshot that reused a freed one's address with the old one's open shops.
    with _OPEN_LOCK:
        entries = snapshot.__dict__.setdefault("_open_ids", {})
        found = entries.get(key)
        if found is not None:
            return found
    result = frozenset(s.id for s in snapshot.shops.values() if is_open(s, local))
    with _OPEN_LOCK:
        if len(entries) > 8:
            entries.clear()
        entries[key] = result
    return result


def allowed_shops(snapshot, params, open_ids, near) -> set[int] | None:
    """The shops whose documents may appear, or None when no shop-level filter is set."""
    shops = snapshot.shops.values()
    allowed: set[int] | None = None

    def narrow(ids) -> None:
        nonlocal allowed
        allowed = set(ids) if allowed is None else allowed & set(ids)

    if params.category:
        narrow(s.id for s in shops if s.category == params.category)
    if params.shop:
        narrow(s.id for s in shops if s.slug == params.shop)
    if params.postcode:
        narrow(s.id for s in shops if s.postcode == params.postcode)
    if params.open_now:
        narrow(open_ids)
    if near is not None:
        narrow(near)
    return allowed


def allowed_types(params) -> frozenset[int] | None:
    """Type indexes a product may have under the type and family filters (None: any)."""
    found: frozenset[int] | None = None
    if params.family:
        family = taxonomy().families.get(params.family)
        found = frozenset(type_index(t) for t in (family.types if family else ()))
    if params.product_type:
        wanted = frozenset({type_index(params.product_type)})
        found = wanted if found is None else found & wanted
    return found


def document_filter(snapshot, params, allowed: set[int] | None):
    """A predicate on document numbers for every filter (None: keep everything)."""
    shop_id, price, flags = snapshot.shop_id, snapshot.price, snapshot.flags
    lo = params.min_price_cents
    hi = params.max_price_cents
    products_only = lo is not None or hi is not None or params.in_stock
    lo = 0 if lo is None else lo
    hi = 1 << 62 if hi is None else hi
    stock_bit = IN_STOCK if params.in_stock else 0
    types = allowed_types(params)
    products_only = products_only or types is not None or params.products_only
    ptype = snapshot.ptype
    if allowed is None and not products_only:
        return None

    def keep(d: int) -> bool:
        if allowed is not None and shop_id[d] not in allowed:
            return False
        if types is not None and ptype[d] not in types:
            return False
        if products_only:
            f = flags[d]
            return bool(f & IS_PRODUCT) and lo <= price[d] <= hi and (f & stock_bit) == stock_bit
        return True

    return keep
