"""The office's bulk onboarding page: upload the town's shops CSV, read the preview (a dry run),
import once; new owners are invited through the job queue, and the audit names the curator."""

from __future__ import annotations

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import select

from marketplace.accounts.models import SHOPKEEPER
from marketplace.curation.models import IMPORTED, ShopImport
from marketplace.extensions import db
from shops.models import PUBLISHED, Shop
from shops.register_checks import latest_register_checks
from shops.registers.models import BAN
from tests.conftest import (
    alerts,
    csrf_token,
    drain_jobs,
    english_client,
    link_path,
    outbox,
    page_text,
)
from tests.curation.helpers import audit_entries
from tests.curation.onboarding_helpers import (
    BAD_POSTCODE,
    BAKERY,
    BOOKSHOP,
    confirm,
    counts,
    import_id_of,
    shops_csv,
    upload,
)
from tests.factories import login, make_shop, make_user


def in_language(locale: str, message: str, **values) -> str:
    with force_locale(locale):
        return gettext(message, **values)


def test_the_preview_lists_every_line_and_its_problems_in_french(office):
    make_user("paul@example.org", SHOPKEEPER, "Paul")
    response = upload(office, shops_csv(BAKERY, BOOKSHOP, BAD_POSTCODE))
    assert response.status_code == 303
    page = page_text(office.get(response.headers["Location"]))
    assert "Simulation\u202f: rien n'a encore été importé." in page
    assert (
        '<td class="num">4</td><td>postcode</td><td>Un code postal français comporte 5 chiffres.</td>'
        in page
    )
    assert "Boulangerie Oberkampf" in page and "Librairie Voltaire" in page
    assert "(nouveau compte, invité)" in page  # Jeanne has no account; Paul has one
    assert page.count("(nouveau compte, invité)") == 1


def test_the_preview_speaks_english_to_an_english_curator(app, curator):
    client = english_client(app)
    login(client, curator)
    make_shop(name="Librairie Voltaire", category="librairie", published=False)
    response = upload(client, shops_csv(BAKERY, BOOKSHOP, BAD_POSTCODE))
    page = page_text(client.get(response.headers["Location"]))
    assert "Dry run: nothing has been imported yet." in page
    assert '<td class="num">4</td><td>postcode</td><td>A French postcode has 5 digits.</td>' in page
    assert "skipped: 1 problem(s)" in page
    assert "<td>created</td>" in page and "<td>updated</td>" in page  # the bookshop exists
    assert "Import 2 line(s)" in page


def test_the_preview_is_a_dry_run_that_changes_nothing(app, office, queued_jobs):
    before = counts()
    response = upload(office, shops_csv(BAKERY, BOOKSHOP, BAD_POSTCODE))
    office.get(response.headers["Location"])
    office.get(response.headers["Location"])
    shops, users, audit_rows, kept = counts()
    # Only the file is kept (for the import); no shop, account, audit row, job or email.
    assert (shops, users, audit_rows, kept) == (before[0], before[1], before[2], before[3] + 1)
    assert queued_jobs.huey.pending_count() == 0
    assert outbox(app) == []


def test_the_import_creates_the_shops_and_the_queue_invites_each_owner_in_their_language(
    app, office, curator, queued_jobs
):
    response = upload(office, shops_csv(BAKERY, BOOKSHOP, BAD_POSTCODE), publish=True)
    preview = response.headers["Location"]
    answer = confirm(office, preview)
    assert answer.status_code == 303
    page = page_text(office.get(preview))
    for label, figure in (
        ("Boutiques créées", 2),
        ("Lignes ignorées (problèmes)", 1),
        ("Invitations en file d'attente", 2),
    ):
        assert f"<dt>{label}</dt><dd>{figure}</dd>" in page, label
    db.session.expire_all()
    shops = {s.slug: s for s in db.session.scalars(select(Shop))}
    assert sorted(shops) == ["boulangerie-oberkampf", "librairie-voltaire"]
    assert {s.status for s in shops.values()} == {PUBLISHED}
    assert shops["librairie-voltaire"].owner.locale == "en"
    record = db.session.get(ShopImport, import_id_of(preview))
    assert (record.status, record.imported_by_id, record.data) == (IMPORTED, curator.id, None)

    # Nothing was sent in the request: the queue writes the emails.
    assert outbox(app) == []
    # Two invitations, and the registers asked about the shops (offline here: "unavailable").
    assert drain_jobs(app) == 3
    checks = latest_register_checks(shops["boulangerie-oberkampf"])
    assert checks[BAN].outcome == "unavailable"
    mails = {m.split("\n")[0]: m for m in outbox(app)}
    assert (
        "Subject: Votre boutique est sur Vitrine\u202f: choisissez votre mot de passe"
        in mails["To: jeanne@example.org"]
    )
    assert "Subject: Your shop is on Vitrine: choose your password" in mails["To: paul@example.org"]
    assert link_path(mails["To: jeanne@example.org"]).startswith("/account/")


def test_the_audit_names_the_curator_who_imported_each_shop(app, office, curator):
    confirm(office, upload(office, shops_csv(BAKERY, BOOKSHOP)).headers["Location"])
    rows = audit_entries(action="shop.imported")
    assert len(rows) == 2 and {r.actor_id for r in rows} == {curator.id}
    page = page_text(office.get("/curation/audit", query_string={"action": "shop.imported"}))
    assert "Boutique créée par un import groupé" in page
    assert "shop.imported" not in page.split("<tbody>")[1]
    assert curator.name in page


def test_confirming_twice_imports_once(app, office, queued_jobs):
    preview = upload(office, shops_csv(BAKERY)).headers["Location"]
    confirm(office, preview)
    again = confirm(office, preview)
    assert again.status_code == 303
    assert (
        "info",
        in_language("fr", "This file was imported already; here is what the import did."),
    ) in alerts(office.get(preview))
    assert counts()[0] == 1
    assert len(audit_entries(action="shop.imported")) == 1
    assert drain_jobs(app) == 2  # one invitation, one register lookup: queued once


def test_a_shopkeeper_cannot_reach_the_page(app, office, client):
    preview = upload(office, shops_csv(BAKERY)).headers["Location"]
    keeper = english_client(app)
    login(keeper, make_user("shop@example.org", SHOPKEEPER, "Sam"))
    assert keeper.get("/curation/onboarding").status_code == 403
    assert keeper.get(preview).status_code == 403
    token = csrf_token(keeper, "/")  # a valid token of the shopkeeper's own session
    assert keeper.post(preview + "/import", data={"csrf_token": token}).status_code == 403
    assert counts()[0] == 0


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty", b"", "This file is empty."),
        (
            "wrong columns",
            b"nom;prix\nBrie;7,90\n",
            "Columns missing from the first line: %(detail)s.",
        ),
        ("too big", shops_csv(BAKERY) + b"x" * 600, "This file is too large."),
        ("binary", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "This file is not a CSV file."),
        ("header only", shops_csv(), "This file has a header but no shops."),
    ],
)
def test_a_bad_file_shows_the_form_again_with_its_error_and_changes_nothing(
    app, curator, name, data, message
):
    app.config["SHOP_IMPORT_MAX_BYTES"] = len(shops_csv(BAKERY)) + 100
    client = english_client(app)
    login(client, curator)
    before = counts()
    response = upload(client, data)
    assert response.status_code == 400
    page = page_text(response)
    detail = "category, address, postcode, city, owner_email"
    assert message % {"detail": detail} in page
    assert 'name="csrf_token"' in page and 'type="file"' in page
    assert counts() == before


def test_a_windows_1252_file_with_commas_is_read(app, office):
    text = (
        "patisserie-elysee,Pâtisserie Élysée,boulangerie,1 rue X,75008,Paris,,anne@example.org,fr"
    )
    header = "slug,nom,catégorie,adresse,code postal,ville,horaires,email propriétaire,langue"
    data = (header + "\r\n" + text + "\r\n").encode("cp1252")
    preview = upload(office, data).headers["Location"]
    confirm(office, preview)
    db.session.expire_all()
    assert db.session.scalar(select(Shop.name)) == "Pâtisserie Élysée"


def test_forms_carry_a_csrf_token_and_a_post_without_one_is_refused(app, office):
    assert 'name="csrf_token"' in office.get("/curation/onboarding").get_data(as_text=True)
    preview = upload(office, shops_csv(BAKERY)).headers["Location"]
    assert 'name="csrf_token"' in office.get(preview).get_data(as_text=True)
    assert office.post(preview + "/import").status_code == 400
    refused = office.post("/curation/onboarding", data={}, content_type="multipart/form-data")
    assert refused.status_code == 400
    assert counts()[0] == 0
