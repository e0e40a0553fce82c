"""The town's office loads catalogues and whole lists of shops from the command line."""

from datetime import time

import pytest
from flask import current_app
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from marketplace.accounts.models import CURATOR, RESIDENT, SHOPKEEPER, User
from marketplace.extensions import db
from shops.models import PUBLISHED, Product, Shop
from shops.osm_hours import format_opening_hours
from tests.conftest import alerts, english_client, link_path, outbox, post_form
from tests.factories import make_product, make_shop, make_user, shop_state

SHOPS_HEADER = (
    "slug;nom;catégorie;adresse;code postal;ville;lat;lon;siret;horaires;email propriétaire"
)
SHOPS = [
    "boulangerie-oberkampf;Boulangerie Oberkampf;boulangerie;112 rue Oberkampf;75011;Paris;"
    '48,8655;2,3812;73282932000074;"Mo-Fr 07:00-13:30,15:30-20:00; Sa 07:00-13:00; Su off";'
    "jeanne@example.org",
    "librairie-voltaire;Librairie Voltaire;librairie;9 boulevard Voltaire;75011;Paris;"
    "48.8631;2.3665;;Tu-Sa 10:00-19:30;paul@example.org",
]


@pytest.fixture
def client(app):
    """The messages below are checked in English: this browser asks for English pages."""
    return english_client(app)


def printed(message: str, **values) -> str:
    """`message` as the commands print it: in the town's default language (French)."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        return gettext(message, **values)


def count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def run(app, *args):
    return app.test_cli_runner().invoke(args=["shops", *args])


def test_import_products_into_a_shop(app, tmp_path):
    shop = make_shop(name="Fromagerie Oberkampf", category="fromagerie")
    make_product(shop, "Comté 24 mois", 1200, sku="CMT-24")
    path = write(
        tmp_path,
        "fromages.csv",
        "\ufeffréférence;nom;prix\nCMT-24;Comté 24 mois;12,50\nBRIE;Brie de Meaux;7,90\n",
    )
    result = run(app, "import-products", shop.slug, path)
    assert result.exit_code == 0, result.output
    assert "1 created, 1 updated, 0 unchanged." in result.output
    db.session.expire_all()
    prices = dict(db.session.execute(select(Product.sku, Product.price_cents)).all())
    assert prices == {"CMT-24": 1250, "BRIE": 790}


def test_import_products_with_a_bad_row_imports_nothing_and_fails(app, tmp_path):
    shop = make_shop(name="Fromagerie Oberkampf", category="fromagerie")
    before = shop_state(shop.id)
    path = write(tmp_path, "fromages.csv", "nom;prix\nBrie;7,90\nTomme;gratuit\n")
    result = run(app, "import-products", shop.slug, path)
    assert result.exit_code != 0
    assert "line 3, price: " + printed("Write the price like 12,50 or 12.50.") in result.output
    assert "nothing imported: 1 error(s)" in result.output
    assert shop_state(shop.id) == before


def test_import_products_into_an_unknown_shop_fails(app, tmp_path):
    result = run(app, "import-products", "nulle-part", write(tmp_path, "p.csv", "nom;prix\nA;1\n"))
    assert result.exit_code != 0
    assert "no shop with slug 'nulle-part'" in result.output


def test_import_shops_publishes_them_and_invites_new_owners(app, tmp_path):
    make_user("paul@example.org", SHOPKEEPER, "Paul")  # already has an account
    path = write(tmp_path, "commerces.csv", "\n".join([SHOPS_HEADER, *SHOPS]) + "\n")
    result = run(app, "import-shops", path, "--publish")
    assert result.exit_code == 0, result.output
    assert "2 created, 0 updated, 1 owner(s) invited." in result.output

    db.session.expire_all()
    bakery = db.session.scalar(select(Shop).where(Shop.slug == "boulangerie-oberkampf"))
    assert (bakery.status, bakery.name, bakery.category) == (
        PUBLISHED,
        "Boulangerie Oberkampf",
        "boulangerie",
    )
    assert (bakery.lat, bakery.lon, bakery.siret) == (48.8655, 2.3812, "73282932000074")
    assert format_opening_hours(bakery.hours) == (
        "Mo-Fr 07:00-13:30,15:30-20:00; Sa 07:00-13:00; Su off"
    )
    assert [(h.opens, h.closes) for h in bakery.hours if h.weekday == 0] == [
        (time(7), time(13, 30)),
        (time(15, 30), time(20)),
    ]
    owner = bakery.owner
    assert (owner.email, owner.role, owner.password_hash) == (
        "jeanne@example.org",
        SHOPKEEPER,
        None,
    )

    client = english_client(app)
    assert client.get("/shops/boulangerie-oberkampf").status_code == 200
    assert client.get("/shops/librairie-voltaire").status_code == 200

    # Jeanne (new) is invited, Paul (known) is not; the invitation lets her in to her shop.
    [mail] = outbox(app)
    assert "To: jeanne@example.org" in mail
    path = link_path(mail)
    response = post_form(
        client,
        path,
        {"password": "le pain de jeanne", "confirm": "le pain de jeanne"},
        token_from="/account/login",
    )
    assert response.headers["Location"] == "/merchant/"
    assert ("success", "Your password is set.") in alerts(client.get("/merchant/"))
    assert client.get("/merchant/shops/boulangerie-oberkampf").status_code == 200


def test_import_shops_with_a_bad_row_changes_nothing_and_fails(app, tmp_path):
    bad = [
        SHOPS[0],
        "epicerie-x;Épicerie X;epicerie;1 rue X;75011;Paris;;;;Mo 25:00-26:00;x@example.org",
        "cave-y;Cave Y;caviste;2 rue Y;75011;Paris;;;;Xx 08:00-09:00;y@example.org",
        "boulangerie-oberkampf;Doublon;inconnue;3 rue Z;7501;Paris;;;;;pas-un-email",
    ]
    path = write(tmp_path, "commerces.csv", "\n".join([SHOPS_HEADER, *bad]) + "\n")
    result = run(app, "import-shops", path, "--publish")
    assert result.exit_code != 0
    for expected in (
        "line 3, opening_hours:",
        "line 4, opening_hours:",
        "line 5, category: " + printed("Unknown category %(code)s.", code="inconnue"),
        "line 5, postcode: " + printed("A French postcode has 5 digits."),
        "line 5, owner_email: " + printed("Enter the owner's email."),
        "line 5, slug: " + printed("Same slug as line %(n)s.", n=2),
    ):
        assert expected in result.output
    assert (count(Shop), count(User), outbox(app)) == (0, 0, [])


def test_import_shops_from_a_windows_1252_file(app, tmp_path):
    text = "\r\n".join(
        [SHOPS_HEADER, SHOPS[0].replace("Boulangerie Oberkampf", "Pâtisserie Élysée")]
    )
    path = write(tmp_path, "commerces.csv", text, encoding="cp1252")
    result = run(app, "import-shops", path, "--no-invite")
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.scalar(select(Shop.name)) == "Pâtisserie Élysée"
    assert outbox(app) == []


@pytest.mark.parametrize("publish", [False, True])
def test_importing_the_same_shops_again_updates_them(app, tmp_path, publish):
    path = write(tmp_path, "commerces.csv", "\n".join([SHOPS_HEADER, *SHOPS]) + "\n")
    options = ["--publish"] if publish else []
    run(app, "import-shops", path, *options)
    changed = SHOPS[1].replace("Tu-Sa 10:00-19:30", "Tu-Sa 10:00-20:00")
    path = write(tmp_path, "commerces.csv", "\n".join([SHOPS_HEADER, SHOPS[0], changed]) + "\n")
    result = run(app, "import-shops", path, *options)
    assert result.exit_code == 0, result.output
    assert "0 created, 2 updated, 0 owner(s) invited." in result.output
    assert count(Shop) == 2
    db.session.expire_all()
    bookshop = db.session.scalar(select(Shop).where(Shop.slug == "librairie-voltaire"))
    assert format_opening_hours(bookshop.hours) == "Mo off; Tu-Sa 10:00-20:00; Su off"
    assert bookshop.status == (PUBLISHED if publish else "draft")


def test_importing_again_keeps_what_the_shopkeeper_wrote_and_the_file_does_not_say(app, tmp_path):
    path = write(tmp_path, "commerces.csv", "\n".join([SHOPS_HEADER, *SHOPS]) + "\n")
    run(app, "import-shops", path, "--publish", "--no-invite")
    db.session.expire_all()
    bookshop = db.session.scalar(select(Shop).where(Shop.slug == "librairie-voltaire"))
    bookshop.description = "Romans, BD et un coin jeunesse."
    bookshop.phone = "01 43 00 00 00"
    db.session.commit()
    # The town's next file has no hours for the bookshop, and no phone column at all.
    header = SHOPS_HEADER
    rows = [SHOPS[0], SHOPS[1].replace("Tu-Sa 10:00-19:30", "")]
    path = write(tmp_path, "commerces.csv", "\n".join([header, *rows]) + "\n")
    assert run(app, "import-shops", path).exit_code == 0
    db.session.expire_all()
    bookshop = db.session.scalar(select(Shop).where(Shop.slug == "librairie-voltaire"))
    assert bookshop.description == "Romans, BD et un coin jeunesse."
    assert bookshop.phone == "01 43 00 00 00"
    assert format_opening_hours(bookshop.hours) == "Mo off; Tu-Sa 10:00-19:30; Su off"


def test_a_resident_named_as_owner_becomes_a_shopkeeper_and_staff_cannot_own(app, tmp_path):
    make_user("paul@example.org", RESIDENT, "Paul")
    path = write(tmp_path, "commerces.csv", "\n".join([SHOPS_HEADER, *SHOPS]) + "\n")
    result = run(app, "import-shops", path, "--no-invite")
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    paul = db.session.scalar(select(User).where(User.email == "paul@example.org"))
    assert paul.role == SHOPKEEPER
    assert [s.owner.email for s in db.session.scalars(select(Shop).where(Shop.owner_id == paul.id))]

    make_user("mairie@example.org", CURATOR, "Mairie")
    staff_row = (
        SHOPS[0]
        .replace("boulangerie-oberkampf", "chez-la-mairie")
        .replace("jeanne@example.org", "mairie@example.org")
    )
    path = write(tmp_path, "staff.csv", "\n".join([SHOPS_HEADER, staff_row]) + "\n")
    result = run(app, "import-shops", path, "--no-invite")
    assert result.exit_code != 0
    assert (
        "owner_email: "
        + printed("This email belongs to a curator or an administrator, who cannot own a shop.")
        in result.output
    )
    assert db.session.scalar(select(Shop).where(Shop.slug == "chez-la-mairie")) is None


def test_skip_invalid_imports_the_good_lines_and_lists_the_others_as_the_page_does(app, tmp_path):
    from shops.csv_shops import check_shops

    bad = "cave-y;Cave Y;caviste;2 rue Y;7501;Paris;;;;;y@example.org"
    data = "\n".join([SHOPS_HEADER, SHOPS[0], bad]) + "\n"
    # The office's page previews the file with check_shops: the same problems the CLI prints.
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        previewed = [(e.line, e.column, e.message) for e in check_shops(data.encode()).errors]
    result = run(app, "import-shops", write(tmp_path, "commerces.csv", data), "--skip-invalid")
    assert result.exit_code == 0, result.output
    assert "1 created, 0 updated, 1 line(s) skipped, 1 owner(s) invited." in result.output
    assert previewed == [(3, "postcode", printed("A French postcode has 5 digits."))]
    assert "line 3, postcode: " + previewed[0][2] in result.output
    assert count(Shop) == 1
