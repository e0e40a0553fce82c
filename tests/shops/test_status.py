"""The shop state machine allows only its table's transitions, and logs every one."""

import itertools
import json

import pytest
from sqlalchemy import select

from marketplace.accounts.models import CURATOR, SHOPKEEPER
from marketplace.audit import AuditLog
from marketplace.domain_errors import InvalidTransition, ReasonRequired
from marketplace.extensions import db
from shops.models import CHANGES_REQUESTED, DRAFT, PENDING_REVIEW, PUBLISHED, REJECTED, SUSPENDED
from shops.status import TRANSITIONS, transition_by_verb, transition_shop, verbs_from
from tests.factories import make_shop, make_user

STATUSES = [DRAFT, PENDING_REVIEW, PUBLISHED, CHANGES_REQUESTED, REJECTED, SUSPENDED]
ALLOWED = [(row.source, row.target) for row in TRANSITIONS]
FORBIDDEN = [pair for pair in itertools.product(STATUSES, STATUSES) if pair not in ALLOWED]
NEEDS_REASON = [(row.source, row.target) for row in TRANSITIONS if row.reason_required]


def audit_rows(shop):
    return db.session.scalars(
        select(AuditLog).where(AuditLog.target_kind == "shop", AuditLog.target_id == shop.id)
    ).all()


def test_the_table_is_the_one_of_the_design():
    rows = {(r.source, r.target, r.verb, r.reason_required, r.by) for r in TRANSITIONS}
    assert rows == {
        (DRAFT, PENDING_REVIEW, "submit", False, SHOPKEEPER),
        (REJECTED, PENDING_REVIEW, "submit", False, SHOPKEEPER),
        (CHANGES_REQUESTED, PENDING_REVIEW, "submit", False, SHOPKEEPER),
        (PENDING_REVIEW, PUBLISHED, "approve", False, CURATOR),
        (PENDING_REVIEW, CHANGES_REQUESTED, "request_changes", True, CURATOR),
        (PENDING_REVIEW, REJECTED, "reject", True, CURATOR),
        (PUBLISHED, SUSPENDED, "suspend", True, CURATOR),
        (SUSPENDED, PUBLISHED, "reinstate", True, CURATOR),
    }
    assert len(set(ALLOWED)) == len(TRANSITIONS) == 8
    assert len(FORBIDDEN) == len(STATUSES) ** 2 - 8


def test_a_verb_names_one_change_from_each_status():
    assert len({(row.source, row.verb) for row in TRANSITIONS}) == len(TRANSITIONS)
    assert verbs_from(PENDING_REVIEW, CURATOR) == ("approve", "request_changes", "reject")
    assert verbs_from(CHANGES_REQUESTED, SHOPKEEPER) == ("submit",)
    assert verbs_from(SUSPENDED, CURATOR) == ("reinstate",)
    assert verbs_from(DRAFT, CURATOR) == ()
    assert verbs_from(REJECTED, SHOPKEEPER) == ("submit",)
    assert transition_by_verb("reinstate", SUSPENDED).target == PUBLISHED
    with pytest.raises(InvalidTransition) as refused:
        transition_by_verb("approve", SUSPENDED)
    assert (refused.value.current, refused.value.target) == (SUSPENDED, PUBLISHED)


def test_both_state_machines_raise_the_same_errors():
    from marketplace.orders import operations, status

    assert status.InvalidTransition is InvalidTransition
    assert operations.ReasonRequired is ReasonRequired


@pytest.mark.parametrize(("current", "target"), FORBIDDEN)
def test_every_transition_outside_the_table_is_refused(app, current, target):
    shop = make_shop(status=current)
    logged = len(audit_rows(shop))
    with pytest.raises(InvalidTransition) as error:
        transition_shop(shop, target, None, reason="Une raison quelconque.")
    assert (error.value.current, error.value.target) == (current, target)
    db.session.commit()
    db.session.refresh(shop)
    assert shop.status == current
    assert len(audit_rows(shop)) == logged


@pytest.mark.parametrize(("current", "target"), NEEDS_REASON)
@pytest.mark.parametrize("reason", [None, "", "   "])
def test_rejecting_suspending_and_reinstating_need_a_reason(app, current, target, reason):
    shop = make_shop(status=current)
    logged = len(audit_rows(shop))
    with pytest.raises(ReasonRequired):
        transition_shop(shop, target, None, reason=reason)
    db.session.commit()
    db.session.refresh(shop)
    assert shop.status == current
    assert len(audit_rows(shop)) == logged


@pytest.mark.parametrize(("current", "target"), ALLOWED)
def test_every_allowed_transition_writes_one_audit_row(app, current, target):
    curator = make_user("curator@mairie.example", "curator", "Agnès")
    shop = make_shop(status=current)
    logged = len(audit_rows(shop))
    reason = "Photos trompeuses." if (current, target) in NEEDS_REASON else None
    transition_shop(shop, target, curator.id, reason=reason)
    db.session.commit()
    rows = audit_rows(shop)
    assert len(rows) == logged + 1
    row = rows[-1]
    assert (row.actor_id, row.action, row.reason) == (curator.id, f"shop.{target}", reason)
    assert json.loads(row.changes) == {"status": [current, target]}
    assert (shop.status, shop.status_reason) == (target, reason)


def test_publishing_again_keeps_the_first_publication_date(app):
    shop = make_shop(status=SUSPENDED)
    first = shop.published_at
    transition_shop(shop, PUBLISHED, None, "Contrôle sanitaire passé.")
    db.session.commit()
    assert shop.published_at == first
