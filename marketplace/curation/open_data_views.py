"""Public open-data page and files: shops as CSV, JSON, GeoJSON, monthly stats, their schemas."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, current_app, redirect, render_template, url_for

from marketplace.curation import open_data, open_data_schema, stats
from marketplace.curation.open_data_words import FIELDS, described_fields
from marketplace.db import utcnow

bp = Blueprint("open_data", __name__, url_prefix="/open-data")


def _json(data, filename: str, mimetype: str = "application/json") -> Response:
    return Response(
        json.dumps(data, ensure_ascii=False, indent=1),
        mimetype=mimetype,
        headers={"Content-Disposition": f"inline; filename={filename}"},
    )


def _csv(text: str, filename: str) -> Response:
    return Response(
        text,
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename={filename}"},
    )


@bp.get("/")
def index():
    """Describe the published files, their fields and their licence."""
    return render_template(
        "curation/open_data.html",
        licence=open_data.licence(),
        fields=described_fields("shops"),
        stats_fields=described_fields("monthly-stats"),
        min_orders=stats.MIN_ORDERS,
    )


@bp.get("/shops.csv")
def shops_csv():
    """Published shops as CSV."""
    return _csv(open_data.shops_csv(), "shops.csv")


@bp.get("/shops.json")
def shops_json():
    """Published shops as JSON (with the licence line)."""
    return _json(open_data.shops_json(), "shops.json")


@bp.get("/shops.geojson")
def shops_geojson():
    """Published shops as GeoJSON."""
    return _json(open_data.shops_geojson(), "shops.geojson", "application/geo+json")


@bp.get("/schemas/<table>.json")
def table_schema(table: str):
    """The Table Schema of a published table (shops, monthly-stats)."""
    if table not in FIELDS:
        abort(404)
    return _json(open_data_schema.table_schema(table), f"{table}.schema.json")


@bp.get("/datapackage.json")
def datapackage():
    """The Data Package: every file, its schema and its licence."""
    return _json(open_data_schema.datapackage(), "datapackage.json")


@bp.get("/schema.json")
def schema_json():
    """The shops' schema moved to /open-data/schemas/shops.json; older links still lead there."""
    return redirect(url_for("open_data.table_schema", table="shops"), 301)


def _stats() -> list[dict]:
    return stats.monthly_stats(utcnow(), current_app.config["TIMEZONE"])


@bp.get("/stats.csv")
def stats_csv():
    """Monthly orders and sales per category (small cells suppressed) as CSV."""
    return _csv(stats.stats_csv(_stats()), "monthly-stats.csv")


@bp.get("/stats.json")
def stats_json():
    """Monthly orders and sales per category (small cells suppressed) as JSON."""
    return _json(
        {"licence": open_data.licence(), "min_orders": stats.MIN_ORDERS, "months": _stats()},
        "monthly-stats.json",
    )
