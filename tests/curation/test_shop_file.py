"""The curator's shop file: a preview of what the public will see, the register checks, and a
history and audit log that read as words in the curator's language (agent-mode changes shown)."""

from __future__ import annotations

import re
from pathlib import Path

from marketplace.campaigns.services import TRANSITIONS as CAMPAIGN_TRANSITIONS
from marketplace.curation.agent import KINDS
from marketplace.curation.audit_labels import ACTION_LABELS
from shops.csv_shops import IMPORT_UPDATED, IMPORTED
from shops.models import PENDING_REVIEW
from shops.status import TRANSITIONS
from tests.conftest import page_text, post_form
from tests.factories import make_shop, make_shop_photo, shop_form_data
from tests.frontend.test_template_strings import visible_text


def test_the_shop_file_previews_the_public_page_and_the_register_checks(app, office):
    shop = make_shop(
        name="Cave Voltaire",
        status=PENDING_REVIEW,
        phone="01 43 00 00 00",
        website="https://cave-voltaire.example",
        siret="73282932000074",
    )
    make_shop_photo(shop, app.config["UPLOAD_DIR"], "La cave vue de la rue")
    html = office.get(f"/curation/shops/{shop.id}").get_data(as_text=True)
    text = page_text(office.get(f"/curation/shops/{shop.id}"))
    assert "Ce que verra le public" in text
    assert "01 43 00 00 00" in text and "cave-voltaire.example" in html  # contact
    assert "08:00–13:00" in text  # the hours table of the public page
    assert 'alt="La cave vue de la rue"' in html  # the photo
    assert 'id="shop-minimap"' in html and "js/shop-map.js" in html  # the map
    assert "Vérifications dans les registres" in text
    assert "Numéro SIRET valide (clé de contrôle)" in text and "73282932000074" in text


def test_actions_read_as_words_in_each_language_and_agent_changes_show(app, office):
    shop = make_shop(name="Fromagerie Oberkampf", status=PENDING_REVIEW)
    post_form(
        office,
        f"/curation/shops/{shop.id}/decide",
        {"action": "approve", "reason": ""},
        token_from="/curation/",
    )
    post_form(office, f"/curation/shops/{shop.id}/agent", token_from=f"/curation/shops/{shop.id}")
    data = shop_form_data(name="Fromagerie Oberkampf", phone="01 40 00 00 00")
    assert post_form(office, f"/merchant/shops/{shop.slug}", data).status_code == 302

    text = visible_text(office.get("/curation/audit").get_data(as_text=True))
    assert "Boutique publiée" in text and "shop.published" not in text
    assert "Boutique modifiée en mode agent" in text
    # Agent mode stores {"shop#3": {field: [before, after]}}: the values are shown.
    assert f"Boutique n° {shop.id} · Téléphone" in text and "— → 01 40 00 00 00" in text
    assert "Boutique publiée" in page_text(office.get(f"/curation/shops/{shop.id}"))

    english = visible_text(
        office.get("/curation/audit", headers={"Accept-Language": "en"}).get_data(as_text=True)
    )
    assert "Shop published" in english and "Shop changed in agent mode" in english


def _literal_codes() -> set[str]:
    """Every action code written as a literal in a record_action call of the app's code."""
    root = Path(__file__).resolve().parents[2]
    codes: set[str] = set()
    for package in ("marketplace", "shops", "payments", "search"):
        for path in (root / package).rglob("*.py"):
            text = path.read_text()
            for call in re.finditer(r"record_action\(", text):
                code = re.search(r'"([a-z_]+\.[a-z_]+)"', text[call.end() : call.end() + 200])
                if code:
                    codes.add(code.group(1))
    return codes


def test_every_action_the_app_logs_has_words():
    codes = {f"shop.{row.target}" for row in TRANSITIONS}
    codes |= {
        f"agent.{kind}.{op}" for kind in KINDS.values() for op in ("create", "update", "delete")
    }
    codes |= {f"campaign.{row.verb}" for row in CAMPAIGN_TRANSITIONS}
    codes |= {IMPORTED, IMPORT_UPDATED}
    literals = _literal_codes()
    assert "campaign.statement_issued" in literals and "payment.dispute" in literals
    assert (codes | literals) - set(ACTION_LABELS) == set()
