"""The review queue: approve, reject with a reason, resubmit, suspend and reinstate, bulk actions."""

from __future__ import annotations

import json

import pytest

from marketplace.extensions import db
from shops.models import PENDING_REVIEW, PUBLISHED, REJECTED, SUSPENDED
from tests.conftest import alerts, outbox, page_text, post_form
from tests.curation.helpers import audit_entries
from tests.factories import login, make_product, make_shop
from tests.search.conftest import found


def decide(client, shop, action, reason="", **kwargs):
    return post_form(
        client,
        f"/curation/shops/{shop.id}/decide",
        {"action": action, "reason": reason},
        token_from="/curation/",
        **kwargs,
    )


def test_the_queue_lists_pending_shops_only(app, office):
    make_shop(name="Fromagerie Oberkampf", status=PENDING_REVIEW)
    make_shop(name="Librairie Publiée", status=PUBLISHED)
    text = page_text(office.get("/curation/"))
    assert "Fromagerie Oberkampf" in text
    assert "Librairie Publiée" not in text


def test_a_rejection_without_a_reason_is_refused(app, office):
    shop = make_shop(status=PENDING_REVIEW)
    logged = len(audit_entries())
    response = decide(office, shop, "reject", "   ", follow_redirects=True)
    assert "error" in [c for c, _t in alerts(response)]
    db.session.refresh(shop)
    assert shop.status == PENDING_REVIEW
    assert len(audit_entries()) == logged
    assert outbox(app) == []


def test_a_rejected_shop_gets_the_reason_and_can_be_fixed_and_resubmitted(app, client, curator):
    shop = make_shop(name="Fromagerie Oberkampf", status=PENDING_REVIEW)
    login(client, curator)
    decide(client, shop, "reject", "Ajoutez un numéro SIRET.")
    db.session.refresh(shop)
    assert (shop.status, shop.status_reason) == (REJECTED, "Ajoutez un numéro SIRET.")
    [mail] = outbox(app)
    assert shop.owner.email in mail and "Ajoutez un numéro SIRET." in mail
    [entry] = audit_entries(action="shop.rejected")
    assert (entry.actor_id, entry.target_id) == (curator.id, shop.id)
    assert entry.reason == "Ajoutez un numéro SIRET."
    assert json.loads(entry.changes) == {"status": [PENDING_REVIEW, REJECTED]}

    # The shopkeeper sees the reason, fixes the shop and submits it again.
    owner = app.test_client()
    login(owner, shop.owner)
    assert "Ajoutez un numéro SIRET." in page_text(owner.get("/merchant/"))
    shop.siret = "73282932000074"
    db.session.commit()
    response = post_form(owner, f"/merchant/shops/{shop.slug}/submit", token_from="/merchant/")
    assert response.status_code == 302
    db.session.refresh(shop)
    assert shop.status == PENDING_REVIEW

    # The office sees what changed since its decision.
    text = page_text(client.get("/curation/"))
    assert "73282932000074" in text


def test_approval_publishes_and_emails_the_owner(app, office, curator):
    shop = make_shop(name="Fleurs de Lune", category="fleuriste", status=PENDING_REVIEW)
    make_product(shop, "Bouquet de pivoines", 2500)
    assert found(office, "pivoines") == []
    decide(office, shop, "approve")
    db.session.refresh(shop)
    assert shop.status == PUBLISHED
    assert found(office, "pivoines") == ["Bouquet de pivoines"]
    assert "Fleurs de Lune" in outbox(app)[0]
    [entry] = audit_entries(action="shop.published", target_id=shop.id, actor_id=curator.id)
    assert json.loads(entry.changes) == {"status": [PENDING_REVIEW, PUBLISHED]}


def test_suspension_removes_the_shop_everywhere_at_once_and_reinstatement_brings_it_back(
    app, office
):
    shop = make_shop(name="Boucherie Martin", category="boucherie")
    product = make_product(shop, "Entrecôte maturée", 3200)
    visitor = app.test_client()
    product_url = f"/shops/{shop.slug}/products/{product.id}-{product.slug}"
    assert visitor.get(f"/shops/{shop.slug}").status_code == 200
    assert found(visitor, "entrecote") == ["Entrecôte maturée"]
    assert shop.slug in visitor.get("/open-data/shops.csv").get_data(as_text=True)

    decide(office, shop, "suspend", "Contrôle sanitaire en cours.")
    db.session.refresh(shop)
    assert shop.status == SUSPENDED
    assert visitor.get(f"/shops/{shop.slug}").status_code == 404
    assert visitor.get(product_url).status_code == 404
    assert found(visitor, "entrecote") == []
    assert shop.slug not in visitor.get("/open-data/shops.csv").get_data(as_text=True)
    assert visitor.get("/open-data/shops.json").get_json()["shops"] == []
    assert visitor.get("/open-data/shops.geojson").get_json()["features"] == []

    response = decide(office, shop, "reinstate", "", follow_redirects=True)
    assert "error" in [c for c, _t in alerts(response)]
    db.session.refresh(shop)
    assert shop.status == SUSPENDED

    decide(office, shop, "reinstate", "Contrôle conforme.")
    db.session.refresh(shop)
    assert shop.status == PUBLISHED
    assert visitor.get(product_url).status_code == 200
    assert found(visitor, "entrecote") == ["Entrecôte maturée"]
    assert shop.slug in visitor.get("/open-data/shops.csv").get_data(as_text=True)
    actions = [e.action for e in audit_entries(target_kind="shop", target_id=shop.id)]
    assert actions[-2:] == ["shop.suspended", "shop.published"]
    assert audit_entries(action="shop.published")[-1].reason == "Contrôle conforme."


def test_a_decision_from_the_wrong_status_is_refused(app, office):
    shop = make_shop(status=PUBLISHED)
    logged = len(audit_entries())
    decide(office, shop, "approve")
    decide(office, shop, "reinstate", "Pourquoi pas.")
    db.session.refresh(shop)
    assert shop.status == PUBLISHED
    assert len(audit_entries()) == logged


def test_hiding_a_product_needs_a_reason_and_takes_it_out_of_search(app, office, curator):
    shop = make_shop(name="Épicerie du Coin", category="epicerie")
    product = make_product(shop, "Pastis artisanal", 2400)
    url = f"/curation/products/{product.id}"
    post_form(office, f"{url}/hide", {"reason": ""}, token_from="/curation/")
    db.session.refresh(product)
    assert product.hidden_reason is None
    assert found(office, "pastis") == ["Pastis artisanal"]

    post_form(office, f"{url}/hide", {"reason": "Alcool fort"}, token_from="/curation/")
    db.session.refresh(product)
    assert product.hidden_reason == "Alcool fort"
    assert found(office, "pastis") == []
    page = f"/shops/{shop.slug}/products/{product.id}-{product.slug}"
    assert app.test_client().get(page).status_code == 404

    post_form(office, f"{url}/unhide", {"reason": ""}, token_from="/curation/")
    db.session.refresh(product)
    assert product.hidden_reason == "Alcool fort"
    post_form(office, f"{url}/unhide", {"reason": "Licence fournie"}, token_from="/curation/")
    db.session.refresh(product)
    assert product.hidden_reason is None
    assert found(office, "pastis") == ["Pastis artisanal"]
    hidden, shown = audit_entries(target_kind="product", target_id=product.id)
    assert (hidden.action, hidden.reason, hidden.actor_id) == (
        "product.hidden",
        "Alcool fort",
        curator.id,
    )
    assert json.loads(hidden.changes) == {"hidden_reason": [None, "Alcool fort"]}
    assert (shown.action, shown.reason) == ("product.unhidden", "Licence fournie")
    assert json.loads(shown.changes) == {"hidden_reason": ["Alcool fort", None]}


def test_bulk_approval_skips_shops_in_the_wrong_status(app, office):
    first = make_shop(name="Boulangerie A", status=PENDING_REVIEW)
    second = make_shop(name="Boulangerie B", status=PENDING_REVIEW)
    draft = make_shop(name="Boulangerie C", published=False)
    response = post_form(
        office,
        "/curation/queue/bulk",
        {"action": "approve", "shop_ids": [str(first.id), str(second.id), str(draft.id)]},
        token_from="/curation/",
        follow_redirects=True,
    )
    for shop in (first, second, draft):
        db.session.refresh(shop)
    assert [first.status, second.status, draft.status] == [PUBLISHED, PUBLISHED, "draft"]
    assert any("Boulangerie C" in text for _c, text in alerts(response))
    assert len(audit_entries(action="shop.published")) == 2
    assert len(outbox(app)) == 2


@pytest.mark.parametrize("reason", ["", "  "])
def test_bulk_rejection_needs_a_reason(app, office, reason):
    shop = make_shop(status=PENDING_REVIEW)
    post_form(
        office,
        "/curation/queue/bulk",
        {"action": "reject", "shop_ids": [str(shop.id)], "reason": reason},
        token_from="/curation/",
    )
    db.session.refresh(shop)
    assert shop.status == PENDING_REVIEW
    assert audit_entries(action="shop.rejected") == []


def test_bulk_rejection_with_a_reason_rejects_every_ticked_shop(app, office):
    shops = [make_shop(name=f"Caviste {n}", status=PENDING_REVIEW) for n in range(3)]
    post_form(
        office,
        "/curation/queue/bulk",
        {"action": "reject", "shop_ids": [str(s.id) for s in shops[:2]], "reason": "Photos."},
        token_from="/curation/",
    )
    for shop in shops:
        db.session.refresh(shop)
    assert [s.status for s in shops] == [REJECTED, REJECTED, PENDING_REVIEW]
    rejected = audit_entries(action="shop.rejected")
    assert {e.target_id for e in rejected} == {shops[0].id, shops[1].id}
    assert all(e.reason == "Photos." for e in rejected)
