"""The open-data files' Table Schemas and their Data Package, at stable URLs built from BASE_URL.

schema.data.gouv.fr has no schema for local shops (BANCO, the national open base of shops, is a
data set built from OpenStreetMap, not a published schema), so Vitrine publishes its own as
Frictionless Table Schemas, with the formats the national schemas share: SIRET as 14 digits,
postcodes as 5-digit strings, WGS 84 decimal degrees, opening hours in the OSM syntax.
The structure is in schemas/*.json, the words in open_data_words (French and English).
"""

from __future__ import annotations

import json
from pathlib import Path

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from marketplace.curation.open_data_words import FIELDS, TABLES
from marketplace.curation.stats import MIN_ORDERS
from marketplace.db import utcnow
from marketplace.urls import external_url
from shops.categories import CATEGORIES

SCHEMAS_DIR = Path(__file__).parent / "schemas"
# Open Definition / SPDX identifiers of the licences a town is likely to choose, by their URL.
LICENCE_IDS = {
    "https://www.etalab.gouv.fr/licence-ouverte-open-licence/": "etalab-2.0",
    "https://opendatacommons.org/licenses/odbl/": "ODbL-1.0",
    "https://opendatacommons.org/licenses/odbl/1-0/": "ODbL-1.0",
}
PACKAGE_TITLE = _l("Local shops of %(town)s on Vitrine")
PACKAGE_TEXT = _l(
    "The shops published on the town's marketplace and monthly figures about their orders."
    " None of these files includes Open Food Facts data (products are not published), so none"
    " of them is under the ODbL on that account: each is under the licence given here."
)


def schema_url(table: str) -> str:
    """The stable address of a table's schema (BASE_URL/open-data/schemas/<table>.json)."""
    return external_url("open_data.table_schema", table=table)


def _words(title, text, **values) -> dict:
    """French in title/description (the convention of schema.data.gouv.fr), English beside."""
    out = {}
    for locale, suffix in (("fr", ""), ("en", "-en")):
        with force_locale(locale):
            prefix = "x-" if suffix else ""
            out[f"{prefix}title{suffix}"] = str(title) % values if values else str(title)
            out[f"{prefix}description{suffix}"] = str(text)
    return out


def table_schema(table: str) -> dict:
    """The Table Schema of `table` (shops, monthly-stats), with its words and its URL."""
    structure = json.loads((SCHEMAS_DIR / f"{table}.json").read_text(encoding="utf-8"))
    schema = {
        "$schema": structure.pop("$schema"),
        "name": structure.pop("name"),
        **_words(*TABLES[table]),
        "path": schema_url(table),
        "homepage": external_url("open_data.index"),
        **structure,
    }
    words = FIELDS[table]
    for field in schema["fields"]:
        field.update(_words(*words[field["name"]]))
        constraints = field.setdefault("constraints", {})
        if field["name"] == "category":  # the vocabulary lives in the code, where it grows
            constraints["enum"] = [c.code for c in CATEGORIES]
        if field["name"] == "orders":  # a smaller count is suppressed, never published
            constraints["minimum"] = MIN_ORDERS
    return schema


def licence_descriptor() -> dict:
    """The configured licence as a Data Package licence (title, path, and its id when known)."""
    url = current_app.config["OPEN_DATA_LICENCE_URL"]
    licence = {"title": current_app.config["OPEN_DATA_LICENCE"], "path": url}
    if url in LICENCE_IDS:
        licence = {"name": LICENCE_IDS[url], **licence}
    return licence


def _resource(name: str, endpoint: str, fmt: str, mediatype: str, **extra) -> dict:
    return {
        "name": name,
        "path": external_url(endpoint),
        "format": fmt,
        "mediatype": mediatype,
        "encoding": "utf-8",
        **extra,
        "licenses": [licence_descriptor()],
    }


def datapackage() -> dict:
    """The Data Package describing every published file, its schema and its licence."""
    town = current_app.config["TOWN_NAME"]
    shops, stats = schema_url("shops"), schema_url("monthly-stats")
    return {
        "profile": "data-package",
        "name": "vitrine-open-data",
        "id": external_url("open_data.datapackage"),
        **_words(PACKAGE_TITLE, PACKAGE_TEXT, town=town),
        "homepage": external_url("open_data.index"),
        "created": utcnow().replace(microsecond=0).isoformat(),
        "contributors": [{"title": town, "role": "publisher"}],
        "licenses": [licence_descriptor()],
        "resources": [
            _resource("shops", "open_data.shops_csv", "csv", "text/csv", schema=shops),
            _resource(
                "shops-json",
                "open_data.shops_json",
                "json",
                "application/json",
                dialect={"json": {"keyed": True, "property": "shops"}},
                schema=shops,
            ),
            _resource(
                "shops-geojson",
                "open_data.shops_geojson",
                "geojson",
                "application/geo+json",
                description=f"GeoJSON: the properties of each feature follow {shops}",
            ),
            _resource("monthly-stats", "open_data.stats_csv", "csv", "text/csv", schema=stats),
            _resource(
                "monthly-stats-json",
                "open_data.stats_json",
                "json",
                "application/json",
                description=f"JSON: the rows of {stats}, with sales_cents (cents) for sales_eur",
            ),
        ],
    }
