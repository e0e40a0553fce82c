"""The shop state machine allows only its table's transitions, and logs every one."""

import itertools
import json

import pytest
from sqlalchemy import select

from marketplace.audit import AuditLog
from marketplace.extensions import db
from shops.models import DRAFT, PENDING_REVIEW, PUBLISHED, REJECTED, SUSPENDED
from shops.status import TRANSITIONS, InvalidTransition, ReasonRequired, transition_shop
from tests.factories import make_shop, make_user

STATUSES = [DRAFT, PENDING_REVIEW, PUBLISHED, REJECTED, SUSPENDED]
FORBIDDEN = [pair for pair in itertools.product(STATUSES, STATUSES) if pair not in TRANSITIONS]
NEEDS_REASON = [pair for pair, needed in TRANSITIONS.items() if needed]


def audit_rows(shop):
    return db.session.scalars(
        select(AuditLog).where(AuditLog.target_kind == "shop", AuditLog.target_id == shop.id)
    ).all()


def test_the_table_is_the_one_of_the_design():
    assert set(TRANSITIONS) == {
        (DRAFT, PENDING_REVIEW),
        (REJECTED, PENDING_REVIEW),
        (PENDING_REVIEW, PUBLISHED),
        (PENDING_REVIEW, REJECTED),
        (PUBLISHED, SUSPENDED),
        (SUSPENDED, PUBLISHED),
    }
    assert set(NEEDS_REASON) == {(PENDING_REVIEW, REJECTED), (PUBLISHED, SUSPENDED)}


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
def test_rejecting_and_suspending_need_a_reason(app, current, target, reason):
    shop = make_shop(status=current)
    logged = len(audit_rows(shop))
    with pytest.raises(ReasonRequired):
        transition_shop(shop, target, None, reason=reason)
    db.session.commit()
    db.session.refresh(shop)
    assert shop.status == current
    assert len(audit_rows(shop)) == logged


@pytest.mark.parametrize(("current", "target"), list(TRANSITIONS))
def test_every_allowed_transition_writes_one_audit_row(app, current, target):
    curator = make_user("curator@mairie.example", "curator", "Agnès")
    shop = make_shop(status=current)
    logged = len(audit_rows(shop))
    reason = "Photos trompeuses." if TRANSITIONS[(current, target)] else None
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
    transition_shop(shop, PUBLISHED, None)
    db.session.commit()
    assert shop.published_at == first
