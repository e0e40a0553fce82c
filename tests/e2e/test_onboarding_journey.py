"""The office's bulk onboarding in a real browser: upload the town's shops CSV, read the preview
with a line's problem, import, and the new owner's invitation is in the outbox."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from marketplace.accounts.models import CURATOR
from marketplace.extensions import db
from tests.conftest import outbox
from tests.e2e.steps import email_for, log_in, open_menu_link, unique
from tests.factories import make_user


def test_the_office_imports_shops_and_the_new_owner_is_invited(open_page, live_town):
    curator_name = unique("Office Onboarding")
    make_user(email_for(curator_name), CURATOR, curator_name)
    db.session.commit()
    owner = email_for(unique("Jeanne Fournil"))
    shop_name = unique("Fournil du Canal")
    slug = re.sub(r"\W+", "-", shop_name.lower())
    csv = "\n".join(
        [
            "slug;nom;catégorie;adresse;code postal;ville;email propriétaire;langue",
            f"{slug};{shop_name};boulangerie;3 quai de Valmy;75010;Paris;{owner};en",
            f"{slug}-bis;Cave sans code;caviste;4 quai de Valmy;750;Paris;{owner};en",
        ]
    ).encode()

    page = open_page("desktop", "en")
    log_in(page, email_for(curator_name))
    open_menu_link(page, "Town office")
    page.get_by_role("navigation", name="Town office").get_by_role(
        "link", name="Bulk onboarding"
    ).click()
    page.get_by_label("CSV file of shops").set_input_files(
        {"name": "commerces.csv", "mimeType": "text/csv", "buffer": csv}
    )
    page.get_by_role("button", name="Check the file").click()

    expect(page.get_by_role("status")).to_contain_text("Dry run: nothing has been imported yet.")
    problems = page.get_by_role("table", name="Problems found")
    expect(problems.get_by_role("row")).to_have_count(2)  # the header and line 3's postcode
    expect(problems.get_by_role("cell", name="postcode", exact=True)).to_be_visible()
    expect(problems.get_by_role("cell", name="A French postcode has 5 digits.")).to_be_visible()
    page.get_by_role("button", name="Import 1 line(s)").click()

    expect(page.get_by_role("heading", name="Import done")).to_be_visible()
    expect(page.get_by_text("Shops imported.")).to_be_visible()
    [mail] = [m for m in outbox(live_town.app) if m.startswith(f"To: {owner}\n")]
    assert "Subject: Your shop is on Vitrine: choose your password" in mail
    assert "/account/invitation/" in mail
