"""The map of published shops: a server-rendered list (works without JavaScript or tiles) that
static/js/map.js turns into Leaflet markers, with a category filter and "near me".

"Near me" asks the browser for the position only when the visitor clicks the button; the
position, rounded to about 100 m, comes back here as ?near=lat,lon and sorts the list by distance.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import gettext as _

from marketplace.bounded import page_arg
from marketplace.extensions import db
from marketplace.templating import current_locale, decimal_filter
from search.filters import haversine_km
from shops.catalogue import public_shops_query
from shops.categories import BY_CODE, category_choices
from shops.models import Shop

bp = Blueprint("map", __name__)

SHOPS_PER_PAGE = 24  # as the directory; the map page stays under 200 KB with Leaflet (147 KB)


def parse_near(text: str | None) -> tuple[float, float] | None:
    """Parse "lat,lon" into a rounded position, or None when absent or not a place on Earth."""
    if not text:
        return None
    lat_text, _sep, lon_text = text.partition(",")
    try:
        lat, lon = float(lat_text), float(lon_text)
    except ValueError:
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return round(lat, 3), round(lon, 3)


def format_km(km: float) -> str:
    """Format a distance for the visitor's language: "1,2 km" in French, "1.2 km" in English."""
    return _("%(km)s km", km=decimal_filter(km, 1))


def shops_for_map(
    category: str | None, near: tuple[float, float] | None
) -> list[tuple[Shop, float | None]]:
    """Published shops of the category, each with its distance from `near`, nearest or A-Z first."""
    query = public_shops_query()
    if category:
        query = query.where(Shop.category == category)
    shops = db.session.scalars(query.order_by(Shop.name, Shop.id)).all()
    placed = [
        (
            shop,
            haversine_km(near[0], near[1], shop.lat, shop.lon)
            if near and shop.lat is not None and shop.lon is not None
            else None,
        )
        for shop in shops
    ]
    if near:
        placed.sort(key=lambda pair: (pair[1] is None, pair[1] or 0.0))
    return placed


def centre_shop(slug: str | None) -> Shop | None:
    """The published shop with coordinates the map is centred on (?shop=, from its page), or None."""
    if not slug:
        return None
    return db.session.scalar(
        public_shops_query().where(
            Shop.slug == slug[:80], Shop.lat.is_not(None), Shop.lon.is_not(None)
        )
    )


@bp.get("/map")
def index():
    """Show the shops on a map, with the list beside it (around one shop with ?shop=)."""
    category = request.args.get("category") or None
    if category not in BY_CODE:
        category = None
    centre = centre_shop(request.args.get("shop"))
    near = parse_near(request.args.get("near"))
    if centre is not None and centre.lat is not None and centre.lon is not None:
        near = (centre.lat, centre.lon)
    placed = shops_for_map(category, near)
    page = page_arg()
    pages = max((len(placed) + SHOPS_PER_PAGE - 1) // SHOPS_PER_PAGE, 1)
    shown = placed[(page - 1) * SHOPS_PER_PAGE : page * SHOPS_PER_PAGE]
    return render_template(
        "public/map.html",
        shops=[(shop, format_km(km) if km is not None else None) for shop, km in shown],
        total=len(placed),
        page=page,
        pages=pages,
        category=category,
        near=f"{near[0]},{near[1]}" if near and not centre else None,
        centre=centre,
        categories=category_choices(current_locale()),
    )
