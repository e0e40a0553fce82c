"""The bulk onboarding service: a preview says what each line would do and writes nothing; an
import runs once, leaves out the lines with problems, and names the curator in the audit."""

from __future__ import annotations

import pytest

from marketplace.accounts.models import SHOPKEEPER
from marketplace.curation import onboarding
from marketplace.extensions import db
from tests.curation.helpers import audit_entries
from tests.curation.onboarding_helpers import BAD_POSTCODE, BAKERY, BOOKSHOP, counts, shops_csv
from tests.factories import make_shop, make_user


def test_the_preview_says_what_each_line_would_do_and_writes_nothing(app, curator):
    paul = make_user("paul@example.org", SHOPKEEPER, "Paul")
    make_shop(paul, name="Librairie Voltaire", category="librairie")
    record = onboarding.start_preview(
        curator, "commerces.csv", shops_csv(BAKERY, BOOKSHOP, BAD_POSTCODE), False, 100
    )
    db.session.commit()
    before = counts()
    check = onboarding.preview(record)
    plan = [(line.line, line.ok, line.exists, line.new_owner) for line in check.lines]
    assert plan == [(2, True, False, True), (3, True, True, False), (4, False, False, False)]
    assert [(e.line, e.column) for e in check.errors] == [(4, "postcode")]
    assert counts() == before


def test_a_file_with_too_many_lines_is_refused_before_it_is_kept(app, curator):
    with pytest.raises(onboarding.FileRefused) as refused:
        onboarding.start_preview(curator, "c.csv", shops_csv(BAKERY, BOOKSHOP), False, 1)
    assert (refused.value.error.code, refused.value.error.detail) == ("too_many_rows", "1")


def test_an_import_runs_once_and_skips_the_lines_with_problems(app, curator):
    record = onboarding.start_preview(
        curator, "commerces.csv", shops_csv(BAKERY, BAD_POSTCODE), False, 100
    )
    db.session.commit()
    report = onboarding.import_previewed(record, curator)
    db.session.commit()
    assert len(report.invited) == 1
    assert (record.created, record.updated, record.skipped, record.invited) == (1, 0, 1, 1)
    with pytest.raises(onboarding.AlreadyImported):
        onboarding.import_previewed(record, curator)
    db.session.rollback()
    [row] = audit_entries(action="shop.imported")
    assert row.actor_id == curator.id
    assert counts()[0] == 1
