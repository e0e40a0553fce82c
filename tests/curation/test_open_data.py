"""Open data: files valid against their published schema, OSM opening hours, no personal data."""

from __future__ import annotations

import csv
import io
import json
from datetime import time
from urllib.parse import urlsplit

import pytest
from frictionless import Package, Resource, Schema
from frictionless.resources import TableResource

from marketplace.accounts.models import RESIDENT
from marketplace.curation import open_data
from marketplace.curation.open_data_schema import SCHEMAS_DIR
from marketplace.curation.open_data_words import FIELDS
from marketplace.db import utcnow
from shops import services
from shops.hours import Interval
from shops.models import PENDING_REVIEW
from shops.osm_hours import parse_opening_hours
from tests.curation.helpers import PARIS, add_order, paris
from tests.factories import make_shop, make_user


def path_of(url: str) -> str:
    """The path of one of the app's absolute URLs, for the test client."""
    return urlsplit(url).path


def published_resources(client) -> dict[str, TableResource]:
    """The data package's tabular files, read as it describes them (schema, format, rows)."""
    package = client.get("/open-data/datapackage.json").get_json()
    resources = {}
    for spec in package["resources"]:
        if "schema" not in spec:
            continue
        schema = Schema.from_descriptor(client.get(path_of(spec["schema"])).get_json())
        body = client.get(path_of(spec["path"])).get_data()
        if spec["format"] == "json":  # the rows are the list its dialect names
            rows = json.loads(body)[spec["dialect"]["json"]["property"]]
            resource = Resource(data=rows, schema=schema)
        else:
            resource = Resource(data=body, format=spec["format"], schema=schema)
        assert isinstance(resource, TableResource)  # else frictionless checks no row at all
        resources[spec["name"]] = resource
    return resources


def errors(report) -> list:
    return report.flatten(["rowNumber", "fieldName", "type"])


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


def test_every_published_table_is_valid_against_its_table_schema(app, client, shops):
    split, _bare = shops
    alice = make_user("alice@example.org", RESIDENT, "Alice")
    year, month = last_month()
    for day in range(1, 7):  # six orders: published; the one below: suppressed
        add_order(split, alice, paris(year, month, day), "collected", 1234)
    add_order(shops[1], alice, paris(year, month, 2), "collected", 999)
    resources = published_resources(client)
    assert set(resources) == {"shops", "shops-json", "monthly-stats"}
    for name, resource in resources.items():
        report = resource.validate()
        assert report.valid, (name, errors(report))
    assert resources["shops"].read_rows()[0]["siret"] == "73282932000074"
    assert len(resources["shops-json"].read_rows()) == 2
    figures = {r["category"]: r for r in resources["monthly-stats"].read_rows()}
    assert figures["fromagerie"]["orders"] == 6 and figures["pharmacie"]["suppressed"] is True


def test_the_json_file_names_its_schema_and_licence(app, client, shops):
    body = client.get("/open-data/shops.json").get_json()
    assert [s["name"] for s in body["shops"]] == ["Fromagerie Oberkampf", "Pharmacie du Canal"]
    cheese = body["shops"][0]
    assert (cheese["type"], cheese["osm_tag"], cheese["siret"]) == (
        "cheese",
        "shop=cheese",
        "73282932000074",
    )
    assert body["shops"][1]["osm_tag"] == "amenity=pharmacy"
    assert body["licence"]["name"] == "Licence Ouverte / Open Licence 2.0"
    assert body["schema"] == "http://127.0.0.1:5000/open-data/schemas/shops.json"


def test_the_geojson_properties_are_valid_and_place_each_shop(app, client, shops):
    body = client.get("/open-data/shops.geojson").get_json()
    assert body["type"] == "FeatureCollection"
    schema = Schema.from_descriptor(client.get("/open-data/schemas/shops.json").get_json())
    rows = [feature["properties"] for feature in body["features"]]
    report = Resource(data=rows, schema=schema).validate()
    assert report.valid, errors(report)
    cheese, pharmacy = body["features"]
    assert cheese["geometry"] == {"type": "Point", "coordinates": [2.378, 48.865]}
    assert pharmacy["geometry"] is None


def test_a_broken_row_is_detected(app, client, shops):
    rows = list(csv.reader(io.StringIO(client.get("/open-data/shops.csv").get_data(as_text=True))))
    header = rows[0]
    rows[1][header.index("siret")] = "123"  # not 14 digits
    rows[1][header.index("lat")] = "148.865"  # not a latitude
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    broken = out.getvalue().encode()
    schema = Schema.from_descriptor(client.get("/open-data/schemas/shops.json").get_json())
    report = Resource(data=broken, format="csv", schema=schema).validate()
    assert not report.valid
    assert errors(report) == [[2, "siret", "constraint-error"], [2, "lat", "constraint-error"]]


def test_schemas_live_at_stable_addresses_built_from_base_url(app, client, shops):
    app.config["BASE_URL"] = "https://vitrine.ville-exemple.fr"
    base = "https://vitrine.ville-exemple.fr/open-data"
    for table in ("shops", "monthly-stats"):
        schema = client.get(f"/open-data/schemas/{table}.json").get_json()
        assert schema["path"] == f"{base}/schemas/{table}.json"
        assert Schema.validate_descriptor(schema).valid
    package = client.get("/open-data/datapackage.json").get_json()
    schemas = {r["name"]: r.get("schema") for r in package["resources"]}
    assert schemas["shops"] == schemas["shops-json"] == f"{base}/schemas/shops.json"
    assert schemas["monthly-stats"] == f"{base}/schemas/monthly-stats.json"
    assert client.get("/open-data/shops.json").get_json()["schema"] == f"{base}/schemas/shops.json"
    old = client.get("/open-data/schema.json")  # the former address leads to the new one
    assert (old.status_code, path_of(old.location)) == (301, "/open-data/schemas/shops.json")
    assert client.get("/open-data/schemas/nothing.json").status_code == 404


def test_the_data_package_gives_each_file_and_its_licence(app, client, shops):
    package = client.get("/open-data/datapackage.json").get_json()
    assert Package.validate_descriptor(package).valid
    names = [r["name"] for r in package["resources"]]
    assert names == ["shops", "shops-json", "shops-geojson", "monthly-stats", "monthly-stats-json"]
    for resource in package["resources"]:
        assert client.get(path_of(resource["path"])).status_code == 200
        assert resource["licenses"] == [
            {
                "name": "etalab-2.0",
                "title": "Licence Ouverte / Open Licence 2.0",
                "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
            }
        ]
    assert "Open Food Facts" in package["description"] and "ODbL" in package["x-description-en"]


def test_schemas_speak_french_and_english_and_the_page_follows_the_reader(app, client, shops):
    schema = client.get("/open-data/schemas/shops.json").get_json()
    siret = next(f for f in schema["fields"] if f["name"] == "siret")
    assert siret["description"] == "SIRET de l’établissement (OSM ref:FR:SIRET)."
    assert siret["x-description-en"] == "SIRET of the establishment (OSM ref:FR:SIRET)."
    assert schema["title"] == "Commerces de proximité sur Vitrine"
    french = client.get("/open-data/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    english = client.get("/open-data/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Identifiant stable de la boutique" in french
    assert "Stable identifier of the shop" not in french
    assert "Stable identifier of the shop" in english


def test_every_open_data_field_has_words(app):
    for table in ("shops", "monthly-stats"):
        structure = json.loads((SCHEMAS_DIR / f"{table}.json").read_text(encoding="utf-8"))
        names = [f["name"] for f in structure["fields"]]
        assert names == list(FIELDS[table]), f"describe {table} in curation/open_data_words.py"
    assert tuple(FIELDS["shops"]) == open_data.FIELDS


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
