"""Public open-data page and files: /open-data, shops as CSV, JSON, GeoJSON, monthly stats."""

from __future__ import annotations

import json

from flask import Blueprint, Response, current_app, render_template

from marketplace.curation import open_data, stats
from marketplace.curation.open_data_words import described_fields
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
        fields=described_fields(open_data.schema()["$defs"]["shop"]["properties"]),
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


@bp.get("/schema.json")
def schema_json():
    """The JSON Schema of the shop files."""
    return _json(open_data.schema(), "schema.json", "application/schema+json")


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
