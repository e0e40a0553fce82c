"""A shopkeeper imports the catalogue from a spreadsheet: all rows or none, each error explained."""

import io
import re

import pytest
from sqlalchemy import select

from marketplace.extensions import db
from shops.models import Product
from tests.conftest import alerts, english_client, page_text, post_form
from tests.factories import login, make_product, make_shop, shop_state

FRENCH = (
    "\ufeffRéférence;Nom;Prix;Quantité;Catégorie;Description\r\n"
    "CMT-24;Comté 24 mois;12,50;8;Pâtes pressées;Au lait cru, affiné 24 mois\r\n"
    "BRIE;Brie de Meaux;7,90;;Pâtes molles;\r\n"
    "CHV;Crottin de Chavignol;3,20;0;Chèvres;\r\n"
).encode()
ENGLISH = b"sku,name,price,stock,active\nCMT-24,Comte 24 months,12.50,8,1\nBRIE,Brie,7.90,,yes\n"
ROW = re.compile(r'<tr><td class="num">(\d+)</td><td>(.*?)</td><td>(.*?)</td></tr>')


@pytest.fixture
def client(app):
    """The messages below are checked in English: this browser asks for English pages."""
    return english_client(app)


@pytest.fixture
def shop(app, client):
    shop = make_shop(name="Fromagerie Oberkampf", category="fromagerie")
    login(client, shop.owner)
    return shop


def upload(client, shop, data: bytes, filename="catalogue.csv", language="en"):
    return post_form(
        client,
        f"/merchant/shops/{shop.slug}/products/import",
        {"file": (io.BytesIO(data), filename)},
        token_from=f"/merchant/shops/{shop.slug}/products/",
        headers={"Accept-Language": language},
    )


def catalogue(shop):
    db.session.expire_all()
    products = db.session.scalars(select(Product).where(Product.shop_id == shop.id))
    return {p.name: (p.sku, p.price_cents, p.stock, p.category, p.is_active) for p in products}


def done_message(client, response):
    assert response.status_code == 302, page_text(response)[:2000]
    page = client.get(response.headers["Location"], headers={"Accept-Language": "en"})
    return [text for kind, text in alerts(page) if kind == "success"]


def test_a_french_spreadsheet_is_imported(app, client, shop):
    response = upload(client, shop, FRENCH)
    assert done_message(client, response) == ["Import done: 3 added, 0 updated, 0 unchanged."]
    assert catalogue(shop) == {
        "Comté 24 mois": ("CMT-24", 1250, 8, "Pâtes pressées", True),
        "Brie de Meaux": ("BRIE", 790, None, "Pâtes molles", True),
        "Crottin de Chavignol": ("CHV", 320, 0, "Chèvres", True),
    }
    comte = db.session.scalar(select(Product).where(Product.sku == "CMT-24"))
    assert comte.description == "Au lait cru, affiné 24 mois"


def test_an_english_spreadsheet_is_imported(app, client, shop):
    response = upload(client, shop, ENGLISH)
    assert done_message(client, response) == ["Import done: 2 added, 0 updated, 0 unchanged."]
    assert catalogue(shop) == {
        "Comte 24 months": ("CMT-24", 1250, 8, "", True),
        "Brie": ("BRIE", 790, None, "", True),
    }


def test_importing_the_same_file_again_updates_by_sku_without_duplicates(app, client, shop):
    upload(client, shop, FRENCH)
    response = upload(client, shop, FRENCH)
    assert done_message(client, response) == ["Import done: 0 added, 0 updated, 3 unchanged."]
    changed = FRENCH.replace(b"Comt\xc3\xa9 24 mois;12,50;8", b"Comt\xc3\xa9 24 mois AOP;13,00;5")
    response = upload(client, shop, changed)
    assert done_message(client, response) == ["Import done: 0 added, 1 updated, 2 unchanged."]
    products = catalogue(shop)
    assert len(products) == 3
    assert products["Comté 24 mois AOP"] == ("CMT-24", 1300, 5, "Pâtes pressées", True)


def test_a_file_without_skus_updates_products_by_name(app, client, shop):
    make_product(shop, "Beurre doux", 450, stock=10)
    response = upload(client, shop, "nom;prix\nBeurre doux;4,80\nCrème crue;3,60\n".encode())
    assert done_message(client, response) == ["Import done: 1 added, 1 updated, 0 unchanged."]
    assert catalogue(shop)["Beurre doux"][1] == 480
    assert len(catalogue(shop)) == 2


def test_a_file_with_bad_rows_changes_nothing_and_lists_every_error(app, client, shop):
    make_product(shop, "Beurre doux", 450, sku="BEURRE")
    before = shop_state(shop.id)
    data = (
        "sku;nom;prix;quantité;description\n"  # line 1
        "BEURRE;Beurre doux;5,00;10;\n"  # line 2: fine, would update
        'NEW;Tomme;-3,00;2;"Deux lignes\nde description"\n'  # lines 3-4: negative price
        "ABC;Morbier;9,50;abc;\n"  # line 5: stock is not a number
        "\n"  # line 6: blank, skipped
        ";;4,00;;\n"  # line 7: no name
        "ABC;Saint-Nectaire;12,00;3;\n"  # line 8: SKU used on line 5
        "X;Reblochon;12,345;1;\n"  # line 9: three decimals
    ).encode()
    response = upload(client, shop, data)
    assert response.status_code == 400
    page = page_text(response)
    assert "Nothing was imported: 5 problem(s) to fix in the file." in page
    assert set(ROW.findall(page)) == {
        ("3", "price", "A price cannot be negative."),
        ("5", "stock", "Stock must be a whole number (or empty for unlimited)."),
        ("7", "name", "A name of 1 to 200 characters."),
        ("8", "sku", "Same SKU as line 5."),
        ("9", "price", "Write the price like 12,50 or 12.50."),
    }
    assert shop_state(shop.id) == before


def test_a_windows_1252_file_from_french_excel_keeps_its_accents(app, client, shop):
    data = "Nom;Prix\r\nPâté en croûte;8,50\r\nCrème brûlée;4,20\r\nŒufs frais (x6);3,10\r\n"
    response = upload(client, shop, data.encode("cp1252"))
    assert done_message(client, response) == ["Import done: 3 added, 0 updated, 0 unchanged."]
    assert set(catalogue(shop)) == {"Pâté en croûte", "Crème brûlée", "Œufs frais (x6)"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "This file is empty."),
        (b"\xef\xbb\xbf\r\n\r\n", "This file is empty."),
        (b"nom;prix\r\n", "This file has a header but no products."),
        (b"nom;quantite\nBeurre;3\n", "Columns missing from the first line: price."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "This file is not a CSV file."),
    ],
    ids=["empty", "blank lines", "header only", "no price column", "a photo"],
)
def test_a_file_that_cannot_be_read_gets_a_clear_message(app, client, shop, data, message):
    make_product(shop, "Beurre doux", 450)
    before = shop_state(shop.id)
    response = upload(client, shop, data)
    assert response.status_code == 400
    assert message in page_text(response)
    assert shop_state(shop.id) == before


@pytest.mark.one_database("sqlite")  # bulk load: the SQLite run has more room (CI time)
@pytest.mark.slow
def test_a_5_mb_file_is_imported_whole(app, client, shop):
    description = "Produit de la ferme, affiné en cave, lait cru de vache montbéliarde. " * 2
    lines = ["sku;nom;prix;quantité;catégorie;description"]
    size, n = 0, 0
    while size < 5 * 1024 * 1024:
        n += 1
        line = (
            f"REF-{n:06d};Fromage n°{n};{n % 90 + 1},{n % 100:02d};{n % 50};Fromages;{description}"
        )
        lines.append(line)
        size += len(line.encode()) + 2
    response = upload(client, shop, "\r\n".join(lines).encode())
    assert done_message(client, response) == [f"Import done: {n} added, 0 updated, 0 unchanged."]
    db.session.expire_all()
    count = db.session.scalar(
        select(db.func.count()).select_from(Product).where(Product.shop_id == shop.id)
    )
    assert count == n
    last = db.session.scalar(select(Product).where(Product.sku == f"REF-{n:06d}"))
    assert (last.name, last.price_cents) == (f"Fromage n°{n}", (n % 90 + 1) * 100 + n % 100)


def test_a_price_list_updates_prices_and_keeps_everything_else(app, client, shop):
    make_product(
        shop,
        "Comté 24 mois",
        1200,
        sku="CMT-24",
        stock=8,
        category="Pâtes pressées",
        description="Au lait cru.",
    )
    make_product(shop, "Mont d'Or", 1800, sku="MDO", stock=0, is_active=False)
    prices = "ref;nom;prix\nCMT-24;Comté 24 mois;12,90\nMDO;Mont d'Or;19,00\n"
    response = upload(client, shop, prices.encode())
    assert done_message(client, response) == ["Import done: 0 added, 2 updated, 0 unchanged."]
    assert catalogue(shop) == {
        "Comté 24 mois": ("CMT-24", 1290, 8, "Pâtes pressées", True),
        "Mont d'Or": ("MDO", 1900, 0, "", False),
    }
    comte = db.session.scalar(select(Product).where(Product.sku == "CMT-24"))
    assert comte.description == "Au lait cru."
