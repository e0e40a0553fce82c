"""Changes requested: the office sends a shop back with a list, the shopkeeper fixes and resubmits;
the office is emailed (each curator in their language) when a shop is submitted or resubmitted."""

from __future__ import annotations

import json

from marketplace.extensions import db
from shops.models import CHANGES_REQUESTED, DRAFT, PENDING_REVIEW
from tests.conftest import alerts, outbox, page_text, post_form
from tests.curation.helpers import audit_entries, make_curator
from tests.factories import login, make_shop


def decide(client, shop, action, reason="", **kwargs):
    return post_form(
        client,
        f"/curation/shops/{shop.id}/decide",
        {"action": action, "reason": reason},
        token_from="/curation/",
        **kwargs,
    )


def test_changes_requested_are_listed_to_the_shopkeeper_and_resubmitting_goes_back_to_review(
    app, office, curator
):
    shop = make_shop(name="Épicerie Lafayette", status=PENDING_REVIEW)
    response = decide(office, shop, "request_changes", "  ", follow_redirects=True)
    assert "error" in [c for c, _t in alerts(response)]
    db.session.refresh(shop)
    assert shop.status == PENDING_REVIEW

    decide(
        office,
        shop,
        "request_changes",
        "- Ajoutez une photo de la devanture\nPrécisez le téléphone",
    )
    db.session.refresh(shop)
    assert shop.status == CHANGES_REQUESTED
    assert shop.requested_changes == ["Ajoutez une photo de la devanture", "Précisez le téléphone"]
    [entry] = audit_entries(action="shop.changes_requested", target_id=shop.id)
    assert entry.actor_id == curator.id
    assert json.loads(entry.changes) == {"status": [PENDING_REVIEW, CHANGES_REQUESTED]}
    [mail] = outbox(app)
    assert "demande quelques modifications" in mail and "Précisez le téléphone" in mail

    # Never published: it stays off the public pages and the open data.
    visitor = app.test_client()
    assert visitor.get(f"/shops/{shop.slug}").status_code == 404
    assert shop.slug not in visitor.get("/open-data/shops.csv").get_data(as_text=True)

    owner = app.test_client()
    login(owner, shop.owner)
    text = page_text(owner.get("/merchant/"))
    assert "Modifications demandées" in text and "Refusée" not in text
    assert "Ajoutez une photo de la devanture" in text and "Précisez le téléphone" in text
    post_form(owner, f"/merchant/shops/{shop.slug}/submit", token_from="/merchant/")
    db.session.refresh(shop)
    assert (shop.status, shop.requested_changes) == (PENDING_REVIEW, [])
    resubmitted = outbox(app)[-1]
    assert curator.email in resubmitted and "de nouveau" in resubmitted


def test_each_curator_is_emailed_in_their_language_and_sees_the_queue_count(app, client):
    french = make_curator("claire@example.org", "Claire")
    english = make_curator("john@example.org", "John")
    english.locale = "en"
    gone = make_curator("gone@example.org", "Parti")
    gone.deleted_at = gone.created_at
    db.session.commit()
    shop = make_shop(name="Cordonnerie Bastille", published=False)
    assert shop.status == DRAFT
    login(client, shop.owner)
    post_form(client, f"/merchant/shops/{shop.slug}/submit", token_from="/merchant/")
    mails = {mail.split("\n", 1)[0]: mail for mail in outbox(app)}
    assert set(mails) == {f"To: {french.email}", f"To: {english.email}"}
    assert "Nouvelle boutique" in mails[f"To: {french.email}"]
    assert "New shop to review: Cordonnerie Bastille" in mails[f"To: {english.email}"]
    assert f"/curation/shops/{shop.id}" in mails[f"To: {english.email}"]

    office = app.test_client()
    login(office, french)
    header = page_text(office.get("/"))
    assert "(1 à examiner)" in header
