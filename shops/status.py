"""The shop state machine: the one table of its transitions and the one function that applies them."""

from __future__ import annotations

from dataclasses import dataclass

from marketplace.accounts.models import CURATOR, SHOPKEEPER
from marketplace.audit import record_action
from marketplace.db import utcnow
from marketplace.domain_errors import InvalidTransition, ReasonRequired
from shops.models import (
    CHANGES_REQUESTED,
    DRAFT,
    PENDING_REVIEW,
    PUBLISHED,
    REJECTED,
    SUSPENDED,
    Shop,
)


@dataclass(frozen=True)
class ShopTransition:
    """One allowed status change: its verb, whether it must say why, and who takes it (a role)."""

    source: str
    target: str
    verb: str
    reason_required: bool
    by: str


# Every allowed change. The office says why it rejects, suspends and also why it reinstates:
# the shopkeeper is told, and the audit log keeps it. Requesting changes is not rejecting: the
# reason is the list of changes to make (one a line), and resubmitting goes back to review.
TRANSITIONS: tuple[ShopTransition, ...] = (
    ShopTransition(DRAFT, PENDING_REVIEW, "submit", False, SHOPKEEPER),
    ShopTransition(REJECTED, PENDING_REVIEW, "submit", False, SHOPKEEPER),  # after fixing it
    ShopTransition(CHANGES_REQUESTED, PENDING_REVIEW, "submit", False, SHOPKEEPER),  # resubmit
    ShopTransition(PENDING_REVIEW, PUBLISHED, "approve", False, CURATOR),
    ShopTransition(PENDING_REVIEW, CHANGES_REQUESTED, "request_changes", True, CURATOR),
    ShopTransition(PENDING_REVIEW, REJECTED, "reject", True, CURATOR),
    ShopTransition(PUBLISHED, SUSPENDED, "suspend", True, CURATOR),
    ShopTransition(SUSPENDED, PUBLISHED, "reinstate", True, CURATOR),
)
_BY_PAIR = {(row.source, row.target): row for row in TRANSITIONS}


def verbs_of(by: str) -> tuple[str, ...]:
    """The verbs one party may use, in the table's order."""
    return tuple(dict.fromkeys(row.verb for row in TRANSITIONS if row.by == by))


def verbs_from(status: str, by: str) -> tuple[str, ...]:
    """The verbs one party may use on a shop in `status` (the buttons it is shown)."""
    return tuple(row.verb for row in TRANSITIONS if row.source == status and row.by == by)


def sources_of(verb: str) -> tuple[str, ...]:
    """The statuses a verb starts from."""
    return tuple(row.source for row in TRANSITIONS if row.verb == verb)


def transition_by_verb(verb: str, current: str) -> ShopTransition:
    """The row `verb` takes from `current` (raises InvalidTransition if there is none)."""
    for row in TRANSITIONS:
        if row.verb == verb and row.source == current:
            return row
    targets = [row.target for row in TRANSITIONS if row.verb == verb]
    raise InvalidTransition(current, targets[0] if targets else verb)


def verb_needs_reason(verb: str) -> bool:
    """Whether `verb` must say why (the same from every status it starts from)."""
    return any(row.reason_required for row in TRANSITIONS if row.verb == verb)


def transition_shop(
    shop: Shop, target: str, actor_id: int | None, reason: str | None = None
) -> None:
    """Move `shop` to `target` if the table allows it, and log the decision."""
    row = _BY_PAIR.get((shop.status, target))
    if row is None:
        raise InvalidTransition(shop.status, target)
    reason = (reason or "").strip() or None
    if row.reason_required and not reason:
        raise ReasonRequired(target)
    before = shop.status
    shop.status = target
    shop.status_reason = reason
    if target == PUBLISHED and shop.published_at is None:
        shop.published_at = utcnow()
    record_action(actor_id, f"shop.{target}", "shop", shop.id, reason, {"status": [before, target]})
