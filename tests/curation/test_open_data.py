"""Open data: files valid against their published schema, OSM opening hours, no personal data."""

from __future__ import annotations

import csv
import io
from datetime import time

import jsonschema_rs
import pytest

from marketplace.accounts.models import RESIDENT
from marketplace.db import utcnow
from shops import services
from shops.hours import Interval
from shops.models import PENDING_REVIEW
from shops.osm_hours import parse_opening_hours
from tests.curation.helpers import PARIS, add_order, paris
from tests.factories import make_shop, make_user

NUMBERS = ("lat", "lon")


def validator(client, ref: str | None = None):
    schema = client.get("/open-data/schema.json").get_json()
    if ref:
        schema = {**schema, "$ref": f"#/$defs/{ref}"}
        for key in ("type", "required", "properties"):
            schema.pop(key)
    return jsonschema_rs.Draft202012Validator(schema)


@pytest.fixture
def shops(app):
    """A shop with split days and closed days, one without SIRET nor hours, one pending."""
    split = make_shop(
        name="Fromagerie Oberkampf",
        category="fromagerie",
        siret="73282932000074",
        phone="01 43 55 12 34",
        website="https://fromagerie.example",
        email="patron@fromagerie.example",
    )
    services.set_opening_hours(
        split,
        [Interval(d, time(9), time(12, 30)) for d in (1, 2, 4)]
        + [Interval(d, time(15), time(19, 30)) for d in (1, 2, 4)]
        + [Interval(5, time(8), time(13)), Interval(6, time(9), time(12))],
    )
    bare = make_shop(name="Pharmacie du Canal", category="pharmacie", lat=None, lon=None)
    services.set_opening_hours(bare, [])
    make_shop(name="Boutique en attente", status=PENDING_REVIEW)
    from marketplace.extensions import db

    db.session.commit()
    return split, bare


def test_the_json_file_validates_against_the_published_schema(app, client, shops):
    body = client.get("/open-data/shops.json").get_json()
    validator(client).validate(body)
    assert [s["name"] for s in body["shops"]] == ["Fromagerie Oberkampf", "Pharmacie du Canal"]
    cheese = body["shops"][0]
    assert (cheese["type"], cheese["osm_tag"], cheese["siret"]) == (
        "cheese",
        "shop=cheese",
        "73282932000074",
    )
    assert body["shops"][1]["osm_tag"] == "amenity=pharmacy"
    assert body["licence"]["name"] == "Licence Ouverte / Open Licence 2.0"


def test_the_geojson_file_validates_and_places_each_shop(app, client, shops):
    body = client.get("/open-data/shops.geojson").get_json()
    assert body["type"] == "FeatureCollection"
    shop_schema = validator(client, "shop")
    for feature in body["features"]:
        shop_schema.validate(feature["properties"])
    cheese, pharmacy = body["features"]
    assert cheese["geometry"] == {"type": "Point", "coordinates": [2.378, 48.865]}
    assert pharmacy["geometry"] is None


def test_every_csv_row_validates_against_the_schema(app, client, shops):
    text = client.get("/open-data/shops.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text)))
    shop_schema = validator(client, "shop")
    assert len(rows) == 2
    for row in rows:
        record = {k: (None if v == "" else float(v) if k in NUMBERS else v) for k, v in row.items()}
        shop_schema.validate(record)


def test_the_schema_rejects_a_wrong_record(app, client, shops):
    body = client.get("/open-data/shops.json").get_json()
    body["shops"][0]["siret"] = "123"
    assert not validator(client).is_valid(body)


def test_opening_hours_round_trip_through_the_osm_syntax(app, client, shops):
    split, _bare = shops
    cheese, pharmacy = client.get("/open-data/shops.json").get_json()["shops"]
    assert cheese["opening_hours"] == (
        "Mo off; Tu,We 09:00-12:30,15:00-19:30; Th off; Fr 09:00-12:30,15:00-19:30; "
        "Sa 08:00-13:00; Su 09:00-12:00"
    )
    stored = [(h.weekday, h.opens, h.closes) for h in split.hours]
    parsed = [(i.weekday, i.opens, i.closes) for i in parse_opening_hours(cheese["opening_hours"])]
    assert sorted(parsed) == sorted(stored)
    assert pharmacy["opening_hours"] is None


def test_no_personal_data_in_any_export(app, client, shops):
    split, _bare = shops
    resident = make_user("jeanne.martin@example.org", RESIDENT, "Jeanne Martin")
    for day in range(1, 7):
        add_order(split, resident, paris(2026, 10, day), "collected", 1000, collected_after=None)
    exports = [
        client.get(path).get_data(as_text=True)
        for path in (
            "/open-data/shops.csv",
            "/open-data/shops.json",
            "/open-data/shops.geojson",
            "/open-data/stats.csv",
            "/open-data/stats.json",
        )
    ]
    for text in exports:
        for secret in (
            split.owner.email,
            split.owner.name,
            "patron@fromagerie.example",
            "jeanne",
            "Jeanne Martin",
        ):
            assert secret.lower() not in text.lower()


def last_month() -> tuple[int, int]:
    """The last whole month in the town (only whole months are published)."""
    today = utcnow().astimezone(PARIS).date()
    return (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)


def test_monthly_stats_suppress_cells_under_five_orders(app, client, shops):
    split, bare = shops
    year, month = last_month()
    label = f"{year}-{month:02d}"
    alice = make_user("alice@example.org", RESIDENT, "Alice")
    for day in range(1, 6):  # five cheese orders: published
        add_order(split, alice, paris(year, month, day), "collected", 1234)
    add_order(split, alice, paris(year, month, 6), "refunded", 1000, 400)
    add_order(split, alice, paris(year, month, 7), "cancelled", 5000)  # not a sale
    for day in range(1, 5):  # four pharmacy orders: suppressed
        add_order(bare, alice, paris(year, month, day), "collected", 999)
    add_order(bare, alice, utcnow(), "collected", 999)  # this month: not published yet
    body = client.get("/open-data/stats.json").get_json()
    months = {(m["month"], m["category"]): m for m in body["months"]}
    assert months[(label, "fromagerie")] == {
        "month": label,
        "category": "fromagerie",
        "osm_tag": "shop=cheese",
        "orders": 6,
        "sales_cents": 5 * 1234 + 600,
        "suppressed": False,
    }
    assert months[(label, "pharmacie")]["orders"] is None
    assert months[(label, "pharmacie")]["sales_cents"] is None
    assert months[(label, "pharmacie")]["suppressed"] is True
    lines = client.get("/open-data/stats.csv").get_data(as_text=True).splitlines()
    assert f"{label},fromagerie,shop=cheese,6,67.70,false" in lines
    assert f"{label},pharmacie,amenity=pharmacy,,,true" in lines
    assert len(lines) == 3


def test_the_licence_is_configurable(app, client, shops):
    app.config["OPEN_DATA_LICENCE"] = "ODbL 1.0"
    app.config["OPEN_DATA_LICENCE_URL"] = "https://opendatacommons.org/licenses/odbl/"
    assert client.get("/open-data/shops.json").get_json()["licence"]["name"] == "ODbL 1.0"
    assert "ODbL 1.0" in client.get("/open-data/").get_data(as_text=True)
