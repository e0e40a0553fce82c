"""The office's verbs on a campaign: create, change, start / pause / resume / close; each audited.

Services flush, never commit: the view commits once. Status changes are conditional UPDATEs, so
a close racing a redemption either sees the money taken or refuses it (never both).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select, update

from marketplace.audit import record_action
from marketplace.campaigns.models import (
    ACTIVE,
    CLOSED,
    DRAFT,
    KINDS,
    MATCHED,
    PAUSED,
    VOUCHER,
    VOUCHER_ISSUED,
    VOUCHER_VOID,
    Campaign,
    Voucher,
)
from marketplace.db import utcnow
from marketplace.domain_errors import InvalidTransition
from marketplace.extensions import db
from shops.categories import get_category
from shops.services import slugify

POSTCODE = re.compile(r"^\d{5}$")  # French postcodes


class InvalidCampaign(ValueError):
    """A campaign value the rules refuse: `field` names the form field, `code` the rule."""

    def __init__(self, field: str, code: str) -> None:
        super().__init__(f"{field}: {code}")
        self.field = field
        self.code = code


@dataclass(frozen=True)
class CampaignTransition:
    """One allowed status change and the audit action that records it."""

    source: str
    target: str
    verb: str


# The one table of campaign status changes.
TRANSITIONS: tuple[CampaignTransition, ...] = (
    CampaignTransition(DRAFT, ACTIVE, "start"),
    CampaignTransition(ACTIVE, PAUSED, "pause"),
    CampaignTransition(PAUSED, ACTIVE, "resume"),
    CampaignTransition(ACTIVE, CLOSED, "close"),
    CampaignTransition(PAUSED, CLOSED, "close"),
)
_BY_PAIR = {(row.source, row.target): row for row in TRANSITIONS}
VERB_TARGETS = {row.verb: row.target for row in TRANSITIONS}

# Fields the office may change on a campaign that has started (the rule stays what residents saw).
LIVE_FIELDS = {"name", "ends_on", "budget_cents", "resident_cap_cents", "categories", "postcodes"}
FIELDS = LIVE_FIELDS | {
    "kind",
    "starts_on",
    "voucher_face_cents",
    "match_bps",
    "match_order_cap_cents",
}


def verbs_from(status: str) -> tuple[str, ...]:
    """The verbs the office may use on a campaign in `status` (its buttons)."""
    return tuple(row.verb for row in TRANSITIONS if row.source == status)


def _check(values: dict[str, Any]) -> None:
    """Refuse values that break a campaign's rules (the form checks the same, in words)."""
    if not (values.get("name") or "").strip():
        raise InvalidCampaign("name", "required")
    if values.get("kind") not in KINDS:
        raise InvalidCampaign("kind", "unknown")
    starts, ends = values.get("starts_on"), values.get("ends_on")
    if not isinstance(starts, date) or not isinstance(ends, date):
        raise InvalidCampaign("starts_on", "required")
    if ends < starts:
        raise InvalidCampaign("ends_on", "before_start")
    if not isinstance(values.get("budget_cents"), int) or values["budget_cents"] <= 0:
        raise InvalidCampaign("budget_cents", "positive")
    cap = values.get("resident_cap_cents")
    if cap is not None and cap <= 0:
        raise InvalidCampaign("resident_cap_cents", "positive")
    if values["kind"] == VOUCHER:
        face = values.get("voucher_face_cents")
        if not face or face <= 0:
            raise InvalidCampaign("voucher_face_cents", "required")
        if face > values["budget_cents"]:
            raise InvalidCampaign("voucher_face_cents", "above_budget")
    if values["kind"] == MATCHED:
        bps = values.get("match_bps")
        if not bps or not 0 < bps <= 10_000:
            raise InvalidCampaign("match_bps", "range")
        order_cap = values.get("match_order_cap_cents")
        if order_cap is not None and order_cap <= 0:
            raise InvalidCampaign("match_order_cap_cents", "positive")
    for code in values.get("categories") or []:
        if get_category(code) is None:
            raise InvalidCampaign("categories", "unknown")
    for postcode in values.get("postcodes") or []:
        if not POSTCODE.match(postcode):
            raise InvalidCampaign("postcodes", "format")


def _rule_only(values: dict[str, Any]) -> dict[str, Any]:
    # A voucher campaign has no matching rule and the other way round: nothing stale is kept.
    if values["kind"] == VOUCHER:
        values.update(match_bps=None, match_order_cap_cents=None)
    else:
        values.update(voucher_face_cents=None)
    values["categories"] = sorted(set(values.get("categories") or []))
    values["postcodes"] = sorted(set(values.get("postcodes") or []))
    return values


def _unique_slug(name: str) -> str:
    base = slugify(name, 72)
    taken = set(db.session.scalars(select(Campaign.slug).where(Campaign.slug.like(f"{base}%"))))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def create_campaign(actor, **fields: Any) -> Campaign:
    """Create a draft campaign from `fields` (names of the model's columns); raise InvalidCampaign."""
    unknown = set(fields) - FIELDS
    if unknown:
        raise TypeError(f"unknown campaign fields: {sorted(unknown)}")
    values = _rule_only(dict(fields))
    _check(values)
    values["name"] = values["name"].strip()
    campaign = Campaign(
        **values, slug=_unique_slug(values["name"]), status=DRAFT, created_by_id=actor.id
    )
    db.session.add(campaign)
    db.session.flush()
    record_action(actor.id, "campaign.created", "campaign", campaign.id, None, _summary(campaign))
    return campaign


def _summary(campaign: Campaign) -> dict[str, Any]:
    return {name: [None, getattr(campaign, name)] for name in sorted(FIELDS)}


def update_campaign(campaign: Campaign, actor, **fields: Any) -> Campaign:
    """Change a campaign: anything while a draft, then only LIVE_FIELDS; never when closed."""
    unknown = set(fields) - FIELDS
    if unknown:
        raise TypeError(f"unknown campaign fields: {sorted(unknown)}")
    if campaign.status == CLOSED:
        raise InvalidTransition(CLOSED, CLOSED)
    current = {name: getattr(campaign, name) for name in FIELDS}
    values = _rule_only({**current, **fields})
    changed = {name for name in FIELDS if values[name] != current[name]}
    if campaign.status != DRAFT and changed - LIVE_FIELDS:
        raise InvalidCampaign(sorted(changed - LIVE_FIELDS)[0], "locked")
    _check(values)
    if "budget_cents" in changed:
        _set_budget(campaign, values["budget_cents"])
    for name in changed - {"budget_cents"}:
        setattr(campaign, name, values[name])
    if changed:
        record_action(
            actor.id,
            "campaign.updated",
            "campaign",
            campaign.id,
            None,
            {name: [current[name], values[name]] for name in sorted(changed)},
        )
    db.session.flush()
    return campaign


def _set_budget(campaign: Campaign, budget_cents: int) -> None:
    # Conditional like a redemption: never below what residents took meanwhile.
    done = db.session.execute(  # type: ignore[attr-defined]  # an UPDATE's CursorResult has rowcount
        update(Campaign)
        .where(
            Campaign.id == campaign.id,
            Campaign.status != CLOSED,
            Campaign.spent_cents + Campaign.released_cents <= budget_cents,
        )
        .values(budget_cents=budget_cents)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.expire(campaign, ["budget_cents", "spent_cents", "released_cents"])
    if not done:
        raise InvalidCampaign("budget_cents", "below_spent")


def transition_campaign(campaign: Campaign, to_status: str, actor) -> Campaign:
    """Move `campaign` to `to_status` if the table allows it; a close releases what is left."""
    source = campaign.status
    row = _BY_PAIR.get((source, to_status))
    if row is None:
        raise InvalidTransition(source, to_status)
    values: dict[str, Any] = {"status": to_status}
    if to_status == CLOSED:
        values.update(
            released_cents=Campaign.budget_cents - Campaign.spent_cents, closed_at=utcnow()
        )
    done = db.session.execute(  # type: ignore[attr-defined]  # an UPDATE's CursorResult has rowcount
        update(Campaign)
        .where(Campaign.id == campaign.id, Campaign.status == source)
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not done:  # another office request moved it first
        db.session.expire(campaign)
        raise InvalidTransition(source, to_status)
    db.session.expire(campaign, ["status", "released_cents", "closed_at", "spent_cents"])
    changes: dict[str, Any] = {"status": [source, to_status]}
    if to_status == CLOSED:
        # Unused vouchers die with their campaign; held ones follow their order.
        db.session.execute(
            update(Voucher)
            .where(Voucher.campaign_id == campaign.id, Voucher.status == VOUCHER_ISSUED)
            .values(status=VOUCHER_VOID)
            .execution_options(synchronize_session=False)
        )
        changes["released_cents"] = [0, campaign.released_cents]
    record_action(actor.id, f"campaign.{row.verb}", "campaign", campaign.id, None, changes)
    return campaign


def transition_by_verb(campaign: Campaign, verb: str, actor) -> Campaign:
    """Apply the office's verb (start, pause, resume, close) to `campaign`."""
    target = VERB_TARGETS.get(verb)
    if target is None:
        raise InvalidTransition(campaign.status, verb)
    return transition_campaign(campaign, target, actor)
