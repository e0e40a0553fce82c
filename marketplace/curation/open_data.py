"""Open data: the published shops as CSV, JSON and GeoJSON rows (no personal data, ever).

Field names follow OpenStreetMap keys, as the national open base of shops (BANCO, built from
OSM) does: name, type (the OSM value), osm_tag, siret, opening_hours, phone, website, addr_*.
Their Table Schema is schemas/shops.json, published by open_data_schema.
The shop's owner, its contact email and anything about residents are never exported.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy.orm import selectinload

from marketplace.curation.open_data_schema import schema_url
from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.urls import external_url
from shops.catalogue import public_shops_query
from shops.categories import get_category
from shops.csv_io import write_csv
from shops.models import Shop
from shops.opening import published_opening_hours

FIELDS = (
    "id",
    "name",
    "type",
    "osm_tag",
    "category",
    "siret",
    "addr_full",
    "addr_postcode",
    "addr_city",
    "lat",
    "lon",
    "opening_hours",
    "phone",
    "website",
    "url",
)


def _today():
    return utcnow().astimezone(ZoneInfo(current_app.config["TIMEZONE"])).date()


def shop_record(shop: Shop) -> dict:
    """One shop as an open-data record (every field of FIELDS, None when unknown)."""
    category = get_category(shop.category)
    osm_tag = category.osm if category else None
    return {
        "id": shop.slug,
        "name": shop.name,
        "type": osm_tag.split("=", 1)[1] if osm_tag else None,
        "osm_tag": osm_tag,
        "category": shop.category,
        "siret": shop.siret or None,
        "addr_full": f"{shop.address}, {shop.postcode} {shop.city}",
        "addr_postcode": shop.postcode,
        "addr_city": shop.city,
        "lat": shop.lat,
        "lon": shop.lon,
        "opening_hours": published_opening_hours(shop, _today()) or None,
        "phone": shop.phone or None,
        "website": shop.website or None,
        "url": external_url("public.shop", slug=shop.slug),
    }


def published_records() -> list[dict]:
    """Every published shop, by name."""
    shops = db.session.scalars(
        public_shops_query()
        .options(selectinload(Shop.hours), selectinload(Shop.closures))
        .order_by(Shop.name, Shop.id)
    )
    return [shop_record(s) for s in shops]


def licence() -> dict:
    """The licence line of the files (configurable: OPEN_DATA_LICENCE, OPEN_DATA_LICENCE_URL)."""
    return {
        "name": current_app.config["OPEN_DATA_LICENCE"],
        "url": current_app.config["OPEN_DATA_LICENCE_URL"],
    }


def _meta() -> dict:
    return {
        "licence": licence(),
        "publisher": current_app.config["TOWN_NAME"],
        "generated_at": utcnow().replace(microsecond=0).isoformat(),
        "schema": schema_url("shops"),
    }


def shops_json() -> dict:
    """The JSON document: the licence and metadata, then the shops."""
    return {**_meta(), "shops": published_records()}


def shops_geojson() -> dict:
    """A GeoJSON FeatureCollection (a shop without coordinates has a null geometry)."""
    features = []
    for record in published_records():
        lat, lon = record["lat"], record["lon"]
        geometry = (
            {"type": "Point", "coordinates": [lon, lat]}
            if lat is not None and lon is not None
            else None
        )
        features.append({"type": "Feature", "geometry": geometry, "properties": record})
    return {"type": "FeatureCollection", **_meta(), "features": features}


def shops_csv() -> str:
    """The CSV file: one header line of FIELDS, comma-separated, UTF-8."""
    rows = ([record.get(k) for k in FIELDS] for record in published_records())
    return write_csv(FIELDS, rows)  # shop names are typed by shopkeepers: CSV injection
