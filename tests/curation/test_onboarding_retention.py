"""A shops CSV previewed on the bulk onboarding page and never imported holds the owners' emails:
the daily retention job erases it after the configured period, and the privacy notice says so."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from marketplace.curation import onboarding
from marketplace.curation.models import EXPIRED, IMPORTED, PREVIEWED, ShopImport
from marketplace.db import utcnow
from marketplace.extensions import db
from marketplace.privacy.retention import RetentionPolicy, apply_retention
from tests.conftest import page_text
from tests.curation.onboarding_helpers import BAKERY, shops_csv


def _sent(curator, days_ago: int, imported: bool = False) -> ShopImport:
    record = onboarding.start_preview(curator, "commerces.csv", shops_csv(BAKERY), False, 100)
    db.session.commit()
    if imported:
        onboarding.import_previewed(record, curator)
    record.created_at = utcnow() - timedelta(days=days_ago)
    db.session.commit()
    return record


def _files() -> list[tuple[str, bool]]:
    db.session.expire_all()
    query = select(ShopImport).order_by(ShopImport.id)
    return [(r.status, r.data is not None) for r in db.session.scalars(query)]


def test_a_file_never_imported_is_erased_after_the_period(app, office, curator):
    app.config["RETENTION_SHOP_IMPORT_DAYS"] = 30
    old = _sent(curator, days_ago=31)
    _sent(curator, days_ago=29)
    _sent(curator, days_ago=40, imported=True)

    report = apply_retention(utcnow(), RetentionPolicy.from_config(app.config))
    db.session.commit()

    assert report.shop_import_files_erased == 1
    assert _files() == [(EXPIRED, False), (PREVIEWED, True), (IMPORTED, False)]
    assert "shop onboarding files erased (never imported): 1" in report.lines()
    # The erased file can no longer be imported, and its page says why.
    with pytest.raises(onboarding.AlreadyImported):
        onboarding.import_previewed(old, curator)
    db.session.rollback()
    page = page_text(office.get(f"/curation/onboarding/{old.id}"))
    assert "effacé 30 jours après son envoi" in page
    assert "jeanne@example.org" not in page
    assert "effacé, non importé" in page_text(office.get("/curation/onboarding"))
    # A second run the same day erases nothing more.
    again = apply_retention(utcnow(), RetentionPolicy.from_config(app.config))
    assert again.shop_import_files_erased == 0


def test_the_privacy_notice_states_the_period(app, client):
    app.config["RETENTION_SHOP_IMPORT_DAYS"] = 60
    page = page_text(client.get("/privacy"))
    assert "Commerces inscrits par le service du développement économique" in page
    assert "ou 2 mois après son envoi" in page
