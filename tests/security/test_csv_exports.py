"""No export can hand a spreadsheet a live formula, whichever separator or line break it splits on.

French Excel opens a comma-separated file with ";" as separator: a cell such as `zz;=cmd|...`
that is not quoted for ";" becomes two cells, the second a formula. Every export is split both
ways, properly and naively, and no cell may start with a formula character.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest

from marketplace.audit import AuditLog
from marketplace.curation.dashboard_views import TABLES
from marketplace.db import utcnow
from marketplace.extensions import db
from search.models import SearchLog
from shops.csv_io import FORMULA_START, PLAIN_NUMBER
from tests.curation.helpers import add_order, make_curator
from tests.factories import login, make_product, make_shop
from tests.security.attack import CSV_FORMULA_PAYLOADS

HOSTILE, *MORE = CSV_FORMULA_PAYLOADS
EXPORTS = (
    [("owner", "/merchant/shops/{slug}/products/export.csv?format=" + f) for f in ("fr", "en")]
    + [("public", "/open-data/shops.csv"), ("public", "/open-data/stats.csv")]
    + [("curator", "/curation/audit.csv")]
    + [("curator", f"/curation/dashboard/{key}.csv") for key in TABLES]
)


def live_cells(body: str) -> list[str]:
    """Cells a spreadsheet would run, splitting on "," or ";", with the CSV rules or without."""
    text = body.lstrip("\ufeff")
    found = []
    for sep in (",", ";"):
        cells = [c for row in csv.reader(io.StringIO(text, newline=""), delimiter=sep) for c in row]
        cells += [c for line in re.split(r"\r\n|\r|\n", text) for c in line.split(sep)]
        for cell in cells:
            bare = cell.lstrip('"')
            if bare.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(bare):
                found.append(f"{sep!r}: {cell!r}")
    return found


@pytest.fixture
def hostile_town(app):
    """A shop, a product, searches and an audit reason that each carry a formula after a separator."""
    owner_shop = make_shop(name=HOSTILE, postcode="75011")
    make_product(owner_shop, HOSTILE, 250, description=MORE[0], sku="sku;=1+1")
    for i, text in enumerate(MORE):
        make_product(owner_shop, text, 300 + i)
    when = utcnow() - timedelta(days=2)
    add_order(owner_shop, None, when, "collected", 1250, collected_after=timedelta(hours=3))
    curator = make_curator()
    for text in (HOSTILE, *MORE):
        db.session.add(SearchLog(query=text, filters="{}", result_count=0, created_at=when))
        db.session.add(SearchLog(query=text, filters="{}", result_count=3, created_at=when))
    db.session.add(
        AuditLog(
            actor_id=curator.id,
            action="shop.suspended",
            target_kind="shop",
            target_id=owner_shop.id,
            reason=HOSTILE + " " + MORE[2],
            changes='{"name": ["' + MORE[4] + '", "x;=1"]}',
        )
    )
    db.session.commit()
    return owner_shop, curator


@pytest.mark.parametrize(("who", "path"), EXPORTS, ids=[p for _, p in EXPORTS])
def test_no_export_yields_a_formula_when_split_on_either_separator(
    app, client, hostile_town, who, path
):
    shop, curator = hostile_town
    if who == "owner":
        login(client, shop.owner)
    elif who == "curator":
        login(client, curator)
    response = client.get(path.format(slug=shop.slug))
    assert response.status_code == 200, path
    assert response.mimetype == "text/csv"
    body = response.get_data(as_text=True)
    assert live_cells(body) == [], path


def test_the_product_export_reads_back_as_it_was_written(app, client, hostile_town):
    """The protection is undone on import: the shopkeeper's names survive a round trip."""
    from shops.csv_io import read_table

    shop, _ = hostile_town
    login(client, shop.owner)
    for fmt in ("fr", "en"):
        data = client.get(f"/merchant/shops/{shop.slug}/products/export.csv?format={fmt}").data
        table = read_table(data, {}, ["name"])
        names = {row["name"] for _, row in table.rows}
        assert {HOSTILE, *MORE} <= names, fmt
