"""Search parameters: parsed and checked from a query string, the same for the page and the API."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l

from shops.categories import BY_CODE

SORTS = ("relevance", "price_asc", "price_desc", "distance", "newest")
MAX_QUERY = 2000  # characters accepted; longer text is cut, never refused
MAX_PRICE_EUR = Decimal(100_000)
MAX_RADIUS_KM = 50.0
DEFAULT_RADIUS_KM = 2.0
MAX_PAGE = 500
MAX_PER_PAGE = 50
DEFAULT_PER_PAGE = 20
TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}
SLUG_RE = re.compile(r"^[a-z0-9-]{1,80}$")
POSTCODE_RE = re.compile(r"^\d{5}$")


@dataclass
class SearchParams:
    """What a resident asked for; prices in cents, coordinates in degrees."""

    q: str = ""
    category: str | None = None
    shop: str | None = None
    min_price_cents: int | None = None
    max_price_cents: int | None = None
    in_stock: bool = False
    open_now: bool = False
    near: tuple[float, float] | None = None
    radius_km: float = DEFAULT_RADIUS_KM
    postcode: str | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE

    def active_filters(self) -> dict:
        """The filters set, for the search log (no personal data: coordinates are rounded)."""
        values = {k: v for k, v in asdict(self).items() if k not in ("q", "page", "per_page")}
        if self.near:
            values["near"] = [round(self.near[0], 2), round(self.near[1], 2)]
        defaults = asdict(SearchParams())
        return {k: v for k, v in values.items() if v != defaults.get(k) or (k == "near" and v)}


def _euros(raw: str, field: str, errors: dict) -> int | None:
    try:
        value = Decimal(raw.replace(",", ".").strip())
    except InvalidOperation:
        errors.setdefault(field, []).append(str(_l("Enter a price in euros, such as 12.50.")))
        return None
    if not value.is_finite() or value < 0 or value > MAX_PRICE_EUR:
        errors.setdefault(field, []).append(str(_l("Enter a price between 0 and 100,000 €.")))
        return None
    return int((value * 100).to_integral_value())


def _flag(raw: str | None, field: str, errors: dict) -> bool:
    value = (raw or "").strip().lower()
    if value in TRUE:
        return True
    if value not in FALSE:
        errors.setdefault(field, []).append(str(_l("Use 1 or 0.")))
    return False


def _int(raw: str | None, field: str, default: int, low: int, high: int, errors: dict) -> int:
    if raw in (None, ""):
        return default
    if not raw.strip().isdigit() or not low <= int(raw) <= high:
        errors.setdefault(field, []).append(
            str(_l("Enter a whole number from %(low)s to %(high)s.", low=low, high=high))
        )
        return default
    return int(raw)


def _near(raw: str, errors: dict) -> tuple[float, float] | None:
    try:
        lat_text, lon_text = raw.split(",")
        lat, lon = float(lat_text), float(lon_text)
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            return lat, lon
    except ValueError:
        pass
    errors.setdefault("near", []).append(str(_l("Give a position as latitude,longitude.")))
    return None


def parse_params(args) -> tuple[SearchParams, dict[str, list[str]]]:
    """Read SearchParams from request args; return them with {field: [messages]} errors."""
    errors: dict[str, list[str]] = {}
    p = SearchParams(q=(args.get("q") or "")[:MAX_QUERY])
    category = (args.get("category") or "").strip()
    if category and category not in BY_CODE:
        errors["category"] = [str(_l("Unknown category."))]
    p.category = category if category in BY_CODE else None
    shop = (args.get("shop") or "").strip()
    if shop and not SLUG_RE.match(shop):
        errors["shop"] = [str(_l("Unknown shop."))]
    p.shop = shop if shop and SLUG_RE.match(shop) else None
    if (args.get("min_price") or "").strip():
        p.min_price_cents = _euros(args["min_price"], "min_price", errors)
    if (args.get("max_price") or "").strip():
        p.max_price_cents = _euros(args["max_price"], "max_price", errors)
    if (
        p.min_price_cents is not None
        and p.max_price_cents is not None
        and p.min_price_cents > p.max_price_cents
    ):
        errors.setdefault("max_price", []).append(
            str(_l("The maximum price must not be below the minimum."))
        )
    p.in_stock = _flag(args.get("in_stock"), "in_stock", errors)
    p.open_now = _flag(args.get("open_now"), "open_now", errors)
    if (args.get("near") or "").strip():
        p.near = _near(args["near"], errors)
    if (args.get("radius_km") or "").strip():
        try:
            p.radius_km = float(args["radius_km"])
            if not 0 < p.radius_km <= MAX_RADIUS_KM:
                raise ValueError
        except ValueError:
            errors["radius_km"] = [str(_l("Enter a distance from 0.1 to 50 km."))]
            p.radius_km = DEFAULT_RADIUS_KM
    postcode = (args.get("postcode") or "").strip()
    if postcode and not POSTCODE_RE.match(postcode):
        errors["postcode"] = [str(_l("Enter a 5-digit postcode."))]
    p.postcode = postcode if POSTCODE_RE.match(postcode) else None
    sort = (args.get("sort") or "relevance").strip()
    if sort not in SORTS:
        errors["sort"] = [str(_l("Unknown sort order."))]
    elif sort == "distance" and p.near is None:
        errors["sort"] = [str(_l("Sorting by distance needs a position (near)."))]
    p.sort = sort if sort in SORTS and (sort != "distance" or p.near) else "relevance"
    p.page = _int(args.get("page"), "page", 1, 1, MAX_PAGE, errors)
    p.per_page = _int(args.get("per_page"), "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE, errors)
    return p, errors


# Price facet values (see search.schema.PRICE_BANDS) -> label and the filter they set.
PRICE_FACET_LABELS = {
    "0-5": _l("Under 5 €"),
    "5-10": _l("5 to 10 €"),
    "10-20": _l("10 to 20 €"),
    "20-50": _l("20 to 50 €"),
    "50-": _l("50 € and more"),
}


def price_filter(value: str) -> dict[str, str]:
    """The min_price / max_price arguments of a price facet value ("5-10" -> 5 and 9.99)."""
    low, _sep, high = value.partition("-")
    args = {"min_price": low} if low and low != "0" else {}
    if high:
        args["max_price"] = f"{int(high) - 1}.99"
    return args
