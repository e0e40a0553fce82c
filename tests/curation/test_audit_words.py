"""The audit log reads in the curator's language: objects, who acted, changed fields and shop
statuses in words, never codes ("shop #3", "system", "status: pending_review")."""

from __future__ import annotations

from marketplace.audit import record_action
from marketplace.extensions import db
from tests.conftest import english_client, page_text
from tests.factories import login, make_shop


def test_objects_actors_fields_and_statuses_are_words_in_french_and_english(app, office, curator):
    shop = make_shop()
    record_action(
        curator.id,
        "shop.published",
        "shop",
        shop.id,
        None,
        {"status": ["pending_review", "published"], "featured": [False, True]},
    )
    record_action(None, "payment.dispute", "checkout", 7, "fraudulent")
    record_action(curator.id, "campaign.statement_issued", "campaign_statement", 2, None, {})
    record_action(
        curator.id,
        "agent.shop.update",
        "shop",
        shop.id,
        None,
        {f"shop#{shop.id}": {"phone": [None, "01 40 00 00 00"]}},
    )
    db.session.commit()

    page = page_text(office.get("/curation/audit"))
    rows = page.split("<tbody>")[1]
    assert f"Boutique n° {shop.id}" in rows and "Paiement n° 7" in rows
    assert "Relevé de campagne n° 2" in rows
    assert "Relevé de campagne émis pour une boutique" in rows
    assert "Vitrine (automatique)" in rows
    assert "fraude (paiement non autorisé par le titulaire de la carte)" in rows
    assert "Statut\u202f: En attente de validation → Publiée" in rows
    assert "Mise en avant\u202f: non → oui" in rows
    assert f"Boutique n° {shop.id} · Téléphone" in rows
    for code in ("shop #", "checkout", "campaign_statement", "system", "pending_review", "False"):
        assert code not in rows, code
    assert ">Relevé de campagne</option>" in page

    english = english_client(app)
    login(english, curator)
    rows = page_text(english.get("/curation/audit")).split("<tbody>")[1]
    assert f"Shop #{shop.id}" in rows and "Status: Waiting for review → Published" in rows
    assert "Vitrine (automatic)" in rows


def test_the_shopkeeper_reads_agent_changes_in_words(app, client, curator):
    shop = make_shop()
    record_action(
        curator.id,
        "agent.shop.update",
        "shop",
        shop.id,
        None,
        {f"shop#{shop.id}": {"phone": [None, "01 40 00 00 00"]}},
    )
    db.session.commit()
    login(client, shop.owner)
    page = page_text(client.get(f"/merchant/shops/{shop.slug}/assisted/"))
    assert f"Boutique n° {shop.id} · Téléphone\u202f: — → 01 40 00 00 00" in page
    assert "shop#" not in page and "None" not in page
