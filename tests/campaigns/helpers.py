"""Helpers of the campaign tests: an office user, campaigns of both kinds, the ledger check."""

from __future__ import annotations

from datetime import date

from marketplace.accounts.models import CURATOR
from marketplace.campaigns import services
from marketplace.campaigns.budget import ledger_of
from marketplace.campaigns.models import ACTIVE, MATCHED, VOUCHER, Campaign
from marketplace.extensions import db
from tests.factories import make_user

START, END = date(2026, 12, 1), date(2026, 12, 31)


def make_curator(email: str = "office@example.org"):
    """The town office's curator."""
    return make_user(email, CURATOR, "Claire")


def make_campaign(actor, kind: str = VOUCHER, status: str = ACTIVE, **fields) -> Campaign:
    """Create a campaign through the service (started unless `status` is draft) and commit."""
    values = {
        "name": "Noël dans nos rues" if kind == VOUCHER else "Coup de pouce",
        "kind": kind,
        "starts_on": START,
        "ends_on": END,
        "budget_cents": 100_000,
        "resident_cap_cents": None,
        **({"voucher_face_cents": 1000} if kind == VOUCHER else {}),
        **({"match_bps": 2000, "match_order_cap_cents": 1000} if kind == MATCHED else {}),
        **fields,
    }
    campaign = services.create_campaign(actor, **values)
    if status != "draft":
        services.transition_campaign(campaign, ACTIVE, actor)
    if status not in ("draft", ACTIVE):
        services.transition_campaign(campaign, status, actor)
    db.session.commit()
    return campaign


def assert_ledger_balanced(campaign_id: int):
    """budget = redeemed + held + remaining + released, and the counter agrees with the rows."""
    db.session.expire_all()
    ledger = ledger_of(campaign_id)
    assert ledger.balanced, ledger
    return ledger
