"""The map of published shops: a server-rendered list (works without JavaScript or tiles), and
the map's data (every shop with a position, as GeoJSON) that static/js/map.js draws as clustered
Leaflet markers. Both take the same filters: category, open now, and "near me".

"Near me" asks the browser for the position only when the visitor clicks the button; the
position, rounded to about 100 m, comes back here as ?near=lat,lon and sorts the list by distance.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import Blueprint, current_app, jsonify, render_template, request, url_for

from marketplace.bounded import page_arg
from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.public import page_cache
from marketplace.public.finder import FoundShop, find_shops, find_shops_page, parse_shop_filters
from marketplace.templating import category_label, current_locale, format_km
from shops.catalogue import public_shops_query
from shops.categories import category_choices
from shops.models import Shop

bp = Blueprint("map", __name__)

SHOPS_PER_PAGE = 24  # as the directory; the list beside the map, not the markers (all shown)


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
    if not page_cache.is_anonymous_page():
        return _render_index()
    return page_cache.serve_town_page(_render_index)


def _render_index() -> str:
    filters = parse_shop_filters(request.args)
    centre = centre_shop(request.args.get("shop"))
    # From a shop's page: the list sorted by distance from that shop, the map centred on it.
    sorting = filters
    if centre is not None and centre.lat is not None and centre.lon is not None:
        sorting = replace(filters, near=(centre.lat, centre.lon))
    page = page_arg()
    # Only the list's page is read and checked for "open now" (the markers come from map.data):
    # deciding it for every shop of the town took most of the page's time.
    shown, total = find_shops_page(
        sorting, utcnow(), current_app.config["TIMEZONE"], page, SHOPS_PER_PAGE
    )
    pages = max((total + SHOPS_PER_PAGE - 1) // SHOPS_PER_PAGE, 1)
    # The markers are every shop of the filters; the position only sorts the list.
    data_args: dict[str, Any] = {k: v for k, v in filters.url_args().items() if k != "near"}
    return render_template(
        "public/map.html",
        found=[(f, format_km(f.km) if f.km is not None else None) for f in shown],
        total=total,
        page=page,
        pages=pages,
        first=(page - 1) * SHOPS_PER_PAGE + 1,
        filters=filters,
        centre=centre,
        data_url=url_for("map.data", **data_args),
        categories=category_choices(current_locale()),
    )


@bp.get("/map/shops.geojson")
def data():
    """Every published shop with a position, as GeoJSON points, under the page's filters."""
    filters = parse_shop_filters(request.args)
    found = find_shops(filters, utcnow(), current_app.config["TIMEZONE"], located_only=True)
    response = jsonify({"type": "FeatureCollection", "features": [_feature(f) for f in found]})
    response.mimetype = "application/geo+json"
    return response


def _feature(found: FoundShop) -> dict:
    shop = found.shop
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [shop.lon, shop.lat]},
        "properties": {
            "name": shop.name,
            "url": url_for("public.shop", slug=shop.slug),
            "category": category_label(shop.category),
            "address": shop.address,
            "open_now": found.open_now,
        },
    }
