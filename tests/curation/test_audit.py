"""The audit log: searchable, exportable, and impossible to change or delete through the app."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from marketplace.audit import AuditLog, AuditLogIsAppendOnly
from marketplace.extensions import db
from shops.models import PENDING_REVIEW
from tests.conftest import page_text, post_form
from tests.curation.helpers import audit_entries
from tests.factories import make_product, make_shop


@pytest.fixture
def decisions(app, office):
    """Three decisions: a rejection, a suspension and a hidden product."""
    pending = make_shop(name="Fromagerie Lune", status=PENDING_REVIEW)
    published = make_shop(name="Boucherie Soleil", category="boucherie")
    product = make_product(published, "Foie gras", 4000)
    for path, data in (
        (f"/curation/shops/{pending.id}/decide", {"action": "reject", "reason": "Adresse fausse"}),
        (f"/curation/products/{product.id}/hide", {"reason": "Produit interdit"}),
        (f"/curation/shops/{published.id}/decide", {"action": "suspend", "reason": "Fermeture"}),
    ):
        assert post_form(office, path, data, token_from="/curation/").status_code == 303
    return pending, published, product


def test_the_log_lists_each_decision_with_who_what_when_and_why(app, office, curator, decisions):
    pending, published, product = decisions
    rows = audit_entries(actor_id=curator.id)
    assert [(e.action, e.target_kind, e.target_id, e.reason) for e in rows] == [
        ("shop.rejected", "shop", pending.id, "Adresse fausse"),
        ("product.hidden", "product", product.id, "Produit interdit"),
        ("shop.suspended", "shop", published.id, "Fermeture"),
    ]
    page = page_text(office.get("/curation/audit"))
    for needle in ("Claire Office", "shop.rejected", "Adresse fausse", "Produit interdit"):
        assert needle in page


def test_the_log_is_searchable(app, office, decisions):
    _pending, published, _product = decisions
    page = page_text(office.get("/curation/audit", query_string={"q": "interdit"}))
    assert "Produit interdit" in page and "Adresse fausse" not in page
    page = page_text(office.get("/curation/audit", query_string={"action": "shop."}))
    assert "Adresse fausse" in page and "Fermeture" in page and "Produit interdit" not in page
    query = {"target_kind": "shop", "target_id": str(published.id)}
    page = page_text(office.get("/curation/audit", query_string=query))
    assert "Fermeture" in page and "Adresse fausse" not in page
    future = page_text(office.get("/curation/audit", query_string={"start": "2999-01-01"}))
    assert "Fermeture" not in future.split("<tbody>")[1]  # the action filter names closures


def test_the_log_exports_as_csv(app, office, decisions):
    response = office.get("/curation/audit.csv", query_string={"q": "claire"})
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [(r["action"], r["reason"], r["actor"]) for r in rows] == [
        ("shop.suspended", "Fermeture", "Claire Office"),
        ("product.hidden", "Produit interdit", "Claire Office"),
        ("shop.rejected", "Adresse fausse", "Claire Office"),
    ]
    assert rows[0]["changes"] == '{"status": ["published", "suspended"]}'


def test_an_audit_row_cannot_be_changed_or_deleted_through_the_orm(app, decisions):
    [entry] = audit_entries(action="shop.rejected")
    entry.reason = "réécrit"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    [entry] = audit_entries(action="shop.rejected")
    db.session.delete(entry)
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    assert audit_entries(action="shop.rejected")[0].reason == "Adresse fausse"


def test_the_database_refuses_an_update_too(app, decisions):
    before = [(e.id, e.reason) for e in audit_entries()]
    with pytest.raises(DBAPIError):
        db.session.execute(text("UPDATE audit_log SET reason = 'x'"))
        db.session.flush()
    db.session.rollback()
    assert [(e.id, e.reason) for e in audit_entries()] == before


def test_no_url_writes_to_the_audit_log_directly(app):
    for rule in app.url_map.iter_rules():
        if "audit" in rule.rule:
            assert rule.methods - {"HEAD", "OPTIONS"} == {"GET"}, rule.rule
    assert AuditLog.__tablename__ == "audit_log"
